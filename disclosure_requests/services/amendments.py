"""補正 and extensions of the decision period (山梨県 要綱 第18条第3項, 第24条第1項ただし書, 第24条第2項,
第25条, 第34–35条, 第41–42条; 個人情報保護法 第84条).

A 補正 stops the clock from the day after it is asked until the fixed request arrives (第24条第1項
ただし書). An ordinary extension adds up to the profile's maximum in total, notified before the deadline
(第24条第2項, 第34条第2項, 第41条第2項); 期限の特例 sets a date for the rest (開示 第25条 / 個人情報保護法
第84条; 訂正 第35条; 利用停止 第42条).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from privacy_admin.core.actor import Actor
from privacy_admin.core.dates import format_date as _ymd
from privacy_admin.core.errors import FieldErrors, refuse

from .. import deadlines
from ..citations import article_of
from ..models import Amendment, Extension, PrivacyRequest, RequestKind, RequestStatus
from ..profiles import library_calendar
from . import _common
from ._common import _audit, _date, _lock, _open_status, _refresh, _require_open, _save, _text
from .deadline_in_force import (
    _grants,
    _store_deadline,
    extension_max_days,
    ordinary_deadline,
    request_deadline,
    request_pauses,
    special_deadlines,
    special_notice_days,
)

# --- 補正 (山梨県 要綱 第18条第3項, 第24条第1項ただし書) ---------------------------------------------------


def amendment_request(
    *, actor: Actor, request: PrivacyRequest, requested_on: dt.date, what_to_fix: str
) -> Amendment:
    """Ask the requester to fix a formally defective request (第18条第3項, 第31条第3項, 第38条第3項).

    From the day after ``requested_on`` until the fixed request arrives the clock is stopped (第24条
    ただし書); the requester's reply is due ``amendment_reply_days`` later (moved to the next open day).
    """
    on = _common.today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, _("補正の依頼"))
        errors = FieldErrors()
        requested = _date(errors, "requested_on", requested_on, label=_("補正を求めた日"), on=on)
        what = _text(
            errors,
            "what_to_fix",
            what_to_fix,
            model=Amendment,
            required=True,
            multiline=True,
            message=_("補正を求める事項を入力してください。補正の参考となる情報を示します。"),
        )
        errors.raise_if_any()
        assert requested is not None
        calendar = library_calendar()
        try:
            deadlines.validate_pause(
                deadlines.Pause(requested),
                received_on=req.received_on,
                existing=request_pauses(req),
                today=on,
            )
        except deadlines.DeadlineError as exc:
            raise refuse(exc.field if exc.field != "completed_on" else "requested_on", str(exc)) from None
        current = request_deadline(req, requested, calendar=calendar)
        if not current.paused and requested > current.due_on:
            raise refuse(
                "requested_on",
                _(
                    "決定期限（%(due_on)s）を過ぎてから補正を求めることはできません。補正に要した日数だけが期間に算入されません"
                    "（%(article)sただし書）。"
                )
                % {"due_on": _ymd(current.due_on), "article": article_of(req.profile, f"{req.kind}_period")},
            )
        reply_by = deadlines.requester_deadline(
            requested, req.profile.amendment_reply_days, calendar=calendar
        )
        amendment = Amendment.objects.create(
            request=req, requested_on=requested, what_to_fix=what, reply_by=reply_by
        )
        req.status = RequestStatus.AMENDING
        _store_deadline(req, on=on, calendar=calendar)
        _save(req, "amendment_request", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.amendment_request",
            request=req,
            detail={"amendment_id": amendment.pk, "reply_by": reply_by.isoformat()},
        )
    _refresh(request)
    return amendment


def amendment_complete(*, actor: Actor, amendment: Amendment, completed_on: dt.date) -> Amendment:
    """Record the day the fixed request arrived: the clock runs again, later by the days it took."""
    on = _common.today()
    with transaction.atomic():
        req = _lock(amendment.request_id)
        row = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if row.completed_on is not None:
            raise refuse("completed_on", _("この補正は既に完了しています。"))
        _require_open(req, _("補正の完了の記録"))
        errors = FieldErrors()
        completed = _date(errors, "completed_on", completed_on, label=_("補正の完了日"), on=on)
        errors.raise_if_any()
        assert completed is not None
        others = [deadlines.Pause(a.requested_on, a.completed_on) for a in req.amendments.exclude(pk=row.pk)]
        try:
            deadlines.validate_pause(
                deadlines.Pause(row.requested_on, completed),
                received_on=req.received_on,
                existing=others,
                today=on,
            )
        except deadlines.DeadlineError as exc:
            raise refuse("completed_on", str(exc)) from None
        row.completed_on = completed
        row.save(update_fields=["completed_on"])
        calendar = library_calendar()
        req.status = _open_status(req)
        _store_deadline(req, on=on, calendar=calendar)
        _save(req, "amendment_complete", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.amendment_complete",
            request=req,
            detail={
                "amendment_id": row.pk,
                "days_not_counted": (completed - row.requested_on).days,
                "due_on": req.due_on.isoformat(),
            },
        )
    amendment.refresh_from_db()
    return amendment


# --- extensions (山梨県 要綱 第24条第2項, 第25条, 第34–35条, 第41–42条) ----------------------------------


def request_extend(
    *, actor: Actor, request: PrivacyRequest, days: int, reason: str, notified_on: dt.date
) -> Extension:
    """Extend the deadline for good reason, up to the profile's maximum in total, by a written notice
    given before the deadline (第24条第2項: 15 days; 第34条第2項, 第41条第2項: 30 days)."""
    on = _common.today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, _("期限の延長"))
        if req.special_extension:
            raise refuse(
                "__all__",
                _("期限の特例（%(value)s）を適用しているため、通常の延長はできません。")
                % {"value": article_of(req.profile, f"{req.kind}_special")},
            )
        errors = FieldErrors()
        if isinstance(days, bool) or not isinstance(days, int):
            errors.add("days", _("延長日数は整数で入力してください。"))
        notified = _date(errors, "notified_on", notified_on, label=_("延長の通知日"), on=on)
        text = _text(errors, "reason", reason, model=Extension, required=False, multiline=True)
        errors.raise_if_any()
        assert notified is not None
        calendar = library_calendar()
        grant = deadlines.ExtensionGrant(days=days, reason=text, notified_on=notified)
        try:
            deadlines.validate_extension(
                grant,
                current=ordinary_deadline(req, today=notified, calendar=calendar),
                granted=_grants(req),
                max_days=extension_max_days(req.profile, req.kind),
                received_on=req.received_on,
                kind=req.kind,
                article=article_of(req.profile, f"{req.kind}_extension"),
            )
        except deadlines.DeadlineError as exc:
            raise refuse(exc.field, str(exc)) from None
        extension = Extension.objects.create(
            request=req, kind=Extension.Kind.NORMAL, days=days, reason=text, notified_on=notified
        )
        _store_deadline(req, on=on, calendar=calendar)
        _save(req, "extend", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.extend",
            request=req,
            detail={"extension_id": extension.pk, "days": days, "due_on": req.due_on.isoformat()},
        )
    _refresh(request)
    return extension


def request_extend_special(
    *,
    actor: Actor,
    request: PrivacyRequest,
    reason: str,
    notified_on: dt.date,
    remainder_due_on: dt.date,
) -> Extension:
    """期限の特例 (開示 第25条 / APPI 第84条; 訂正 第35条; 利用停止 第42条).

    The notice (with the reason and the date for the rest) is due within the ordinary period. 開示: a
    substantial part is then decided within 30 days (APPI 60) and the rest by ``remainder_due_on``;
    訂正・利用停止: the whole decision by ``remainder_due_on`` ("相当の期間").
    """
    on = _common.today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, _("期限の特例延長"))
        if req.special_extension:
            raise refuse("__all__", _("この請求には既に期限の特例を適用しています。"))
        errors = FieldErrors()
        notified = _date(errors, "notified_on", notified_on, label=_("特例延長の通知日"), on=on)
        text = _text(
            errors,
            "reason",
            reason,
            model=Extension,
            required=True,
            multiline=True,
            message=_("特例を適用する理由を入力してください。理由は書面で通知します（%(value)s）。")
            % {"value": article_of(req.profile, f"{req.kind}_special")},
        )
        remainder: dt.date | None = None
        if remainder_due_on in (None, ""):
            errors.add(
                "remainder_due_on",
                _(
                    "残りの部分（訂正・利用停止では決定全体）の決定期限を入力してください。この期限は書面で通知します（%(value)s）"
                    "。"
                )
                % {"value": article_of(req.profile, f"{req.kind}_special")},
            )
        elif isinstance(remainder_due_on, dt.datetime) or not isinstance(remainder_due_on, dt.date):
            errors.add("remainder_due_on", _("決定期限を正しい日付で入力してください。"))
        else:
            remainder = remainder_due_on
        errors.raise_if_any()
        assert notified is not None and remainder is not None
        calendar = library_calendar()
        notice, substantial = special_deadlines(req, today=notified, calendar=calendar)
        if notified < req.received_on:
            raise refuse(
                "notified_on",
                _("特例延長の通知日（%(notified)s）が請求の受付日（%(received_on)s）より前です。")
                % {"notified": _ymd(notified), "received_on": _ymd(req.received_on)},
            )
        if notified > notice.due_on:
            raise refuse(
                "notified_on",
                _(
                    "期限の特例は、請求があった日から%(profile)s日以内（補正の日数を除き、%(due_on)sまで）に通知しなければなりません（%(value)s）"
                    "。"
                )
                % {
                    "profile": special_notice_days(req.profile, req.kind),
                    "due_on": _ymd(notice.due_on),
                    "value": article_of(req.profile, f"{req.kind}_special"),
                },
            )
        ordinary = ordinary_deadline(req, today=notified, calendar=calendar, with_extensions=False)
        floor = substantial if req.kind == RequestKind.DISCLOSURE else ordinary
        if remainder <= floor.due_on:
            what = (
                _("相当の部分を決定する期限") if req.kind == RequestKind.DISCLOSURE else _("通常の決定期限")
            )
            raise refuse(
                "remainder_due_on",
                _("決定期限は、%(what)s（%(due_on)s）より後の日にしてください。")
                % {"what": what, "due_on": _ymd(floor.due_on)},
            )
        extension = Extension.objects.create(
            request=req,
            kind=Extension.Kind.SPECIAL,
            days=0,
            reason=text,
            notified_on=notified,
            remainder_due_on=remainder,
        )
        req.special_extension = True
        req.final_due_on = remainder if req.kind == RequestKind.DISCLOSURE else None
        _store_deadline(req, on=on, calendar=calendar)
        _save(req, "extend_special", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.extend_special",
            request=req,
            detail={
                "extension_id": extension.pk,
                "due_on": req.due_on.isoformat(),
                "remainder_due_on": remainder.isoformat(),
            },
        )
    _refresh(request)
    return extension
