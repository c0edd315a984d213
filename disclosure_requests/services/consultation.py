"""Third parties: 意見照会 before a disclosure decision and the opinion they return (山梨県 要綱 第26条).

A third party named in the information may submit an opinion within ``third_party_opinion_days``
(第26条第1–2項); an objection means at least two weeks between the decision and carrying it out, and
the third party is told at once (第26条第3項; enforced in ``carrying_out``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from privacy_admin.core.actor import Actor
from privacy_admin.core.dates import format_date as _ymd
from privacy_admin.core.errors import FieldErrors, refuse

from .. import deadlines
from ..models import PrivacyRequest, RequestKind, RequestStatus, ThirdPartyConsultation
from ..profiles import library_calendar
from . import _common
from ._common import OPEN_STATUSES, _audit, _date, _lock, _open_status, _refresh, _require_open, _save, _text
from .deadline_in_force import _store_deadline


def consultation_send(
    *,
    actor: Actor,
    request: PrivacyRequest,
    third_party_name: str,
    third_party_address: str,
    information_concerned: str,
    sent_on: dt.date,
) -> ThirdPartyConsultation:
    """意見照会 (第26条第1–2項): give a third party named in the information the chance to submit an
    opinion before a disclosure decision; the opinion is due ``third_party_opinion_days`` later."""
    on = _common.today()
    with transaction.atomic():
        req = _lock(request)
        if req.kind != RequestKind.DISCLOSURE:
            raise refuse("__all__", _("第三者への意見照会は開示請求についてのみ行います。"))
        _require_open(req, _("第三者への意見照会"))
        errors = FieldErrors()
        M = ThirdPartyConsultation
        name = _text(
            errors,
            "third_party_name",
            third_party_name,
            model=M,
            required=True,
            message=_("照会する第三者の氏名または名称を入力してください。"),
        )
        address = _text(errors, "third_party_address", third_party_address, model=M, required=False)
        info = _text(
            errors,
            "information_concerned",
            information_concerned,
            model=M,
            required=True,
            multiline=True,
            message=_("第三者に関する情報の内容を入力してください。"),
        )
        sent = _date(errors, "sent_on", sent_on, label=_("照会日"), on=on)
        if sent is not None and sent < req.received_on:
            errors.add(
                "sent_on",
                _("照会日が請求の受付日（%(received_on)s）より前です。")
                % {"received_on": _ymd(req.received_on)},
            )
        errors.raise_if_any()
        assert sent is not None
        calendar = library_calendar()
        consultation = ThirdPartyConsultation.objects.create(
            request=req,
            third_party_name=name,
            third_party_address=address,
            information_concerned=info,
            sent_on=sent,
            opinion_due_on=deadlines.requester_deadline(
                sent, req.profile.third_party_opinion_days, calendar=calendar
            ),
        )
        req.status = _open_status(req)
        _store_deadline(req, on=on, calendar=calendar)
        _save(req, "consultation_send", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.consultation_send",
            request=req,
            detail={
                "consultation_id": consultation.pk,
                "opinion_due_on": consultation.opinion_due_on.isoformat(),
            },
        )
    _refresh(request)
    return consultation


def consultation_record_opinion(
    *, actor: Actor, consultation: ThirdPartyConsultation, received_on: dt.date, objected: bool
) -> ThirdPartyConsultation:
    """The third party's written opinion arrived. An objection means at least two weeks between a
    disclosure decision and carrying it out, and the third party is told at once (第26条第3項)."""
    on = _common.today()
    with transaction.atomic():
        req = _lock(consultation.request_id)
        row = ThirdPartyConsultation.objects.select_for_update().get(pk=consultation.pk)
        if row.opinion_received_on is not None:
            raise refuse("received_on", _("この照会の意見書は既に受領済みとして記録されています。"))
        if req.status in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN):
            raise refuse(
                "__all__",
                _("この請求は「%(status)s」のため、記録できません。") % {"status": req.get_status_display()},
            )
        errors = FieldErrors()
        received = _date(errors, "received_on", received_on, label=_("意見書の受領日"), on=on)
        if received is not None and received < row.sent_on:
            errors.add(
                "received_on",
                _("意見書の受領日が照会日（%(sent_on)s）より前です。") % {"sent_on": _ymd(row.sent_on)},
            )
        if not isinstance(objected, bool):
            errors.add("objected", _("開示に反対かどうかを選んでください。"))
        errors.raise_if_any()
        assert received is not None
        row.opinion_received_on = received
        row.objected = objected
        row.save(update_fields=["opinion_received_on", "objected"])
        if req.status in OPEN_STATUSES:
            req.status = _open_status(req)
            _store_deadline(req, on=on, calendar=library_calendar())
            _save(req, "consultation_opinion", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.consultation_opinion",
            request=req,
            detail={"consultation_id": row.pk, "objected": objected},
        )
    consultation.refresh_from_db()
    return consultation
