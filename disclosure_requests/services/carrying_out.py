"""Carrying out a decision, and withdrawal (山梨県 要綱 第26条第3項, 第27–28条, 第32条, 第36条, 第39条).

開示の実施 by the method asked for within 30 days of the decision notice (第27条第3項), at least two
weeks after the decision when a third party objected (第26条第3項), for a fee at actual cost (第28条);
訂正 carried out and the recipients told in writing (第32条, 第36条); 利用停止 carried out (第39条);
a request withdrawn before its decision. Each closes the request.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from privacy_admin.core.actor import Actor
from privacy_admin.core.calendar import Calendar
from privacy_admin.core.dates import format_date as _ymd
from privacy_admin.core.errors import FieldErrors, refuse

from .. import deadlines
from ..citations import article_of
from ..models import (
    CorrectionExecution,
    Decision,
    DisclosureExecution,
    Outcome,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)
from ..profiles import library_calendar
from . import _common
from ._common import _audit, _choice, _date, _lock, _refresh, _require_open, _save, _text

DISCLOSING_OUTCOMES = frozenset({Outcome.FULL, Outcome.PARTIAL})

MAX_FEE_YEN = 1_000_000

# History change reasons (the step's name) for steps that have no table of their own: their day is kept
# in a field of the request (``suspension_carried_out_on``, ``withdrawn_on``), never in the reason.
CHANGE_SUSPENSION_DONE = "suspension_carried_out"
CHANGE_WITHDRAWN = "withdrawn"


def _disclosing_decision(request: PrivacyRequest) -> Decision | None:
    return request.decisions.filter(outcome__in=list(DISCLOSING_OUTCOMES)).order_by("decided_on", "pk").last()


def method_choice_deadline(request: PrivacyRequest, *, calendar: Calendar | None = None) -> dt.date | None:
    """The last day to ask for a method of disclosure: 30 days from the decision notice (第27条第3項)."""
    decision = _disclosing_decision(request)
    if decision is None:
        return None
    calendar = calendar if calendar is not None else library_calendar()
    return deadlines.requester_deadline(
        decision.decided_on, request.profile.method_choice_days, calendar=calendar
    )


def earliest_disclosure_on(request: PrivacyRequest) -> dt.date | None:
    """When a third party objected: the first day the disclosure may be carried out (第26条第3項)."""
    decision = _disclosing_decision(request)
    if decision is None or not request.consultations.filter(objected=True).exists():
        return None
    return deadlines.earliest_disclosure_after_objection(
        decision.decided_on, request.profile.third_party_wait_days
    )


def disclosure_carry_out(
    *,
    actor: Actor,
    request: PrivacyRequest,
    method: str,
    method_requested_on: dt.date,
    carried_out_on: dt.date,
    fee_yen: int,
    fee_basis: str = "",
) -> DisclosureExecution:
    """Carry out a 全部開示 / 部分開示 decision (第27条) by the method the person asked for within 30 days of
    the decision notice (第27条第3項), at least two weeks after the decision when a third party objected
    (第26条第3項), for a fee at actual cost (第28条)."""
    on = _common.today()
    with transaction.atomic():
        req = _lock(request)
        if req.kind != RequestKind.DISCLOSURE:
            raise refuse("__all__", _("開示の実施は開示請求についてのみ記録します。"))
        decision = _disclosing_decision(req)
        if req.status != RequestStatus.DECIDED or decision is None:
            if DisclosureExecution.objects.filter(request=req).exists():
                raise refuse("__all__", _("この請求の開示は既に実施済みです。"))
            raise refuse(
                "__all__",
                _("開示の実施は、全部開示または部分開示の決定の後に記録します。"),
            )
        errors = FieldErrors()
        method = _choice(
            errors, "method", method, DisclosureExecution.Method.values, _("開示の実施方法を選んでください。")
        )
        requested = _date(
            errors, "method_requested_on", method_requested_on, label=_("実施方法の申出日"), on=on
        )
        carried = _date(errors, "carried_out_on", carried_out_on, label=_("開示の実施日"), on=on)
        basis = _text(errors, "fee_basis", fee_basis, model=DisclosureExecution, required=False)
        if isinstance(fee_yen, bool) or not isinstance(fee_yen, int):
            errors.add("fee_yen", _("費用は円単位の整数で入力してください。"))
        elif fee_yen < 0:
            errors.add("fee_yen", _("費用に負の金額は入力できません。"))
        elif fee_yen > MAX_FEE_YEN:
            errors.add(
                "fee_yen",
                _("費用が大きすぎます（%(max_fee_yen)s円以下）。入力を確認してください。")
                % {"max_fee_yen": format(MAX_FEE_YEN, ",")},
            )
        elif fee_yen > 0 and not basis:
            errors.add(
                "fee_basis",
                _("費用を徴収する場合は、実費の内訳（写しの枚数・送料など）を入力してください。"),
            )
        calendar = library_calendar()
        last_day = deadlines.requester_deadline(
            decision.decided_on, req.profile.method_choice_days, calendar=calendar
        )
        if requested is not None:
            if requested < req.received_on:
                errors.add("method_requested_on", _("実施方法の申出日が請求の受付日より前です。"))
            elif requested > last_day:
                errors.add(
                    "method_requested_on",
                    _(
                        "実施方法の申出は、開示決定の通知があった日から%(method_choice_days)s日以内（%(last_day)sまで）"
                        "にしなければなりません（%(article)s）。期間を過ぎた申出は受け付けられません。"
                    )
                    % {
                        "method_choice_days": req.profile.method_choice_days,
                        "last_day": _ymd(last_day),
                        "article": article_of(req.profile, "method_choice"),
                    },
                )
        if carried is not None:
            if carried < decision.decided_on:
                errors.add(
                    "carried_out_on",
                    _("開示の実施日が決定日（%(decided_on)s）より前です。")
                    % {"decided_on": _ymd(decision.decided_on)},
                )
            elif requested is not None and carried < requested:
                errors.add("carried_out_on", _("開示の実施日が実施方法の申出日より前です。"))
            elif req.consultations.filter(objected=True).exists():
                earliest = deadlines.earliest_disclosure_after_objection(
                    decision.decided_on, req.profile.third_party_wait_days
                )
                if carried < earliest:
                    errors.add(
                        "carried_out_on",
                        _(
                            "第三者が開示に反対する意見書を提出しているため、開示決定の日と開示を実施する日との間に少なくとも2週間を置かなければなりません。"
                            "実施できるのは%(earliest)s以降です（%(article)s）。"
                        )
                        % {
                            "earliest": _ymd(earliest),
                            "article": article_of(req.profile, "third_party_wait"),
                        },
                    )
        errors.raise_if_any()
        assert requested is not None and carried is not None
        execution = DisclosureExecution.objects.create(
            request=req,
            method=method,
            method_requested_on=requested,
            carried_out_on=carried,
            fee_yen=fee_yen,
            fee_basis=basis,
        )
        req.status = RequestStatus.CLOSED
        req.clock_stopped = False
        _save(req, "disclosure_carry_out", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.disclosure_carry_out",
            request=req,
            detail={"method": method, "fee_yen": fee_yen, "carried_out_on": carried.isoformat()},
        )
    _refresh(request)
    return execution


def _granting_decision(request: PrivacyRequest, outcome: str) -> Decision | None:
    last = request.decisions.order_by("decided_on", "pk").last()
    return last if last is not None and last.outcome == outcome else None


def correction_carry_out(
    *,
    actor: Actor,
    request: PrivacyRequest,
    corrected_on: dt.date,
    what_was_corrected: str,
    recipients: str = "",
    recipients_notified_on: dt.date | None = None,
) -> CorrectionExecution:
    """Carry out a 訂正する decision (第32条) and, where the data was provided to others, tell them
    without delay in writing (第36条)."""
    on = _common.today()
    with transaction.atomic():
        req = _lock(request)
        if req.kind != RequestKind.CORRECTION:
            raise refuse("__all__", _("訂正の実施は訂正請求についてのみ記録します。"))
        if CorrectionExecution.objects.filter(request=req).exists():
            raise refuse("__all__", _("この請求の訂正は既に実施済みです。"))
        decision = _granting_decision(req, Outcome.CORRECT)
        if req.status != RequestStatus.DECIDED or decision is None:
            raise refuse("__all__", _("訂正の実施は、「訂正する」旨の決定の後に記録します。"))
        errors = FieldErrors()
        M = CorrectionExecution
        corrected = _date(errors, "corrected_on", corrected_on, label=_("訂正の実施日"), on=on)
        if corrected is not None and corrected < decision.decided_on:
            errors.add(
                "corrected_on",
                _("訂正の実施日が決定日（%(decided_on)s）より前です。")
                % {"decided_on": _ymd(decision.decided_on)},
            )
        what = _text(
            errors,
            "what_was_corrected",
            what_was_corrected,
            model=M,
            required=True,
            multiline=True,
            message=_("訂正した内容を入力してください。"),
        )
        to = _text(errors, "recipients", recipients, model=M, required=False, multiline=True)
        notified = _date(
            errors,
            "recipients_notified_on",
            recipients_notified_on,
            label=_("提供先への通知日"),
            required=False,
            on=on,
        )
        if to and notified is None and "recipients_notified_on" not in errors:
            errors.add(
                "recipients_notified_on",
                _("提供先に訂正を通知した日を入力してください（%(article)s: 遅滞なく書面で通知）。")
                % {"article": article_of(req.profile, "correction_recipients")},
            )
        if notified is not None and not to:
            errors.add("recipients", _("通知した提供先を入力してください。"))
        if notified is not None and corrected is not None and notified < corrected:
            errors.add("recipients_notified_on", _("提供先への通知日が訂正の実施日より前です。"))
        errors.raise_if_any()
        assert corrected is not None
        execution = CorrectionExecution.objects.create(
            request=req,
            corrected_on=corrected,
            what_was_corrected=what,
            recipients=to,
            recipients_notified_on=notified,
        )
        req.status = RequestStatus.CLOSED
        req.clock_stopped = False
        _save(req, "correction_carry_out", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.correction_carry_out",
            request=req,
            detail={"corrected_on": corrected.isoformat(), "recipients_notified": notified is not None},
        )
    _refresh(request)
    return execution


def suspension_carry_out(*, actor: Actor, request: PrivacyRequest, carried_out_on: dt.date) -> PrivacyRequest:
    """Carry out a 利用停止する decision (第39条): stop using, erase or stop providing, as decided.

    There is no table of its own: the date is kept on the request (``suspension_carried_out_on``) and in
    the access log; the request is closed.
    """
    on = _common.today()
    with transaction.atomic():
        req = _lock(request)
        if req.kind != RequestKind.SUSPENSION:
            raise refuse("__all__", _("利用停止の実施は利用停止請求についてのみ記録します。"))
        decision = _granting_decision(req, Outcome.SUSPEND)
        if req.status != RequestStatus.DECIDED or decision is None:
            raise refuse(
                "__all__",
                _("利用停止の実施は、「利用停止する」旨の決定の後に記録します。"),
            )
        errors = FieldErrors()
        carried = _date(errors, "carried_out_on", carried_out_on, label=_("利用停止の実施日"), on=on)
        if carried is not None and carried < decision.decided_on:
            errors.add(
                "carried_out_on",
                _("利用停止の実施日が決定日（%(decided_on)s）より前です。")
                % {"decided_on": _ymd(decision.decided_on)},
            )
        errors.raise_if_any()
        assert carried is not None
        req.status = RequestStatus.CLOSED
        req.clock_stopped = False
        req.suspension_carried_out_on = carried
        _save(req, CHANGE_SUSPENSION_DONE, actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.suspension_carry_out",
            request=req,
            detail={"carried_out_on": carried.isoformat(), "suspension_kind": req.suspension_kind},
        )
    _refresh(request)
    return request


def request_withdraw(*, actor: Actor, request: PrivacyRequest, on: dt.date) -> PrivacyRequest:
    """The requester withdrew the request before its decision. The day is kept on the request
    (``withdrawn_on``) and in the access log."""
    now = _common.today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, _("取下げ"))
        errors = FieldErrors()
        day = _date(errors, "on", on, label=_("取下げの日"), on=now)
        if day is not None and day < req.received_on:
            errors.add(
                "on",
                _("取下げの日が受付日（%(received_on)s）より前です。")
                % {"received_on": _ymd(req.received_on)},
            )
        errors.raise_if_any()
        assert day is not None
        req.status = RequestStatus.WITHDRAWN
        req.clock_stopped = False
        req.withdrawn_on = day
        _save(req, CHANGE_WITHDRAWN, actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.withdraw",
            request=req,
            detail={"withdrawn_on": day.isoformat()},
        )
    _refresh(request)
    return request
