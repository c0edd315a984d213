"""An access-log event as a person reads it, in Japanese: who (name and role at the time), what (the
action's label), which record (its own number or a masked card number, never an internal id), where
(the branch's name) and the detail with labelled keys. Shared by the log page and its CSV export.

Records are named through the registry each app fills at start-up (``privacy_admin.core.targets``):
one resolver call per kind of record for the whole page, and one query for the staff names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext

from privacy_admin.core import targets
from privacy_admin.core.dates import format_date

from .labels import action_label, role_label
from .models import AuditEvent, Outcome

_OUTCOME_BADGES = {
    Outcome.SUCCESS.value: "badge-success",
    Outcome.DENIED.value: "badge-denied",
    Outcome.FAILURE.value: "badge-failure",
}
_OUTCOME_LABELS = dict(Outcome.choices)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class DetailItem:
    label: str
    value: str


@dataclass(frozen=True)
class EventRow:
    seq: int
    date: str
    time: str
    actor: str
    role: str
    action: str
    action_label: str
    target_kind: str
    target: str  # the record's number, or 「（削除済み）」
    patron: str  # the masked card number of the patron concerned, or 「（削除済み）」
    branch: str
    outcome: str
    outcome_badge: str
    ip: str
    request_id: str
    detail: list[DetailItem]

    @property
    def detail_text(self) -> str:
        return "、".join(f"{item.label}: {item.value}" for item in self.detail)


def _staff_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = (
        get_user_model()
        ._default_manager.filter(pk__in=ids)
        .values_list("pk", "last_name", "first_name", "username")
    )
    return {pk: f"{last} {first}".strip() or username for pk, last, first, username in rows}


def _value_text(key: str, value: Any) -> str:
    if isinstance(value, list):
        if key.endswith("_ids"):
            return gettext("%(count)d件") % {"count": len(value)}
        return "、".join(_value_text(key, v) for v in value)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("はい") if value else gettext("いいえ")
    text = str(value)
    if key == "action":
        return action_label(text) or text
    if key == "role":
        return role_label(text, text)
    if key == "target":
        return targets.kind_label(text)
    codes = targets.DETAIL_VALUES.get(key, {})
    if text in codes:
        return gettext(codes[text])
    if _ISO_DATE.match(text):
        try:
            return format_date(dt.date.fromisoformat(text))
        except ValueError:
            return text
    return text


def detail_items(detail: Any) -> list[DetailItem]:
    """The detail as (label, value) pairs; internal ids (``…_id``) are left out, unknown keys keep their key."""
    if not isinstance(detail, dict):
        return []
    items = []
    for key in sorted(detail):
        if key.endswith("_id"):
            continue
        label = targets.DETAIL_LABELS.get(key)
        items.append(DetailItem(label=gettext(label) if label else key, value=_value_text(key, detail[key])))
    return items


def _actor_text(event: AuditEvent, names: dict[int, str]) -> str:
    if event.actor_id is not None:
        return names.get(event.actor_id) or event.actor_username or gettext("（削除済みの職員）")
    if event.actor_username:
        return event.actor_username
    if event.role == "patron":
        return gettext("利用者本人")
    return gettext("（システム）")


def event_rows(events: Sequence[AuditEvent]) -> list[EventRow]:
    """The rows of a page (or an export) with every record named: one query per kind of record."""
    pairs: list[tuple[str, str]] = []
    for event in events:
        if event.target_type:
            pairs.append((event.target_type, event.target_id))
        if event.patron_id is not None:
            pairs.append(("patron", str(event.patron_id)))
        if event.branch_code:
            pairs.append(("branch", event.branch_code))
    shown = targets.resolve_targets(pairs)
    names = _staff_names({e.actor_id for e in events if e.actor_id is not None})
    deleted = gettext("（削除済み）")
    unknown_role = gettext("（当時の役割不明）")
    rows = []
    for event in events:
        local = timezone.localtime(event.occurred_at)
        target = shown.get((event.target_type, event.target_id)) if event.target_type else None
        patron = shown.get(("patron", str(event.patron_id))) if event.patron_id is not None else None
        branch = shown.get(("branch", event.branch_code)) if event.branch_code else None
        rows.append(
            EventRow(
                seq=event.seq,
                date=format_date(local.date()),
                time=local.strftime("%H:%M:%S"),
                actor=_actor_text(event, names),
                role=role_label(event.role, event.role) if event.role else unknown_role,
                action=event.action,
                action_label=action_label(event.action) or event.action,
                target_kind=target.kind if target else "",
                target=(deleted if target.deleted else target.record) if target else "",
                patron=(deleted if patron.deleted else patron.record) if patron else "",
                branch=(deleted if branch.deleted else branch.record) if branch else "",
                outcome=str(_OUTCOME_LABELS.get(event.outcome, event.outcome)),
                outcome_badge=_OUTCOME_BADGES.get(event.outcome, ""),
                ip=event.ip or "",
                request_id=event.request_id,
                detail=detail_items(event.detail),
            )
        )
    return rows
