"""Intake: receiving a written request, the requester's identity, and its number (山梨県 要綱 第17–18条
for 開示, 第30–31条 for 訂正, 第37–38条 for 利用停止).

Who may ask (the person, a legal representative, for specific personal information an appointed
agent: 第17条第2項); the identity document recorded by type only (第18条第2項); the 90-day window for a
訂正 / 利用停止 request after the disclosure (第30条第3項, 第37条第3項); the rule profile in force fixed
on the request with its first deadline; the number R8-開示-0001 drawn per 和暦 year and kind.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.http import Http404
from django.utils.translation import gettext as _

from patrons import selectors as patron_selectors
from patrons import services as patron_services
from privacy_admin.core.actor import Actor, user_of
from privacy_admin.core.dates import format_date as _ymd
from privacy_admin.core.errors import FieldErrors, refuse
from privacy_admin.core.numbering import create_numbered, next_number, record_prefix

from .. import deadlines
from ..citations import article_of
from ..models import (
    Channel,
    DisclosureExecution,
    PrivacyRequest,
    RequesterKind,
    RequestKind,
    RequestStatus,
    RuleProfile,
    SuspensionKind,
)
from ..profiles import current_profile, library_calendar
from . import _common
from ._common import _audit, _choice, _date, _text
from .deadline_in_force import base_days

# Short names used in request numbers (R8-開示-0001) and in reminder e-mails.
KIND_SHORT: dict[str, str] = {
    RequestKind.DISCLOSURE: "開示",
    RequestKind.CORRECTION: "訂正",
    RequestKind.SUSPENSION: "利用停止",
}


# A long run of digits in a free-text document field is most likely a document's number: never kept.
_DOCUMENT_NUMBER = re.compile(r"[0-9０-９]{4,}")


def request_identity_documents() -> list[tuple[str, str]]:
    """The identity documents a requester (or representative) may show (山梨県 要綱 第18条第2項).

    The patrons' configured list, without the school roster (bulk registration only) and the library
    card (it identifies a proxy at registration, not a person asking for their data). The type is
    recorded, never the document's number.
    """
    return [
        (code, doc.label)
        for code, doc in patron_services.identity_documents().items()
        if not doc.bulk_only and doc.bases != frozenset({"proxy"})
    ]


def _profile_in_force() -> RuleProfile:
    try:
        return current_profile()
    except RuleProfile.DoesNotExist:
        raise refuse(
            "__all__",
            _(
                "この図書館で適用する期限ルールが選ばれていないため受け付けられません。"
                "システム管理者がマスタ管理の「期限ルール」で選んでください。"
            ),
        ) from None


def _next_number(kind: str, received_on: dt.date) -> str:
    """R8-開示-0001: the 和暦 year of receipt, the kind, and a sequence per year and kind."""
    prefix = record_prefix(received_on, KIND_SHORT[kind])
    return next_number(PrivacyRequest.objects.all(), prefix, width=4)


def request_receive(
    *,
    actor: Actor,
    kind: str,
    received_on: dt.date,
    channel: str,
    requester_kind: str,
    requester_name: str,
    requester_address: str,
    requester_phone: str,
    principal_name: str,
    identity_document_type: str,
    representation_document: str,
    information_requested: str,
    card_number: str | None = None,
    disclosed_on: dt.date | None = None,
    based_on: PrivacyRequest | None = None,
    correction_content: str = "",
    suspension_kind: str = "",
    reason_for_request: str = "",
) -> PrivacyRequest:
    """Receive a written request (開示 第17–18条, 訂正 第30–31条, 利用停止 第37–38条).

    The identity document is recorded by type only (第18条第2項); a representative (a minor's or adult
    ward's legal representative, or for specific personal information an appointed agent, 第17条第2項)
    also records the principal and the document proving the representation. A 訂正 / 利用停止 request
    more than 90 days after the disclosure is refused at intake (第30条第3項, 第37条第3項). The rule
    profile in force today is fixed on the request, and its first deadline computed.
    """
    on = _common.today()
    errors = FieldErrors()
    kind = _choice(errors, "kind", kind, RequestKind.values, _("請求の種類を選んでください。"))
    received = _date(errors, "received_on", received_on, label=_("受付日"), on=on)
    channel = _choice(
        errors, "channel", channel or Channel.COUNTER, Channel.values, _("受付方法を選んでください。")
    )
    requester_kind = _choice(
        errors,
        "requester_kind",
        requester_kind or RequesterKind.SELF,
        RequesterKind.values,
        _("請求者の区分（本人・法定代理人など）を選んでください。"),
    )
    M = PrivacyRequest
    name = _text(errors, "requester_name", requester_name, model=M, required=True)
    name = " ".join(name.split())
    address = _text(errors, "requester_address", requester_address, model=M, required=False)
    phone = _text(errors, "requester_phone", requester_phone, model=M, required=False)
    if phone and not re.fullmatch(r"[0-9０-９\-－ー()（） +]{6,20}", phone):
        errors.add("requester_phone", _("電話番号は数字とハイフンで入力してください（例: 055-223-1234）。"))
    representative = requester_kind not in ("", RequesterKind.SELF)
    principal = _text(
        errors,
        "principal_name",
        principal_name,
        model=M,
        required=representative,
        message=_("代理人による請求では、本人（情報の主体）の氏名を入力してください。"),
    )
    representation = _text(
        errors,
        "representation_document",
        representation_document,
        model=M,
        required=representative,
        message=_(
            "代理人による請求では、代理権を確認した書類（戸籍謄本、登記事項証明書、委任状など）を入力してください。"
        ),
    )
    if not representative:
        principal = representation = ""
    if representation and _DOCUMENT_NUMBER.search(representation):
        errors.add(
            "representation_document",
            _("書類の種類だけを入力してください。書類の番号は記録しません（必要最小限の収集）。"),
        )
    documents = dict(request_identity_documents())
    if not identity_document_type:
        errors.add(
            "identity_document_type",
            _("確認した本人確認書類の種類を選んでください。"),
        )
    elif not isinstance(identity_document_type, str) or identity_document_type not in documents:
        errors.add(
            "identity_document_type", _("本人確認書類の種類が正しくありません。一覧から選んでください。")
        )
    information = _text(
        errors,
        "information_requested",
        information_requested,
        model=M,
        required=True,
        multiline=True,
        message=_("請求に係る保有個人情報を特定できる事項を入力してください。"),
    )
    reason = _text(errors, "reason_for_request", reason_for_request, model=M, required=False, multiline=True)

    patron = None
    if card_number is not None and card_number != "":
        raw = unicodedata.normalize("NFKC", str(card_number)).replace("-", "").replace(" ", "")
        try:
            patron = patron_selectors.get_patron_for(actor, card_number=raw)
        except Http404:
            # Unknown and out of scope read the same (the selector logs an out-of-scope attempt).
            errors.add("card_number", _("該当する利用者が見つかりません。利用者番号を確かめてください。"))

    correction = ""
    suspension = ""
    disclosed: dt.date | None = None
    if kind in (RequestKind.CORRECTION, RequestKind.SUSPENSION):
        if based_on is not None and based_on.kind != RequestKind.DISCLOSURE:
            errors.add("based_on", _("基となる請求には開示請求を指定してください。"))
        if disclosed_on in (None, "") and based_on is not None:
            execution = DisclosureExecution.objects.filter(request=based_on).first()
            disclosed_on = execution.carried_out_on if execution is not None else None
        if disclosed_on in (None, ""):
            errors.add(
                "disclosed_on",
                _(
                    "訂正・利用停止の請求は、開示を受けた保有個人情報について行います。開示を受けた日を入力してください（%(replace)s）"
                    "。"
                )
                % {"replace": article_of(_profile_in_force(), f"{kind}_right")},
            )
        else:
            disclosed = _date(errors, "disclosed_on", disclosed_on, label=_("開示を受けた日"), on=on)
        if disclosed is not None and received is not None:
            if disclosed > received:
                errors.add("disclosed_on", _("開示を受けた日が受付日より後になっています。"))
            else:
                calendar = library_calendar()
                window = _profile_in_force().request_window_days
                if not deadlines.within_request_window(
                    disclosed_on=disclosed, received_on=received, window_days=window, calendar=calendar
                ):
                    last = deadlines.requester_deadline(disclosed, window, calendar=calendar)
                    errors.add(
                        "disclosed_on",
                        _(
                            "開示を受けた日から%(window)s日（末日が閉庁日の場合は翌開庁日）を過ぎているため、%(label)sはできません（%(value)s）"
                            "。請求できたのは%(last)sまでです。"
                        )
                        % {
                            "window": window,
                            "label": RequestKind(kind).label,
                            "value": article_of(_profile_in_force(), f"{kind}_window"),
                            "last": _ymd(last),
                        },
                    )
        if kind == RequestKind.CORRECTION:
            correction = _text(
                errors,
                "correction_content",
                correction_content,
                model=M,
                required=True,
                multiline=True,
                message=_("訂正を求める内容（訂正申出の趣旨）を入力してください。"),
            )
        else:
            suspension = _choice(
                errors,
                "suspension_kind",
                suspension_kind,
                SuspensionKind.values,
                _("求める措置（利用の停止・消去・提供の停止）を選んでください。"),
            )
    elif based_on is not None:
        errors.add("based_on", _("開示請求には基となる請求を指定できません。"))
    errors.raise_if_any()
    assert received is not None

    profile = _profile_in_force()
    calendar = library_calendar()
    first = deadlines.decision_deadline(
        received_on=received, base_days=base_days(profile, kind), calendar=calendar, today=on
    )

    def create() -> PrivacyRequest:
        request = PrivacyRequest(
            kind=kind,
            number=_next_number(kind, received),
            status=RequestStatus.RECEIVED,
            profile=profile,
            received_on=received,
            channel=channel,
            requester_kind=requester_kind,
            requester_name=name,
            requester_address=address,
            requester_phone=phone,
            principal_name=principal,
            identity_document_type=identity_document_type,
            representation_document=representation,
            information_requested=information,
            patron=patron,
            disclosed_on=disclosed,
            based_on=based_on if kind != RequestKind.DISCLOSURE else None,
            correction_content=correction,
            suspension_kind=suspension,
            reason_for_request=reason,
            due_on=first.due_on,
            clock_stopped=False,
            assigned_to=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
        )
        request._change_reason = "receive"  # type: ignore[attr-defined]
        if getattr(actor, "is_authenticated", False):
            request._history_user = actor  # type: ignore[attr-defined]
        request.save(force_insert=True)
        _audit(
            actor=actor,
            action="privacy_request.receive",
            request=request,
            detail={
                "number": request.number,
                "kind": kind,
                "requester_kind": requester_kind,
                "channel": channel,
                "profile": profile.code,
                "due_on": first.due_on.isoformat(),
            },
        )
        return request

    # Two officers numbering the same year at once: the unique number decides; draw again.
    return create_numbered(create, exhausted=lambda: RuntimeError("could not allocate a request number"))
