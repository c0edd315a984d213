"""Reminders of decision deadlines (山梨県 要綱 第24条, 第34条, 第41条): which open requests are due within a
few open days or overdue, and the e-mail to every privacy officer.

The mail names requests by number, kind and due date only — never a requester's name or what was asked;
the access log and the application log keep counts only.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record
from privacy_admin.core.calendar import ONE_DAY, Calendar
from privacy_admin.core.dates import format_date as _ymd

from .. import deadlines
from ..models import PrivacyRequest
from ..profiles import library_calendar
from . import _common
from ._common import OPEN_STATUSES, TARGET_TYPE
from .deadline_in_force import request_deadline

logger = logging.getLogger("disclosure_requests.services")


def nth_open_day_after(day: dt.date, n: int, calendar: Calendar) -> dt.date:
    """The ``n``-th open day after ``day`` (``day`` itself not counted)."""
    for _step in range(n):
        day = calendar.next_open_day(day + ONE_DAY)
    return day


def effective_due_on(deadline: deadlines.Deadline) -> dt.date:
    """The last day the library can act: the due date, or the last open day before it when closed."""
    return deadline.last_open_day_before or deadline.due_on


def requests_due_soon(
    *, on: dt.date, open_days: int = 3, calendar: Calendar | None = None
) -> list[tuple[PrivacyRequest, deadlines.Deadline]]:
    """Open requests whose clock runs and whose deadline (or the last open day before it) is within
    ``open_days`` open days, or has passed. Most urgent first."""
    calendar = calendar if calendar is not None else library_calendar()
    limit = nth_open_day_after(on, open_days, calendar)
    found = []
    qs = PrivacyRequest.objects.filter(status__in=OPEN_STATUSES).select_related("profile")
    for request in qs.prefetch_related("amendments", "extensions", "decisions"):
        deadline = request_deadline(request, on, calendar=calendar)
        if deadline.paused:
            continue
        if effective_due_on(deadline) <= limit:
            found.append((request, deadline))
    found.sort(key=lambda pair: (pair[1].due_on, pair[0].number))
    return found


def _reminder_body(
    rows: list[tuple[PrivacyRequest, deadlines.Deadline]], *, on: dt.date, open_days: int
) -> str:
    weekdays = "月火水木金土日"
    lines = [
        _(
            "決定期限まで%(open_days)s開庁日以内の請求、または期限を過ぎた請求が%(rows)s件あります（%(on)s現在）"
            "。"
        )
        % {"open_days": open_days, "rows": len(rows), "on": _ymd(on)},
        "",
    ]
    for request, deadline in rows:
        due = deadline.due_on
        if deadline.is_overdue(on):
            state = _("期限超過（%(days)s日）") % {"days": (on - due).days}
        elif due == on:
            state = _("本日が期限")
        else:
            state = _("あと%(days)s日") % {"days": (due - on).days}
        line = _("・%(number)s　%(kind)s　決定期限 %(due)s（%(weekday)s）　%(state)s") % {
            "number": request.number,
            "kind": request.get_kind_display(),
            "due": _ymd(due),
            "weekday": weekdays[due.weekday()],
            "state": state,
        }
        if deadline.falls_on_closed_day and deadline.last_open_day_before is not None:
            line += _("　※期限日は%(closed_reason)s。最終開庁日は%(last_open_day_before)s") % {
                "closed_reason": deadline.closed_reason,
                "last_open_day_before": _ymd(deadline.last_open_day_before),
            }
        lines.append(line)
    lines += [
        "",
        _(
            "請求の内容は、システムの「開示等請求」画面で確認してください（このメールには個人情報を記載していません）。"
        ),
    ]
    return "\n".join(lines)


def requests_remind_deadlines(*, on: dt.date | None = None, open_days: int = 3) -> int:
    """E-mail every privacy officer the requests due within ``open_days`` open days or overdue.

    The mail names requests by number, kind and due date only — never a requester's name or what was
    asked. Returns the number of requests reminded about; logs and audits counts only.
    """
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mass_mail

    from privacy_admin.core.roles import Role

    on = on or _common.today()
    rows = requests_due_soon(on=on, open_days=open_days)
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PRIVACY_OFFICER)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    overdue = sum(1 for _request, deadline in rows if deadline.is_overdue(on))
    if rows:
        subject = _("【開示等請求】決定期限が近い・過ぎた請求が%(rows)s件あります") % {"rows": len(rows)}
        if overdue:
            subject += _("（期限超過%(overdue)s件）") % {"overdue": overdue}
        body = _reminder_body(rows, on=on, open_days=open_days)
        messages = tuple((subject, body, None, [address]) for address in recipients)
        with transaction.atomic():
            audit_record(
                actor=None,
                action="privacy_request.reminder",
                target_type=TARGET_TYPE,
                detail={"count": len(rows), "overdue": overdue, "recipients": len(recipients)},
            )
            if messages:
                transaction.on_commit(functools.partial(send_mass_mail, messages, fail_silently=False))
    logger.info(
        "request deadline reminders: requests=%d overdue=%d recipients=%d",
        len(rows),
        overdue,
        len(recipients),
    )
    return len(rows)
