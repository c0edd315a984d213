"""Every write to 開示・訂正・利用停止 requests (domain.md §7; 山梨県 要綱 第17–42条; 個人情報保護法 第76–103条).

Each service is keyword-only, validates before it writes, raises ``ValidationError`` with Japanese
messages keyed by the argument at fault and changes nothing when the input is bad. It locks the request
row, makes the change and writes its access-log event in one ``transaction.atomic()``; the event names
the request by its id (and the patron by id when linked), never by the requester's name.

Every service recomputes the cached ``due_on`` / ``clock_stopped`` from ``deadlines`` with the rule
profile fixed at intake (a later switch of the library's profile does not move a running deadline) and
the library's calendar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.http import Http404

from patrons import selectors as patron_selectors
from patrons import services as patron_services
from privacy_admin.audit.services import audit_record
from privacy_admin.core.calendar import ONE_DAY, Calendar
from privacy_admin.core.dates import era_year_code
from privacy_admin.core.dates import format_date as _ymd
from privacy_admin.core.dates import today as _local_today
from privacy_admin.core.errors import FieldErrors, refuse
from privacy_admin.core.numbering import create_numbered, next_number
from privacy_admin.core.text import clean_text

from . import deadlines
from .models import (
    OUTCOMES_BY_KIND,
    Amendment,
    Channel,
    CorrectionExecution,
    Decision,
    DisclosureExecution,
    Extension,
    Outcome,
    PrivacyRequest,
    RequesterKind,
    RequestKind,
    RequestStatus,
    RuleProfile,
    SuspensionKind,
    ThirdPartyConsultation,
    WithholdingReason,
)
from .profiles import current_profile, library_calendar

logger = logging.getLogger(__name__)

TARGET_TYPE = "privacy_request"

# The request is still waiting for its decision (the deadline runs, or is stopped by a 補正).
OPEN_STATUSES: tuple[str, ...] = (RequestStatus.RECEIVED, RequestStatus.AMENDING, RequestStatus.CONSULTING)

# Short names used in request numbers (R8-開示-0001) and in reminder e-mails.
KIND_SHORT: dict[str, str] = {
    RequestKind.DISCLOSURE: "開示",
    RequestKind.CORRECTION: "訂正",
    RequestKind.SUSPENSION: "利用停止",
}

# Outcomes that grant what was asked: every other outcome states its reason in the letter
# (要綱 第23条第3項, 第33条第3項, 第40条第3項).
GRANTING_OUTCOMES = frozenset({Outcome.FULL, Outcome.CORRECT, Outcome.SUSPEND})
# 部分開示 and 不開示 withhold information, so they name at least one category of 第19条.
WITHHOLDING_OUTCOMES = frozenset({Outcome.PARTIAL, Outcome.REFUSED})
DISCLOSING_OUTCOMES = frozenset({Outcome.FULL, Outcome.PARTIAL})

# Articles quoted in messages, by kind.
_WINDOW_ARTICLE: dict[str, str] = {
    RequestKind.CORRECTION: "要綱 第30条第3項",
    RequestKind.SUSPENSION: "要綱 第37条第3項",
}
_SPECIAL_ARTICLE: dict[str, str] = {
    RequestKind.DISCLOSURE: "要綱 第25条",
    RequestKind.CORRECTION: "要綱 第35条",
    RequestKind.SUSPENSION: "要綱 第42条",
}
_REASON_ARTICLE: dict[str, str] = {
    RequestKind.DISCLOSURE: "要綱 第23条第3項",
    RequestKind.CORRECTION: "要綱 第33条第3項",
    RequestKind.SUSPENSION: "要綱 第40条第3項",
}

MAX_FEE_YEN = 1_000_000
# A long run of digits in a free-text document field is most likely a document's number: never kept.
_DOCUMENT_NUMBER = re.compile(r"[0-9０-９]{4,}")

# History change reasons (the step's name) for steps that have no table of their own: their day is kept
# in a field of the request (``suspension_carried_out_on``, ``withdrawn_on``), never in the reason.
CHANGE_SUSPENSION_DONE = "suspension_carried_out"
CHANGE_WITHDRAWN = "withdrawn"


def today() -> dt.date:
    """The library's calendar day (Asia/Tokyo)."""
    return _local_today()


def _max_length(model: Any, name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)


def _label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _text(
    errors: FieldErrors,
    key: str,
    raw: object,
    *,
    model: Any,
    field: str | None = None,
    required: bool,
    multiline: bool = False,
    message: str | None = None,
) -> str:
    """Strip, bound by the model's max_length and refuse invisible characters; '' when absent."""
    name = field or key
    return clean_text(
        errors,
        key,
        raw,
        label=_label(model, name),
        required=required,
        limit=_max_length(model, name),
        multiline=multiline,
        required_message=message,
    )


def _date(
    errors: FieldErrors, key: str, value: object, *, label: str, required: bool = True, on: dt.date
) -> dt.date | None:
    """A date that is given (when required) and not in the future."""
    if value is None or value == "":
        if required:
            errors.add(key, f"{label}を入力してください。")
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.add(key, f"{label}を正しい日付で入力してください。")
        return None
    if value > on:
        errors.add(key, f"{label}に未来の日付は入力できません。")
        return None
    return value


def _choice(errors: FieldErrors, key: str, value: object, choices: Iterable[str], message: str) -> str:
    if not isinstance(value, str) or value not in set(choices):
        errors.add(key, message)
        return ""
    return value


# --- profile, calendar and the deadline in force --------------------------------------------------


def _profile_days(profile: RuleProfile, kind: str, period: str) -> int:
    # The profile names its periods by kind: disclosure_days, correction_extension_days, …
    return int(getattr(profile, f"{RequestKind(kind).value}_{period}"))


def base_days(profile: RuleProfile, kind: str) -> int:
    """The ordinary decision period (要綱 第24条第1項 / 第34条第1項 / 第41条第1項)."""
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
    on = today if today is not None else _local_today()
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


def _open_status(request: PrivacyRequest) -> str:
    """The status of a request still waiting for its decision, from what is pending."""
    if request.amendments.filter(completed_on__isnull=True).exists():
        return RequestStatus.AMENDING
    if request.consultations.filter(opinion_received_on__isnull=True).exists():
        return RequestStatus.CONSULTING
    return RequestStatus.RECEIVED


def _audit(*, actor: Any, action: str, request: PrivacyRequest, detail: dict[str, Any] | None = None) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=TARGET_TYPE,
        target_id=request.pk,
        patron_id=request.patron_id,
        detail=detail,
    )


def _lock(request: PrivacyRequest | int) -> PrivacyRequest:
    pk = request if isinstance(request, int) else request.pk
    return PrivacyRequest.objects.select_for_update().get(pk=pk)


def _refresh(request: PrivacyRequest) -> None:
    """Bring the caller's instance up to date after a successful change (prefetched rows included)."""
    request.refresh_from_db()
    cache = getattr(request, "_prefetched_objects_cache", None)
    if cache:
        cache.clear()


def _save(request: PrivacyRequest, reason: str, *, actor: Any) -> None:
    """Save with the step's name (and who took it) on the django-simple-history version."""
    request._change_reason = reason  # type: ignore[attr-defined]
    if getattr(actor, "is_authenticated", False):
        request._history_user = actor  # type: ignore[attr-defined]
    request.save()


def _require_open(request: PrivacyRequest, what: str) -> None:
    if request.status not in OPEN_STATUSES:
        raise refuse(
            "__all__",
            f"この請求は「{request.get_status_display()}」のため、{what}はできません。",
        )


# --- intake (要綱 第17–18条, 第30–31条, 第37–38条) -------------------------------------------------


def request_identity_documents() -> list[tuple[str, str]]:
    """The identity documents a requester (or representative) may show (要綱 第18条第2項).

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
            "この図書館で適用する期限ルールが選ばれていないため受け付けられません。"
            "システム管理者がマスタ管理の「期限ルール」で選んでください。",
        ) from None


def _next_number(kind: str, received_on: dt.date) -> str:
    """R8-開示-0001: the 和暦 year of receipt, the kind, and a sequence per year and kind."""
    prefix = f"{era_year_code(received_on)}-{KIND_SHORT[kind]}-"
    return next_number(PrivacyRequest.objects.all(), prefix, width=4)


def request_receive(
    *,
    actor: Any,
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
    on = today()
    errors = FieldErrors()
    kind = _choice(errors, "kind", kind, RequestKind.values, "請求の種類を選んでください。")
    received = _date(errors, "received_on", received_on, label="受付日", on=on)
    channel = _choice(
        errors, "channel", channel or Channel.COUNTER, Channel.values, "受付方法を選んでください。"
    )
    requester_kind = _choice(
        errors,
        "requester_kind",
        requester_kind or RequesterKind.SELF,
        RequesterKind.values,
        "請求者の区分（本人・法定代理人など）を選んでください。",
    )
    M = PrivacyRequest
    name = _text(errors, "requester_name", requester_name, model=M, required=True)
    name = " ".join(name.split())
    address = _text(errors, "requester_address", requester_address, model=M, required=False)
    phone = _text(errors, "requester_phone", requester_phone, model=M, required=False)
    if phone and not re.fullmatch(r"[0-9０-９\-－ー()（） +]{6,20}", phone):
        errors.add("requester_phone", "電話番号は数字とハイフンで入力してください（例: 055-223-1234）。")
    representative = requester_kind not in ("", RequesterKind.SELF)
    principal = _text(
        errors,
        "principal_name",
        principal_name,
        model=M,
        required=representative,
        message="代理人による請求では、本人（情報の主体）の氏名を入力してください（要綱 第17条第2項）。",
    )
    representation = _text(
        errors,
        "representation_document",
        representation_document,
        model=M,
        required=representative,
        message="代理人による請求では、代理権を確認した書類（戸籍謄本、登記事項証明書、委任状など）を入力してください（要綱 第18条第2項）。",
    )
    if not representative:
        principal = representation = ""
    if representation and _DOCUMENT_NUMBER.search(representation):
        errors.add(
            "representation_document",
            "書類の種類だけを入力してください。書類の番号は記録しません（必要最小限の収集）。",
        )
    documents = dict(request_identity_documents())
    if not identity_document_type:
        errors.add(
            "identity_document_type",
            "確認した本人確認書類の種類を選んでください（要綱 第18条第2項）。",
        )
    elif not isinstance(identity_document_type, str) or identity_document_type not in documents:
        errors.add("identity_document_type", "本人確認書類の種類が正しくありません。一覧から選んでください。")
    information = _text(
        errors,
        "information_requested",
        information_requested,
        model=M,
        required=True,
        multiline=True,
        message="請求に係る保有個人情報を特定できる事項を入力してください（要綱 第18条第1項第2号）。",
    )
    reason = _text(errors, "reason_for_request", reason_for_request, model=M, required=False, multiline=True)

    patron = None
    if card_number is not None and card_number != "":
        raw = unicodedata.normalize("NFKC", str(card_number)).replace("-", "").replace(" ", "")
        try:
            patron = patron_selectors.get_patron_for(actor, card_number=raw)
        except Http404:
            # Unknown and out of scope read the same (the selector logs an out-of-scope attempt).
            errors.add("card_number", "該当する利用者が見つかりません。利用者番号を確かめてください。")

    correction = ""
    suspension = ""
    disclosed: dt.date | None = None
    if kind in (RequestKind.CORRECTION, RequestKind.SUSPENSION):
        if based_on is not None and based_on.kind != RequestKind.DISCLOSURE:
            errors.add("based_on", "基となる請求には開示請求を指定してください。")
        if disclosed_on in (None, "") and based_on is not None:
            execution = DisclosureExecution.objects.filter(request=based_on).first()
            disclosed_on = execution.carried_out_on if execution is not None else None
        if disclosed_on in (None, ""):
            errors.add(
                "disclosed_on",
                "訂正・利用停止の請求は、開示を受けた保有個人情報について行います。開示を受けた日を入力してください"
                f"（{_WINDOW_ARTICLE[kind].replace('第3項', '第1項')}）。",
            )
        else:
            disclosed = _date(errors, "disclosed_on", disclosed_on, label="開示を受けた日", on=on)
        if disclosed is not None and received is not None:
            if disclosed > received:
                errors.add("disclosed_on", "開示を受けた日が受付日より後になっています。")
            else:
                calendar = library_calendar()
                window = _profile_in_force().request_window_days
                if not deadlines.within_request_window(
                    disclosed_on=disclosed, received_on=received, window_days=window, calendar=calendar
                ):
                    last = deadlines.requester_deadline(disclosed, window, calendar=calendar)
                    errors.add(
                        "disclosed_on",
                        f"開示を受けた日から{window}日（末日が閉庁日の場合は翌開庁日）を過ぎているため、"
                        f"{RequestKind(kind).label}はできません（{_WINDOW_ARTICLE[kind]}）。"
                        f"請求できたのは{_ymd(last)}までです。",
                    )
        if kind == RequestKind.CORRECTION:
            correction = _text(
                errors,
                "correction_content",
                correction_content,
                model=M,
                required=True,
                multiline=True,
                message="訂正を求める内容（訂正申出の趣旨）を入力してください（要綱 第31条第1項第3号）。",
            )
        else:
            suspension = _choice(
                errors,
                "suspension_kind",
                suspension_kind,
                SuspensionKind.values,
                "求める措置（利用の停止・消去・提供の停止）を選んでください（要綱 第37条第1項）。",
            )
    elif based_on is not None:
        errors.add("based_on", "開示請求には基となる請求を指定できません。")
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
            assigned_to=actor if getattr(actor, "is_authenticated", False) else None,
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


# --- 補正 (要綱 第18条第3項, 第24条第1項ただし書) ---------------------------------------------------


def amendment_request(
    *, actor: Any, request: PrivacyRequest, requested_on: dt.date, what_to_fix: str
) -> Amendment:
    """Ask the requester to fix a formally defective request (第18条第3項, 第31条第3項, 第38条第3項).

    From the day after ``requested_on`` until the fixed request arrives the clock is stopped (第24条
    ただし書); the requester's reply is due ``amendment_reply_days`` later (moved to the next open day).
    """
    on = today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, "補正の依頼")
        errors = FieldErrors()
        requested = _date(errors, "requested_on", requested_on, label="補正を求めた日", on=on)
        what = _text(
            errors,
            "what_to_fix",
            what_to_fix,
            model=Amendment,
            required=True,
            multiline=True,
            message="補正を求める事項を入力してください。補正の参考となる情報を示します（要綱 第18条第3項）。",
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
                f"決定期限（{_ymd(current.due_on)}）を過ぎてから補正を求めることはできません。"
                "補正に要した日数だけが期間に算入されません（要綱 第24条第1項ただし書）。",
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


def amendment_complete(*, actor: Any, amendment: Amendment, completed_on: dt.date) -> Amendment:
    """Record the day the fixed request arrived: the clock runs again, later by the days it took."""
    on = today()
    with transaction.atomic():
        req = _lock(amendment.request_id)
        row = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if row.completed_on is not None:
            raise refuse("completed_on", "この補正は既に完了しています。")
        _require_open(req, "補正の完了の記録")
        errors = FieldErrors()
        completed = _date(errors, "completed_on", completed_on, label="補正の完了日", on=on)
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


# --- extensions (要綱 第24条第2項, 第25条, 第34–35条, 第41–42条) ----------------------------------


def request_extend(
    *, actor: Any, request: PrivacyRequest, days: int, reason: str, notified_on: dt.date
) -> Extension:
    """Extend the deadline for good reason, up to the profile's maximum in total, by a written notice
    given before the deadline (第24条第2項: 15 days; 第34条第2項, 第41条第2項: 30 days)."""
    on = today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, "期限の延長")
        if req.special_extension:
            raise refuse(
                "__all__",
                f"期限の特例（{_SPECIAL_ARTICLE[req.kind]}）を適用しているため、通常の延長はできません。",
            )
        errors = FieldErrors()
        if isinstance(days, bool) or not isinstance(days, int):
            errors.add("days", "延長日数は整数で入力してください。")
        notified = _date(errors, "notified_on", notified_on, label="延長の通知日", on=on)
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
    actor: Any,
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
    on = today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, "期限の特例延長")
        if req.special_extension:
            raise refuse("__all__", "この請求には既に期限の特例を適用しています。")
        errors = FieldErrors()
        notified = _date(errors, "notified_on", notified_on, label="特例延長の通知日", on=on)
        text = _text(
            errors,
            "reason",
            reason,
            model=Extension,
            required=True,
            multiline=True,
            message=f"特例を適用する理由を入力してください。理由は書面で通知します（{_SPECIAL_ARTICLE[req.kind]}）。",
        )
        remainder: dt.date | None = None
        if remainder_due_on in (None, ""):
            errors.add(
                "remainder_due_on",
                "残りの部分（訂正・利用停止では決定全体）の決定期限を入力してください。"
                f"この期限は書面で通知します（{_SPECIAL_ARTICLE[req.kind]}）。",
            )
        elif isinstance(remainder_due_on, dt.datetime) or not isinstance(remainder_due_on, dt.date):
            errors.add("remainder_due_on", "決定期限を正しい日付で入力してください。")
        else:
            remainder = remainder_due_on
        errors.raise_if_any()
        assert notified is not None and remainder is not None
        calendar = library_calendar()
        notice, substantial = special_deadlines(req, today=notified, calendar=calendar)
        if notified < req.received_on:
            raise refuse(
                "notified_on",
                f"特例延長の通知日（{_ymd(notified)}）が請求の受付日（{_ymd(req.received_on)}）より前です。",
            )
        if notified > notice.due_on:
            raise refuse(
                "notified_on",
                f"期限の特例は、請求があった日から{special_notice_days(req.profile, req.kind)}日以内"
                f"（補正の日数を除き、{_ymd(notice.due_on)}まで）に通知しなければなりません"
                f"（{_SPECIAL_ARTICLE[req.kind]}）。",
            )
        ordinary = ordinary_deadline(req, today=notified, calendar=calendar, with_extensions=False)
        floor = substantial if req.kind == RequestKind.DISCLOSURE else ordinary
        if remainder <= floor.due_on:
            what = "相当の部分を決定する期限" if req.kind == RequestKind.DISCLOSURE else "通常の決定期限"
            raise refuse(
                "remainder_due_on",
                f"決定期限は、{what}（{_ymd(floor.due_on)}）より後の日にしてください。",
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


# --- third parties (要綱 第26条) ---------------------------------------------------------------------


def consultation_send(
    *,
    actor: Any,
    request: PrivacyRequest,
    third_party_name: str,
    third_party_address: str,
    information_concerned: str,
    sent_on: dt.date,
) -> ThirdPartyConsultation:
    """意見照会 (第26条第1–2項): give a third party named in the information the chance to submit an
    opinion before a disclosure decision; the opinion is due ``third_party_opinion_days`` later."""
    on = today()
    with transaction.atomic():
        req = _lock(request)
        if req.kind != RequestKind.DISCLOSURE:
            raise refuse("__all__", "第三者への意見照会は開示請求についてのみ行います（要綱 第26条）。")
        _require_open(req, "第三者への意見照会")
        errors = FieldErrors()
        M = ThirdPartyConsultation
        name = _text(
            errors,
            "third_party_name",
            third_party_name,
            model=M,
            required=True,
            message="照会する第三者の氏名または名称を入力してください。",
        )
        address = _text(errors, "third_party_address", third_party_address, model=M, required=False)
        info = _text(
            errors,
            "information_concerned",
            information_concerned,
            model=M,
            required=True,
            multiline=True,
            message="第三者に関する情報の内容を入力してください（要綱 第26条第1項）。",
        )
        sent = _date(errors, "sent_on", sent_on, label="照会日", on=on)
        if sent is not None and sent < req.received_on:
            errors.add("sent_on", f"照会日が請求の受付日（{_ymd(req.received_on)}）より前です。")
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
    *, actor: Any, consultation: ThirdPartyConsultation, received_on: dt.date, objected: bool
) -> ThirdPartyConsultation:
    """The third party's written opinion arrived. An objection means at least two weeks between a
    disclosure decision and carrying it out, and the third party is told at once (第26条第3項)."""
    on = today()
    with transaction.atomic():
        req = _lock(consultation.request_id)
        row = ThirdPartyConsultation.objects.select_for_update().get(pk=consultation.pk)
        if row.opinion_received_on is not None:
            raise refuse("received_on", "この照会の意見書は既に受領済みとして記録されています。")
        if req.status in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN):
            raise refuse("__all__", f"この請求は「{req.get_status_display()}」のため、記録できません。")
        errors = FieldErrors()
        received = _date(errors, "received_on", received_on, label="意見書の受領日", on=on)
        if received is not None and received < row.sent_on:
            errors.add("received_on", f"意見書の受領日が照会日（{_ymd(row.sent_on)}）より前です。")
        if not isinstance(objected, bool):
            errors.add("objected", "開示に反対かどうかを選んでください。")
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


# --- decisions (要綱 第19–23条, 第32–33条, 第39–40条) --------------------------------------------


def request_decide(
    *,
    actor: Any,
    request: PrivacyRequest,
    outcome: str,
    decided_on: dt.date,
    reasons: Sequence[str] = (),
    reason_text: str = "",
    reason_lapses_on: dt.date | None = None,
    disclosed_content: str = "",
    is_partial_scope: bool = False,
) -> Decision:
    """Record the decision (開示 第23条; 訂正 第33条; 利用停止 第40条).

    A decision that does not grant everything states its reason and, where known, when the reason lapses
    (第23条第3項); 部分開示 and 不開示 name the categories of 第19条 they rest on. Under a special
    extension a decision on a substantial part (``is_partial_scope``, 第25条) leaves the request open,
    due by the date set for the rest.
    """
    on = today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, "決定の記録")
        errors = FieldErrors()
        allowed = OUTCOMES_BY_KIND[req.kind]
        outcome = _choice(
            errors,
            "outcome",
            outcome,
            allowed,
            f"{req.get_kind_display()}に対する決定を選んでください（"
            + "・".join(str(Outcome(o).label) for o in allowed)
            + "）。",
        )
        decided = _date(errors, "decided_on", decided_on, label="決定日", on=on)
        if decided is not None and decided < req.received_on:
            errors.add("decided_on", "決定日が受付日より前です。")
        text = _text(errors, "reason_text", reason_text, model=Decision, required=False, multiline=True)
        content = _text(
            errors,
            "disclosed_content",
            disclosed_content,
            model=Decision,
            required=False,
            multiline=True,
        )
        if isinstance(reasons, str) or not isinstance(reasons, Iterable):
            errors.add("reasons", "不開示の理由区分は一覧から選んでください。")
            reasons = ()
        chosen: list[str] = []
        for value in reasons:
            if value not in WithholdingReason.values:
                errors.add("reasons", "不開示の理由区分は一覧（要綱 第19条各号）から選んでください。")
                break
            if value not in chosen:
                chosen.append(value)
        chosen.sort(key=WithholdingReason.values.index)
        if outcome:
            if outcome not in GRANTING_OUTCOMES and not text:
                errors.add(
                    "reason_text",
                    f"「{Outcome(outcome).label}」の決定には理由を記載してください（{_REASON_ARTICLE[req.kind]}）。",
                )
            if outcome in WITHHOLDING_OUTCOMES and not chosen:
                errors.add(
                    "reasons",
                    f"「{Outcome(outcome).label}」の決定には、不開示情報の区分（要綱 第19条各号）を1つ以上選んでください。",
                )
            if chosen and (req.kind != RequestKind.DISCLOSURE or outcome in (Outcome.FULL, Outcome.NOT_HELD)):
                errors.add(
                    "reasons", "不開示の理由区分は、部分開示・不開示・存否応答拒否の決定でだけ選べます。"
                )
            if reason_lapses_on is not None and outcome in GRANTING_OUTCOMES:
                errors.add(
                    "reason_lapses_on", "理由がなくなる時期は、請求を認めない部分がある決定でだけ入力します。"
                )
        if reason_lapses_on is not None:
            if isinstance(reason_lapses_on, dt.datetime) or not isinstance(reason_lapses_on, dt.date):
                errors.add("reason_lapses_on", "理由がなくなる時期を正しい日付で入力してください。")
            elif decided is not None and reason_lapses_on <= decided:
                errors.add("reason_lapses_on", "理由がなくなる時期は決定日より後の日にしてください。")
        if not isinstance(is_partial_scope, bool):
            errors.add("is_partial_scope", "相当の部分についての決定かどうかを選んでください。")
        elif is_partial_scope:
            if req.kind != RequestKind.DISCLOSURE or not req.special_extension:
                errors.add(
                    "is_partial_scope",
                    "相当の部分についての決定は、期限の特例（要綱 第25条）を適用した開示請求でだけ記録できます。",
                )
            elif _has_partial_scope_decision(req):
                errors.add("is_partial_scope", "相当の部分についての決定は既に記録されています。")
        errors.raise_if_any()
        assert decided is not None
        calendar = library_calendar()
        in_force = request_deadline(req, decided, calendar=calendar)
        decision = Decision.objects.create(
            request=req,
            decided_on=decided,
            outcome=outcome,
            reasons=chosen,
            reason_text=text,
            reason_lapses_on=reason_lapses_on,
            is_partial_scope=bool(is_partial_scope),
            disclosed_content=content if req.kind == RequestKind.DISCLOSURE else "",
        )
        if is_partial_scope:
            req.status = _open_status(req)
        else:
            req.status = RequestStatus.DECIDED
        _store_deadline(req, on=on, calendar=calendar)
        _save(req, "decide", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.decide",
            request=req,
            detail={
                "decision_id": decision.pk,
                "outcome": outcome,
                "reasons": chosen,
                "partial_scope": bool(is_partial_scope),
                "on_time": in_force.paused or decided <= in_force.due_on,
            },
        )
    _refresh(request)
    return decision


# --- carrying out (要綱 第26条第3項, 第27–28条, 第36条) --------------------------------------------


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
    actor: Any,
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
    on = today()
    with transaction.atomic():
        req = _lock(request)
        if req.kind != RequestKind.DISCLOSURE:
            raise refuse("__all__", "開示の実施は開示請求についてのみ記録します。")
        decision = _disclosing_decision(req)
        if req.status != RequestStatus.DECIDED or decision is None:
            if DisclosureExecution.objects.filter(request=req).exists():
                raise refuse("__all__", "この請求の開示は既に実施済みです。")
            raise refuse(
                "__all__",
                "開示の実施は、全部開示または部分開示の決定の後に記録します（要綱 第23条・第27条）。",
            )
        errors = FieldErrors()
        method = _choice(
            errors, "method", method, DisclosureExecution.Method.values, "開示の実施方法を選んでください。"
        )
        requested = _date(errors, "method_requested_on", method_requested_on, label="実施方法の申出日", on=on)
        carried = _date(errors, "carried_out_on", carried_out_on, label="開示の実施日", on=on)
        basis = _text(errors, "fee_basis", fee_basis, model=DisclosureExecution, required=False)
        if isinstance(fee_yen, bool) or not isinstance(fee_yen, int):
            errors.add("fee_yen", "費用は円単位の整数で入力してください。")
        elif fee_yen < 0:
            errors.add("fee_yen", "費用に負の金額は入力できません。")
        elif fee_yen > MAX_FEE_YEN:
            errors.add("fee_yen", f"費用が大きすぎます（{MAX_FEE_YEN:,}円以下）。入力を確認してください。")
        elif fee_yen > 0 and not basis:
            errors.add(
                "fee_basis",
                "費用を徴収する場合は、実費の内訳（写しの枚数・送料など）を入力してください（要綱 第28条）。",
            )
        calendar = library_calendar()
        last_day = deadlines.requester_deadline(
            decision.decided_on, req.profile.method_choice_days, calendar=calendar
        )
        if requested is not None:
            if requested < req.received_on:
                errors.add("method_requested_on", "実施方法の申出日が請求の受付日より前です。")
            elif requested > last_day:
                errors.add(
                    "method_requested_on",
                    f"実施方法の申出は、開示決定の通知があった日から{req.profile.method_choice_days}日以内"
                    f"（{_ymd(last_day)}まで）にしなければなりません（要綱 第27条第3項）。"
                    "期間を過ぎた申出は受け付けられません。",
                )
        if carried is not None:
            if carried < decision.decided_on:
                errors.add(
                    "carried_out_on", f"開示の実施日が決定日（{_ymd(decision.decided_on)}）より前です。"
                )
            elif requested is not None and carried < requested:
                errors.add("carried_out_on", "開示の実施日が実施方法の申出日より前です。")
            elif req.consultations.filter(objected=True).exists():
                earliest = deadlines.earliest_disclosure_after_objection(
                    decision.decided_on, req.profile.third_party_wait_days
                )
                if carried < earliest:
                    errors.add(
                        "carried_out_on",
                        "第三者が開示に反対する意見書を提出しているため、開示決定の日と開示を実施する日との間に"
                        f"少なくとも2週間を置かなければなりません。実施できるのは{_ymd(earliest)}以降です"
                        "（要綱 第26条第3項）。",
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
    actor: Any,
    request: PrivacyRequest,
    corrected_on: dt.date,
    what_was_corrected: str,
    recipients: str = "",
    recipients_notified_on: dt.date | None = None,
) -> CorrectionExecution:
    """Carry out a 訂正する decision (第32条) and, where the data was provided to others, tell them
    without delay in writing (第36条)."""
    on = today()
    with transaction.atomic():
        req = _lock(request)
        if req.kind != RequestKind.CORRECTION:
            raise refuse("__all__", "訂正の実施は訂正請求についてのみ記録します。")
        if CorrectionExecution.objects.filter(request=req).exists():
            raise refuse("__all__", "この請求の訂正は既に実施済みです。")
        decision = _granting_decision(req, Outcome.CORRECT)
        if req.status != RequestStatus.DECIDED or decision is None:
            raise refuse(
                "__all__", "訂正の実施は、「訂正する」旨の決定の後に記録します（要綱 第33条第1項）。"
            )
        errors = FieldErrors()
        M = CorrectionExecution
        corrected = _date(errors, "corrected_on", corrected_on, label="訂正の実施日", on=on)
        if corrected is not None and corrected < decision.decided_on:
            errors.add("corrected_on", f"訂正の実施日が決定日（{_ymd(decision.decided_on)}）より前です。")
        what = _text(
            errors,
            "what_was_corrected",
            what_was_corrected,
            model=M,
            required=True,
            multiline=True,
            message="訂正した内容を入力してください。",
        )
        to = _text(errors, "recipients", recipients, model=M, required=False, multiline=True)
        notified = _date(
            errors,
            "recipients_notified_on",
            recipients_notified_on,
            label="提供先への通知日",
            required=False,
            on=on,
        )
        if to and notified is None and "recipients_notified_on" not in errors:
            errors.add(
                "recipients_notified_on",
                "提供先に訂正を通知した日を入力してください（要綱 第36条: 遅滞なく書面で通知）。",
            )
        if notified is not None and not to:
            errors.add("recipients", "通知した提供先を入力してください。")
        if notified is not None and corrected is not None and notified < corrected:
            errors.add("recipients_notified_on", "提供先への通知日が訂正の実施日より前です。")
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


def suspension_carry_out(*, actor: Any, request: PrivacyRequest, carried_out_on: dt.date) -> PrivacyRequest:
    """Carry out a 利用停止する decision (第39条): stop using, erase or stop providing, as decided.

    There is no table of its own: the date is kept on the request (``suspension_carried_out_on``) and in
    the access log; the request is closed.
    """
    on = today()
    with transaction.atomic():
        req = _lock(request)
        if req.kind != RequestKind.SUSPENSION:
            raise refuse("__all__", "利用停止の実施は利用停止請求についてのみ記録します。")
        decision = _granting_decision(req, Outcome.SUSPEND)
        if req.status != RequestStatus.DECIDED or decision is None:
            raise refuse(
                "__all__", "利用停止の実施は、「利用停止する」旨の決定の後に記録します（要綱 第40条第1項）。"
            )
        errors = FieldErrors()
        carried = _date(errors, "carried_out_on", carried_out_on, label="利用停止の実施日", on=on)
        if carried is not None and carried < decision.decided_on:
            errors.add(
                "carried_out_on", f"利用停止の実施日が決定日（{_ymd(decision.decided_on)}）より前です。"
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


def request_withdraw(*, actor: Any, request: PrivacyRequest, on: dt.date) -> PrivacyRequest:
    """The requester withdrew the request before its decision. The day is kept on the request
    (``withdrawn_on``) and in the access log."""
    now = today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, "取下げ")
        errors = FieldErrors()
        day = _date(errors, "on", on, label="取下げの日", on=now)
        if day is not None and day < req.received_on:
            errors.add("on", f"取下げの日が受付日（{_ymd(req.received_on)}）より前です。")
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


def request_record_view(*, actor: Any, request: PrivacyRequest, what: str = "detail") -> None:
    """Looking at a request shows the requester's personal data: every look leaves a trace."""
    _audit(actor=actor, action="privacy_request.view", request=request, detail={"view": what})


# --- reminders ------------------------------------------------------------------------------------


def nth_open_day_after(day: dt.date, n: int, calendar: Calendar) -> dt.date:
    """The ``n``-th open day after ``day`` (``day`` itself not counted)."""
    for _ in range(n):
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
        f"決定期限まで{open_days}開庁日以内の請求、または期限を過ぎた請求が{len(rows)}件あります"
        f"（{_ymd(on)}現在）。",
        "",
    ]
    for request, deadline in rows:
        due = deadline.due_on
        if deadline.is_overdue(on):
            state = f"期限超過（{(on - due).days}日）"
        elif due == on:
            state = "本日が期限"
        else:
            state = f"あと{(due - on).days}日"
        line = f"・{request.number}　{request.get_kind_display()}　決定期限 {_ymd(due)}（{weekdays[due.weekday()]}）　{state}"
        if deadline.falls_on_closed_day and deadline.last_open_day_before is not None:
            line += f"　※期限日は{deadline.closed_reason}。最終開庁日は{_ymd(deadline.last_open_day_before)}"
        lines.append(line)
    lines += [
        "",
        "請求の内容は、システムの「開示等請求」画面で確認してください（このメールには個人情報を記載していません）。",
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

    on = on or today()
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
        subject = f"【開示等請求】決定期限が近い・過ぎた請求が{len(rows)}件あります"
        if overdue:
            subject += f"（期限超過{overdue}件）"
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
