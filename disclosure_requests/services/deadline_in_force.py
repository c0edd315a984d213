"""The decision deadline in force for a request: reads every stage shares (none depends on who asks).

The rule profile fixed at intake gives the periods (a later switch of the library's profile does not
move a running deadline); the pure rules in ``disclosure_requests.deadlines`` and the library's calendar
give the dates. Ordinary: receipt + 15/30 days + 補正 days + extensions (山梨県 要綱 第24条, 第34条, 第41条);
期限の特例 (山梨県 要綱 第25条, 第35条, 第42条). ``_store_deadline`` recomputes the cached ``due_on`` /
``clock_stopped`` after every change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from privacy_admin.core.calendar import Calendar

from .. import deadlines
from ..models import Extension, PrivacyRequest, RequestKind, RuleProfile
from ..profiles import library_calendar
from . import _common
from ._common import OPEN_STATUSES


def _profile_days(profile: RuleProfile, kind: str, period: str) -> int:
    # The profile names its periods by kind: disclosure_days, correction_extension_days, …
    return int(getattr(profile, f"{RequestKind(kind).value}_{period}"))


def base_days(profile: RuleProfile, kind: str) -> int:
    """The ordinary decision period (山梨県 要綱 第24条第1項 / 第34条第1項 / 第41条第1項)."""
    return _profile_days(profile, kind, "days")


def extension_max_days(profile: RuleProfile, kind: str) -> int:
    """The most an ordinary extension may add, in total (第24条第2項 / 第34条第2項 / 第41条第2項)."""
    return _profile_days(profile, kind, "extension_days")


def special_notice_days(profile: RuleProfile, kind: str) -> int:
    """The period within which a special extension must be notified (第25条 / 第35条 / 第42条)."""
    return _profile_days(profile, kind, "special_notice_days")


def request_pauses(request: PrivacyRequest) -> list[deadlines.Pause]:
    return [deadlines.Pause(a.requested_on, a.completed_on) for a in request.amendments.all()]


def _grants(request: PrivacyRequest) -> list[deadlines.ExtensionGrant]:
    return [
        deadlines.ExtensionGrant(days=e.days, reason=e.reason, notified_on=e.notified_on)
        for e in request.extensions.all()
        if e.kind == Extension.Kind.NORMAL
    ]


def special_extension_of(request: PrivacyRequest) -> Extension | None:
    """The special extension (期限の特例) given to ``request``, if any."""
    return next((e for e in request.extensions.all() if e.kind == Extension.Kind.SPECIAL), None)


def _has_partial_scope_decision(request: PrivacyRequest) -> bool:
    return any(d.is_partial_scope for d in request.decisions.all())


def _moved_to(base: deadlines.Deadline, due_on: dt.date, calendar: Calendar) -> deadlines.Deadline:
    """``base`` with its due date replaced by a date set in a special-extension notice."""
    reason = calendar.closed_reason(due_on)
    return dataclasses.replace(
        base,
        due_on=due_on,
        extension_days=max(0, (due_on - base.base_due_on).days),
        falls_on_closed_day=bool(reason),
        closed_reason=reason,
        last_open_day_before=calendar.last_open_day_before(due_on) if reason else None,
    )


def ordinary_deadline(
    request: PrivacyRequest,
    *,
    today: dt.date,
    calendar: Calendar,
    with_extensions: bool = True,
) -> deadlines.Deadline:
    """The deadline without any special extension: receipt + period + 補正 days (+ ordinary extensions)."""
    return deadlines.decision_deadline(
        received_on=request.received_on,
        base_days=base_days(request.profile, request.kind),
        pauses=request_pauses(request),
        extensions=_grants(request) if with_extensions else (),
        calendar=calendar,
        today=today,
    )


def special_deadlines(
    request: PrivacyRequest, *, today: dt.date, calendar: Calendar
) -> tuple[deadlines.Deadline, deadlines.Deadline]:
    """(notice deadline, substantial-part deadline) of a special extension for this request.

    開示 (第25条): notice within the ordinary period, a substantial part within 30 days (APPI: 30/60).
    訂正・利用停止 (第35条, 第42条): only the notice deadline means anything; both are the notice.
    """
    profile = request.profile
    notice = special_notice_days(profile, request.kind)
    substantial = (
        profile.disclosure_special_substantial_days if request.kind == RequestKind.DISCLOSURE else notice
    )
    return deadlines.special_extension_deadlines(
        received_on=request.received_on,
        notice_days=notice,
        substantial_days=substantial,
        pauses=request_pauses(request),
        calendar=calendar,
        today=today,
    )


def request_deadline(
    request: PrivacyRequest, today: dt.date | None = None, *, calendar: Calendar | None = None
) -> deadlines.Deadline:
    """The decision deadline in force for ``request``, with its closed-day warning.

    - ordinary: receipt + 15/30 days + 補正 days + extensions (第24条, 第34条, 第41条);
    - 開示 under a special extension (第25条): the substantial-part deadline, then, once that part is
      decided, the date set for the rest;
    - 訂正・利用停止 under a special extension (第35条, 第42条): the date set in the notice.
    ``paused`` is True while a 補正 is open: the clock is stopped.
    """
    on = today if today is not None else _common.today()
    calendar = calendar if calendar is not None else library_calendar()
    special = special_extension_of(request) if request.special_extension else None
    if special is None:
        return ordinary_deadline(request, today=on, calendar=calendar)
    base = ordinary_deadline(request, today=on, calendar=calendar, with_extensions=False)
    if request.kind == RequestKind.DISCLOSURE:
        if _has_partial_scope_decision(request) and request.final_due_on is not None:
            return _moved_to(base, request.final_due_on, calendar)
        return special_deadlines(request, today=on, calendar=calendar)[1]
    remainder = special.remainder_due_on or request.final_due_on or base.due_on
    return _moved_to(base, remainder, calendar)


def _store_deadline(request: PrivacyRequest, *, on: dt.date, calendar: Calendar) -> None:
    deadline = request_deadline(request, on, calendar=calendar)
    request.due_on = deadline.due_on
    request.clock_stopped = deadline.paused and request.status in OPEN_STATUSES
