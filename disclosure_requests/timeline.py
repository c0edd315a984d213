"""What a request's detail page shows of its course: the timeline of its steps, its history versions, the
next steps it offers and the items its written request left blank (domain.md §7; 要綱 第17–42条).

Pure functions over a request whose steps are loaded (``selectors.request_with_steps``) and the rows the
selector hands them: no query, no access-log event. ``selectors.request_detail_for`` reads, scopes and
logs; the view only renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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
CHANGE_LABELS: dict[str, str] = {
    "receive": "受付",
    "amendment_request": "補正の依頼",
    "amendment_complete": "補正の完了",
    "extend": "期限の延長",
    "extend_special": "期限の特例延長",
    "consultation_send": "第三者への意見照会",
    "consultation_opinion": "第三者の意見書の受領",
    "decide": "決定",
    "disclosure_carry_out": "開示の実施",
    "correction_carry_out": "訂正の実施",
    CHANGE_SUSPENSION_DONE: "利用停止の実施",
    CHANGE_WITHDRAWN: "取下げ",
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
            f"{pr.get_kind_display()}の受付",
            [f"受付方法: {pr.get_channel_display()}", f"期限ルール: {pr.profile.name}"],
        )
    ]
    for a in pr.amendments.all():
        events.append(
            Event(
                a.requested_on,
                "補正の依頼（期限停止）",
                [f"回答期限: {_date(a.reply_by)}"],
                "stop",
            )
        )
        if a.completed_on is not None:
            days = (a.completed_on - a.requested_on).days
            events.append(Event(a.completed_on, "補正の完了", [f"期間に算入しない日数: {days}日"], "done"))
    for e in pr.extensions.all():
        if e.kind == Extension.Kind.NORMAL:
            events.append(Event(e.notified_on, f"期限の延長（{e.days}日）を通知", [], "warn"))
        else:
            lines = [f"残りの部分の決定期限: {_date(e.remainder_due_on)}"] if e.remainder_due_on else []
            events.append(Event(e.notified_on, "期限の特例延長を通知", lines, "warn"))
    for c in pr.consultations.all():
        events.append(
            Event(c.sent_on, "第三者への意見照会", [f"意見書の提出期限: {_date(c.opinion_due_on)}"])
        )
        if c.opinion_received_on is not None:
            opinion = "開示に反対" if c.objected else "開示に反対しない"
            events.append(
                Event(c.opinion_received_on, f"意見書の受領（{opinion}）", [], "warn" if c.objected else "")
            )
    for d in pr.decisions.all():
        title = f"決定: {d.get_outcome_display()}"
        if d.is_partial_scope:
            title += "（相当の部分）"
        lines = list(d.reason_labels)
        if d.reason_lapses_on:
            lines.append(f"理由がなくなる時期: {_date(d.reason_lapses_on)}")
        events.append(Event(d.decided_on, title, lines, "done"))
    if execution is not None:
        events.append(
            Event(
                execution.carried_out_on,
                f"開示の実施（{execution.get_method_display()}）",
                [f"費用: {execution.fee_yen:,}円"],
                "done",
            )
        )
    if correction is not None:
        lines = []
        if correction.recipients_notified_on:
            lines.append(f"提供先への通知: {_date(correction.recipients_notified_on)}")
        events.append(Event(correction.corrected_on, "訂正の実施", lines, "done"))
    for code, name in STEP_DAY_FIELDS.items():
        day = getattr(pr, name)
        if day is not None:
            events.append(Event(day, CHANGE_LABELS[code], [], "done"))
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
        label = CHANGE_LABELS.get(code, "変更" if record.history_type == "~" else "作成")
        day_field = STEP_DAY_FIELDS.get(code)
        day = getattr(record, day_field) if day_field else None
        if day is not None:
            label += f"（{_date(day)}）"
        rows.append(
            HistoryRow(
                at=record.history_date,
                user=record.history_user.get_username() if record.history_user else "システム",
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
    """Items the written request should state (第18条, 第31条, 第38条) but that were left blank: a formal
    defect to be fixed by 補正, not a reason to refuse the request."""
    missing = []
    if not pr.requester_address:
        missing.append("請求者の住所又は居所（要綱 第18条第1項第1号）")
    if pr.kind != RequestKind.DISCLOSURE and not pr.reason_for_request:
        article = "第31条第1項第3号" if pr.kind == RequestKind.CORRECTION else "第38条第1項第3号"
        missing.append(f"請求の理由（要綱 {article}）")
    return missing
