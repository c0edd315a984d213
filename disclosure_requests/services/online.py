"""電子申請: a 開示・訂正・利用停止 request made by the patron at マイページ (issue 16).

The patron signed in with card number and password, which is not the identity check the rules ask
for (山梨県 要綱 第18条第2項: a document seen by the library). So the patron's answers wait as an
``OnlineApplication`` 「本人確認待ち」 on the officers' list; the statutory clock has not started. The
patron brings a document to the counter or sends copies by post; an officer then receives it
(``online_application_receive``), which makes the ``PrivacyRequest`` through ``request_receive`` with
channel 電子申請, the patron's answers and the rule profile in force that day — the day the clock
starts (the day of receipt not counted, 民法 第140条).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from patrons.models import Patron
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.errors import FieldErrors

from ..models import Channel, OnlineApplication, PrivacyRequest, RequesterKind, RequestKind, SuspensionKind
from ..profiles import current_profile, note_in_force
from ._common import _choice, _date, _text, today
from .deadline_in_force import base_days
from .intake import request_receive

# The rule whose article says what a request must state, by request kind.
FORM_RULES: dict[str, str] = {
    RequestKind.DISCLOSURE: "disclosure_form",
    RequestKind.CORRECTION: "correction_form",
    RequestKind.SUSPENSION: "suspension_form",
}


def online_guidance(kind: str) -> dict[str, object]:
    """What the form says: how to prove who one is, and when the clock starts, under the profile in
    force (its name and period for ``kind``)."""
    profile = current_profile()
    return {
        "profile": profile.name,
        "source": profile.source,
        "days": base_days(profile, kind) if kind in RequestKind.values else None,
        "days_by_kind": {k: base_days(profile, k) for k in RequestKind.values},
        "window_days": profile.request_window_days,
    }


def online_application_submit(
    *,
    actor: Actor,
    patron: Patron,
    kind: str,
    information_requested: str,
    identity_by: str,
    disclosed_on: dt.date | None = None,
    correction_content: str = "",
    suspension_kind: str = "",
    reason_for_request: str = "",
) -> OnlineApplication:
    """Record the patron's online request, awaiting the identity check. Nothing is received yet."""
    on = today()
    errors = FieldErrors()
    M = OnlineApplication
    kind = _choice(errors, "kind", kind, RequestKind.values, _("請求の種類を選んでください。"))
    identity_by = _choice(
        errors, "identity_by", identity_by, M.IdentityBy.values, _("本人確認の方法を選んでください。")
    )
    information = _text(
        errors,
        "information_requested",
        information_requested,
        model=M,
        required=True,
        multiline=True,
        message=_("請求に係る保有個人情報を特定できる事項を入力してください%(basis)s。")
        % {"basis": note_in_force(FORM_RULES.get(kind, "disclosure_form"))},
    )
    reason = _text(errors, "reason_for_request", reason_for_request, model=M, required=False, multiline=True)
    correction = ""
    suspension = ""
    disclosed = None
    if kind in (RequestKind.CORRECTION, RequestKind.SUSPENSION):
        if disclosed_on in (None, ""):
            errors.add("disclosed_on", _("訂正・利用停止の請求は、開示を受けた日を入力してください。"))
        else:
            disclosed = _date(errors, "disclosed_on", disclosed_on, label=_("開示を受けた日"), on=on)
        if kind == RequestKind.CORRECTION:
            correction = _text(
                errors,
                "correction_content",
                correction_content,
                model=M,
                required=True,
                multiline=True,
                message=_("訂正を求める内容を入力してください%(basis)s。")
                % {"basis": note_in_force("correction_form")},
            )
        else:
            suspension = _choice(
                errors,
                "suspension_kind",
                suspension_kind,
                SuspensionKind.values,
                _("求める措置（利用の停止・消去・提供の停止）を選んでください%(basis)s。")
                % {"basis": note_in_force("suspension_right")},
            )
    errors.raise_if_any()
    with transaction.atomic():
        application = OnlineApplication.objects.create(
            kind=kind,
            patron=patron,
            submitted_on=on,
            information_requested=information,
            disclosed_on=disclosed,
            correction_content=correction,
            suspension_kind=suspension,
            reason_for_request=reason,
            identity_by=identity_by,
        )
        audit_record(
            actor=actor,
            action="privacy_request.online_submit",
            target_type="online_application",
            target_id=application.pk,
            patron_id=patron.pk,
            detail={"kind": kind, "identity_by": identity_by},
        )
    return application


def online_application_receive(
    *, actor: Actor, application: OnlineApplication, identity_document_type: str
) -> PrivacyRequest:
    """The officer saw the identity document: the request is received today (the clock starts)."""
    with transaction.atomic():
        current = (
            OnlineApplication.objects.select_for_update().select_related("patron").get(pk=application.pk)
        )
        if current.status != OnlineApplication.Status.AWAITING:
            errors = FieldErrors()
            errors.add("__all__", _("この電子申請は受付済みです。"))
            errors.raise_if_any()
        patron = current.patron
        request = request_receive(
            actor=actor,
            kind=current.kind,
            received_on=today(),
            channel=Channel.ONLINE,
            requester_kind=RequesterKind.SELF,
            requester_name=patron.full_name,
            requester_address=patron.address,
            requester_phone=patron.phone,
            principal_name="",
            identity_document_type=identity_document_type,
            representation_document="",
            information_requested=current.information_requested,
            card_number=patron.card_number,
            disclosed_on=current.disclosed_on,
            correction_content=current.correction_content,
            suspension_kind=current.suspension_kind,
            reason_for_request=current.reason_for_request,
        )
        current.status = OnlineApplication.Status.RECEIVED
        current.request = request
        current.save(update_fields=["status", "request"])
        audit_record(
            actor=actor,
            action="privacy_request.online_receive",
            target_type="online_application",
            target_id=current.pk,
            patron_id=patron.pk,
            detail={"request_id": request.pk},
        )
    return request
