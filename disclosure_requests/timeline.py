"""What a request's detail page shows of its course: the timeline of its steps, its history versions, the
next steps it offers and the items its written request left blank (domain.md §7; 山梨県 要綱 第17–42条).

Pure functions over a request whose steps are loaded (``selectors.request_with_steps``) and the rows the
selector hands them: no query, no access-log event. ``selectors.request_detail_for`` reads, scopes and
logs; the view only renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from privacy_admin.core.dates import format_date as _date

from .models import (
    CorrectionExecution,
    DisclosureExecution,
    Extension,
    Outcome,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)
from .services import (
    CHANGE_SUSPENSION_DONE,
    CHANGE_WITHDRAWN,
    DISCLOSING_OUTCOMES,
    OPEN_STATUSES,
    extension_max_days,
)

# What each history change reason means on screen (services._common._save).
CHANGE_LABELS: dict[str, StrOrPromise] = {
    "receive": gettext_lazy("受付"),
    "amendment_request": gettext_lazy("補正の依頼"),
    "amendment_complete": gettext_lazy("補正の完了"),
    "extend": gettext_lazy("期限の延長"),
    "extend_special": gettext_lazy("期限の特例延長"),
    "consultation_send": gettext_lazy("第三者への意見照会"),
    "consultation_opinion": gettext_lazy("第三者の意見書の受領"),
    "decide": gettext_lazy("決定"),
    "disclosure_carry_out": gettext_lazy("開示の実施"),
    "correction_carry_out": gettext_lazy("訂正の実施"),
    CHANGE_SUSPENSION_DONE: gettext_lazy("利用停止の実施"),
    CHANGE_WITHDRAWN: gettext_lazy("取下げ"),
}

# Steps with no table of their own: the request's field that holds the day each was taken.
STEP_DAY_FIELDS: dict[str, str] = {
    CHANGE_SUSPENSION_DONE: "suspension_carried_out_on",
    CHANGE_WITHDRAWN: "withdrawn_on",
}


@dataclass(frozen=True)
class Event:
    """One line of the timeline (経過)."""

    day: dt.date
    title: str
    lines: list[str] = field(default_factory=list)
    tone: str = ""  # "", "warn", "done", "stop"


@dataclass(frozen=True)
class HistoryRow:
    """One version of the request (変更履歴): when, who, which step, which fields changed (names only)."""

    at: dt.datetime
    user: str
    label: str
    changed: list[str]


@dataclass
class Steps:
    """Which next steps the detail page offers, given where the request stands."""

    amend: bool = False
    complete: list[Any] = field(default_factory=list)
    extend: bool = False
    extension_days_left: int = 0
    special: bool = False
    consult: bool = False
    opinion: list[Any] = field(default_factory=list)
    decide: bool = False
    disclose: bool = False
    correct: bool = False
    suspend: bool = False
    withdraw: bool = False

    @property
    def any(self) -> bool:
        return any(
            (
                self.amend,
                self.complete,
                self.extend,
                self.special,
                self.consult,
                self.opinion,
                self.decide,
                self.disclose,
                self.correct,
                self.suspend,
                self.withdraw,
            )
        )


def timeline_events(
    pr: PrivacyRequest,
    *,
    execution: DisclosureExecution | None,
    correction: CorrectionExecution | None,
) -> list[Event]:
    """Every step of the request in the order taken (same day: in the order of the procedure)."""
    events = [
        Event(
            pr.received_on,
            _("%(kind)sの受付") % {"kind": pr.get_kind_display()},
            [
                _("受付方法: %(channel)s") % {"channel": pr.get_channel_display()},
                _("期限ルール: %(name)s") % {"name": pr.profile.name},
            ],
        )
    ]
    for a in pr.amendments.all():
        events.append(
            Event(
                a.requested_on,
                _("補正の依頼（期限停止）"),
                [_("回答期限: %(reply_by)s") % {"reply_by": _date(a.reply_by)}],
                "stop",
            )
        )
        if a.completed_on is not None:
            days = (a.completed_on - a.requested_on).days
            events.append(
                Event(
                    a.completed_on,
                    _("補正の完了"),
                    [_("期間に算入しない日数: %(days)s日") % {"days": days}],
                    "done",
                )
            )
    for e in pr.extensions.all():
        if e.kind == Extension.Kind.NORMAL:
            events.append(
                Event(e.notified_on, _("期限の延長（%(days)s日）を通知") % {"days": e.days}, [], "warn")
            )
        else:
            lines = (
                [
                    _("残りの部分の決定期限: %(remainder_due_on)s")
                    % {"remainder_due_on": _date(e.remainder_due_on)}
                ]
                if e.remainder_due_on
                else []
            )
            events.append(Event(e.notified_on, _("期限の特例延長を通知"), lines, "warn"))
    for c in pr.consultations.all():
        events.append(
            Event(
                c.sent_on,
                _("第三者への意見照会"),
                [_("意見書の提出期限: %(opinion_due_on)s") % {"opinion_due_on": _date(c.opinion_due_on)}],
            )
        )
        if c.opinion_received_on is not None:
            opinion = _("開示に反対") if c.objected else _("開示に反対しない")
            events.append(
                Event(
                    c.opinion_received_on,
                    _("意見書の受領（%(opinion)s）") % {"opinion": opinion},
                    [],
                    "warn" if c.objected else "",
                )
            )
    for d in pr.decisions.all():
        title = _("決定: %(outcome)s") % {"outcome": d.get_outcome_display()}
        if d.is_partial_scope:
            title += _("（相当の部分）")
        lines = list(d.reason_labels)
        if d.reason_lapses_on:
            lines.append(
                _("理由がなくなる時期: %(reason_lapses_on)s")
                % {"reason_lapses_on": _date(d.reason_lapses_on)}
            )
        events.append(Event(d.decided_on, title, lines, "done"))
    if execution is not None:
        events.append(
            Event(
                execution.carried_out_on,
                _("開示の実施（%(method)s）") % {"method": execution.get_method_display()},
                [_("費用: %(fee_yen)s円") % {"fee_yen": format(execution.fee_yen, ",")}],
                "done",
            )
        )
    if correction is not None:
        lines = []
        if correction.recipients_notified_on:
            lines.append(
                _("提供先への通知: %(recipients_notified_on)s")
                % {"recipients_notified_on": _date(correction.recipients_notified_on)}
            )
        events.append(Event(correction.corrected_on, _("訂正の実施"), lines, "done"))
    for code, name in STEP_DAY_FIELDS.items():
        day = getattr(pr, name)
        if day is not None:
            events.append(Event(day, str(CHANGE_LABELS[code]), [], "done"))
    events.sort(key=lambda e: e.day)  # stable: same-day steps keep the order of the procedure
    return events


def _field_label(name: str) -> str:
    return str(getattr(PrivacyRequest._meta.get_field(name), "verbose_name", name))


def history_rows(records: Iterable[Any]) -> list[HistoryRow]:
    """The request's own versions (django-simple-history), newest first, from ``records`` oldest first.

    Field names only, not values: the values are on the page already, and the list stays readable."""
    rows = []
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changed = [_field_label(c.field) for c in delta.changes]
        code = record.history_change_reason or ""
        label = str(CHANGE_LABELS.get(code, _("変更") if record.history_type == "~" else _("作成")))
        day_field = STEP_DAY_FIELDS.get(code)
        day = getattr(record, day_field) if day_field else None
        if day is not None:
            label += f"（{_date(day)}）"
        rows.append(
            HistoryRow(
                at=record.history_date,
                user=record.history_user.get_username() if record.history_user else _("システム"),
                label=label,
                changed=changed,
            )
        )
        previous = record
    rows.reverse()
    return rows


def next_steps(pr: PrivacyRequest, *, executed: bool) -> Steps:
    """The steps open to the request now; ``executed``: its disclosure has been carried out."""
    steps = Steps()
    open_amendments = [a for a in pr.amendments.all() if a.completed_on is None]
    steps.opinion = [
        c
        for c in pr.consultations.all()
        if c.opinion_received_on is None and pr.status not in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN)
    ]
    if pr.status in OPEN_STATUSES:
        used = sum(e.days for e in pr.extensions.all() if e.kind == Extension.Kind.NORMAL)
        steps.extension_days_left = max(0, extension_max_days(pr.profile, pr.kind) - used)
        steps.amend = not open_amendments
        steps.complete = open_amendments
        steps.extend = not pr.special_extension and steps.extension_days_left > 0
        steps.special = not pr.special_extension
        steps.consult = pr.kind == RequestKind.DISCLOSURE
        steps.decide = True
        steps.withdraw = True
    elif pr.status == RequestStatus.DECIDED:
        decisions = list(pr.decisions.all())
        last = decisions[-1] if decisions else None
        outcomes = {d.outcome for d in decisions}
        if pr.kind == RequestKind.DISCLOSURE:
            steps.disclose = bool(outcomes & DISCLOSING_OUTCOMES) and not executed
        elif pr.kind == RequestKind.CORRECTION:
            steps.correct = last is not None and last.outcome == Outcome.CORRECT
        else:
            steps.suspend = last is not None and last.outcome == Outcome.SUSPEND
    return steps


def missing_items(pr: PrivacyRequest) -> list[str]:
    """Items the written request should state (法 第77条・第91条・第99条第1項; 山梨県 要綱 第18条・第31条・
    第38条第1項) but that were left blank: a formal defect to be fixed by 補正, not a reason to refuse the
    request. Each names the item of the request's rule profile (「（法第91条第1項第3号）」)."""
    form = pr.profile.cite(f"{pr.kind}_form", short=True)

    def item(label: str, number: int) -> str:
        return (
            _("%(label)s（%(form)s第%(number)s号）") % {"label": label, "form": form, "number": number}
            if form
            else label
        )

    missing = []
    if not pr.requester_address:
        missing.append(item(_("請求者の住所又は居所"), 1))
    if pr.kind != RequestKind.DISCLOSURE and not pr.reason_for_request:
        missing.append(item(_("請求の理由"), 3))
    return missing
