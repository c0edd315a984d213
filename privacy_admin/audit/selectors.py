"""Reading the access log. Only a privacy officer reads it (domain §1: 管理責任者 reviews access logs).

Every page is a keyset query ``... ORDER BY seq DESC LIMIT 51`` served by a ``(X, seq)`` index, so it
costs the same on the first page and the ten-thousandth, at any table size. A date range is turned into
a ``seq`` range first (two single-row lookups on the ``occurred_at`` index). ``occurred_at`` is taken
just before the INSERT that takes ``seq``, without a lock, so concurrent writers can invert the two by
a fraction of a second: the range is widened by ``_CLOCK_SLACK`` and the exact dates are applied as
filters. Nothing here counts the table.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet

from privacy_admin.core import hooks
from privacy_admin.core.actor import Actor
from privacy_admin.core.roles import Role, has_role
from privacy_admin.core.view_events import view_logged_by_caller

from .models import AuditEvent

PAGE_SIZE = 50
_INTERNAL_PATRON_ID = re.compile(r"^#([0-9]{1,18})$")


@dataclass(frozen=True)
class EventFilters:
    """What the officer asked for, already resolved to internal ids (never a card number)."""

    actor_id: int | None = None
    patron_id: int | None = None
    # An exact action code, or a prefix ending in "." ("patron." = every patron.* action).
    action: str = ""
    target_type: str = ""  # the kind of record ("privacy_request"), or every kind
    date_from: dt.date | None = None  # inclusive, Asia/Tokyo
    date_to: dt.date | None = None  # inclusive, Asia/Tokyo
    before_seq: int | None = None  # the cursor: show events older than this one


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent] = field(default_factory=list)
    # The cursor for "次の50件", or None on the last page.
    next_before_seq: int | None = None


def resolve_actor(username: str) -> int | None:
    """The id of the staff account named ``username`` (exact), or None."""
    user_model = get_user_model()
    lookup = {user_model.USERNAME_FIELD: username}
    return user_model._default_manager.filter(**lookup).values_list("pk", flat=True).first()


def resolve_patron_ref(text: str) -> int | None:
    """A card number of a live patron, or ``#<internal id>`` (for erased patrons) → internal id, or None."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = _INTERNAL_PATRON_ID.match(text)
    if match:
        return int(match.group(1))
    if not text:
        return None
    return hooks.call(hooks.PATRON_BY_CARD, text)


_CLOCK_SLACK = dt.timedelta(seconds=60)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def seq_range(date_from: dt.date | None, date_to: dt.date | None) -> tuple[int | None, int | None] | None:
    """The first and last ``seq`` inside the (inclusive, Tokyo) date range; None when it holds no event."""
    low = high = None
    if date_from is not None:
        low = (
            AuditEvent.objects.filter(occurred_at__gte=_day_start(date_from) - _CLOCK_SLACK)
            .order_by("occurred_at", "seq")
            .values_list("seq", flat=True)
            .first()
        )
        if low is None:
            return None
    if date_to is not None:
        high = (
            AuditEvent.objects.filter(
                occurred_at__lt=_day_start(date_to + dt.timedelta(days=1)) + _CLOCK_SLACK
            )
            .order_by("-occurred_at", "-seq")
            .values_list("seq", flat=True)
            .first()
        )
        if high is None:
            return None
    if low is not None and high is not None and low > high:
        return None
    return low, high


def distinct_actions() -> list[str]:
    """Every action code present in the log, in a few index probes (a loose index scan on PostgreSQL)."""
    if connection.vendor == "postgresql":
        sql = """
            WITH RECURSIVE found(action) AS (
                (SELECT action FROM audit_auditevent ORDER BY action LIMIT 1)
                UNION ALL
                SELECT (SELECT e.action FROM audit_auditevent e WHERE e.action > found.action
                        ORDER BY e.action LIMIT 1)
                FROM found WHERE found.action IS NOT NULL
            )
            SELECT action FROM found WHERE action IS NOT NULL
        """
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def _filtered(filters: EventFilters, seqs: tuple[int | None, int | None]) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if filters.actor_id is not None:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.patron_id is not None:
        qs = qs.filter(patron_id=filters.patron_id)
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type)
    low, high = seqs
    if low is not None:
        qs = qs.filter(seq__gte=low)
    if high is not None:
        qs = qs.filter(seq__lte=high)
    if filters.before_seq is not None:
        qs = qs.filter(seq__lt=filters.before_seq)
    # The seq range already bounds the dates; these keep the page exact should a server's clock step back.
    if filters.date_from is not None:
        qs = qs.filter(occurred_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(occurred_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return qs


def _newest(qs: QuerySet[AuditEvent], action: str, limit: int) -> list[AuditEvent]:
    if not action.endswith("."):
        return list(qs.filter(action=action).order_by("-seq")[:limit])
    if connection.vendor != "postgresql":
        return list(qs.filter(action__startswith=action).order_by("-seq")[:limit])
    # A prefix spans several codes: one (action, seq) index range per code, merged, beats sorting
    # every matching row when the codes are rare, and a full backward scan when they are common.
    codes = [code for code in distinct_actions() if code.startswith(action)]
    if not codes:
        return []
    parts = [qs.filter(action=code).order_by("-seq")[:limit] for code in codes]
    if len(parts) == 1:
        return list(parts[0])
    return list(parts[0].union(*parts[1:], all=True).order_by("-seq")[:limit])


def _select(filters: EventFilters, limit: int) -> list[AuditEvent]:
    seqs = seq_range(filters.date_from, filters.date_to)
    if seqs is None:
        return []
    qs = _filtered(filters, seqs)
    if filters.action:
        return _newest(qs, filters.action, limit)
    return list(qs.order_by("-seq")[:limit])


# A month of a busy library's log fits; a longer range is refused and the officer asked to narrow it.
EXPORT_MAX_ROWS = 50_000


class ExportTooLarge(Exception):
    """More than ``EXPORT_MAX_ROWS`` events match the filters."""


@view_logged_by_caller("the CSV export writes audit.export with its filters (audit.views)")
def events_for_export(actor: Actor, *, filters: EventFilters) -> list[AuditEvent]:
    """Every event matching the filters (newest first), for the officer's monthly check.

    PermissionDenied unless a privacy officer or an administrator; ExportTooLarge over EXPORT_MAX_ROWS.
    """
    if not has_role(actor, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR):
        raise PermissionDenied
    events = _select(filters, EXPORT_MAX_ROWS + 1)
    if len(events) > EXPORT_MAX_ROWS:
        raise ExportTooLarge
    return events


@view_logged_by_caller("the access-log page writes audit.view with its filters (audit.views)")
def events_for(actor: Actor, *, filters: EventFilters) -> EventPage:
    """One page (PAGE_SIZE events, newest first) of the log; PermissionDenied unless a privacy officer."""
    if not has_role(actor, Role.PRIVACY_OFFICER):
        raise PermissionDenied
    events = _select(filters, PAGE_SIZE + 1)
    if len(events) > PAGE_SIZE:
        return EventPage(events=events[:PAGE_SIZE], next_before_seq=events[PAGE_SIZE - 1].seq)
    return EventPage(events=events)
