"""Notice letters of 開示・訂正・利用停止 requests (domain.md §7).

Every article a letter cites comes from the request's rule profile (``RuleProfile.citer``): 個人情報の保護に
関する法律 第77条–第103条, or 山梨県 要綱 第18条–第42条, or a city's 施行条例 — whichever the request was
received under. The 文書番号 is the letter's own number (settings.LETTER_NUMBER_FORMAT, per 年度), not the
request's 受付番号.

Each ``LetterKind`` has one ``LetterTemplate`` (seeded by migration 0003) whose ``body`` an administrator
edits in the admin: a Django template fragment rendered with the fixed context documented in
``CONTEXT_VARIABLES``. The layout around it (文書番号, 和暦 date, addressee 「様」, sender, centred title,
担当) is ``templates/disclosure_requests/pdf/letter.html``.

The body is rendered by a sandboxed engine: no template loaders (``{% include %}`` finds nothing), only
the built-in tags plus the ``wareki`` filters, and a context of plain strings, dates and lists — never a
model instance — so that an edited template cannot reach data beyond what the letter is meant to say.

A letter is issued with ``letter_issue``; only the kinds that fit the request's state can be issued
(``letter_unavailable_reason``). The PDF and its sha256 are kept in a ``Letter`` row, since an issued
letter is itself part of what the library holds about the person.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor, user_of
from privacy_admin.core.calendar import Calendar, fiscal_year_of
from privacy_admin.core.dates import format_date, to_wareki_era_year
from privacy_admin.core.numbering import create_numbered, format_number, next_sequence
from privacy_admin.core.pdf import render_html_to_pdf

from . import deadlines, services
from .letter_variables import CONTEXT_VARIABLES
from .models import (
    CorrectionExecution,
    Decision,
    DisclosureExecution,
    Extension,
    Letter,
    LetterKind,
    LetterTemplate,
    Outcome,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    RuleProfile,
    ThirdPartyConsultation,
    WithholdingReason,
)
from .profiles import current_profile, library_calendar

LAYOUT_TEMPLATE = "disclosure_requests/pdf/letter.html"
# A preview is not issued and takes no number.
PREVIEW_DOCUMENT_NUMBER = "（発行時に採番）"

# Letters addressed to the third party of a 意見照会 (法 第86条; 山梨県 要綱 第26条), not to the requester.
THIRD_PARTY_KINDS = frozenset({LetterKind.CONSULTATION, LetterKind.THIRD_PARTY_DECISION})

# Decisions whose letter carries the 教示 (行政不服審査法 第82条, 行政事件訴訟法 第46条): the ones
# adverse to the addressee. A full disclosure, a correction or a suspension as asked is not.
APPEALABLE_KINDS = frozenset(
    {
        LetterKind.DISCLOSURE_PARTIAL,
        LetterKind.DISCLOSURE_REFUSED,
        LetterKind.THIRD_PARTY_DECISION,
        LetterKind.NOT_CORRECTION,
        LetterKind.NOT_SUSPENSION,
    }
)

# The decision each decision letter announces (法 第82条・第93条・第101条; 山梨県 要綱 第23条・第33条・第40条).
DECISION_LETTERS: dict[str, tuple[str, ...]] = {
    LetterKind.DISCLOSURE_FULL: (Outcome.FULL,),
    LetterKind.DISCLOSURE_PARTIAL: (Outcome.PARTIAL,),
    # 第23条第2項: 不開示 includes 存否応答拒否 (第22条) and 保有していない.
    LetterKind.DISCLOSURE_REFUSED: (Outcome.REFUSED, Outcome.NEITHER, Outcome.NOT_HELD),
    LetterKind.CORRECTION: (Outcome.CORRECT,),
    LetterKind.NOT_CORRECTION: (Outcome.NOT_CORRECT,),
    LetterKind.SUSPENSION: (Outcome.SUSPEND,),
    LetterKind.NOT_SUSPENSION: (Outcome.NOT_SUSPEND,),
}
_KIND_OF_LETTER: dict[str, str] = {
    LetterKind.DISCLOSURE_FULL: RequestKind.DISCLOSURE,
    LetterKind.DISCLOSURE_PARTIAL: RequestKind.DISCLOSURE,
    LetterKind.DISCLOSURE_REFUSED: RequestKind.DISCLOSURE,
    LetterKind.CONSULTATION: RequestKind.DISCLOSURE,
    LetterKind.THIRD_PARTY_DECISION: RequestKind.DISCLOSURE,
    LetterKind.CORRECTION: RequestKind.CORRECTION,
    LetterKind.NOT_CORRECTION: RequestKind.CORRECTION,
    LetterKind.SUSPENSION: RequestKind.SUSPENSION,
    LetterKind.NOT_SUSPENSION: RequestKind.SUSPENSION,
}
# 開示決定 (全部又は一部を開示する決定): what a third party who objected is told about (第26条第3項).
DISCLOSING_OUTCOMES = (Outcome.FULL, Outcome.PARTIAL)
# 第23条第3項, 第33条第3項, 第40条第3項: a decision that is not what was asked for states its reason.
_NEEDS_REASON = frozenset({Outcome.PARTIAL, Outcome.REFUSED, Outcome.NOT_CORRECT, Outcome.NOT_SUSPEND})

# Words that differ by the kind of request.
_TERMS: dict[str, dict[str, str]] = {
    RequestKind.DISCLOSURE: {"request_term": "開示", "decision_term": "開示決定等"},
    RequestKind.CORRECTION: {"request_term": "訂正", "decision_term": "訂正決定等"},
    RequestKind.SUSPENSION: {"request_term": "利用停止", "decision_term": "利用停止決定等"},
}
# The article variables of a body and the rule (citations.RULES, after the kind's prefix) each one cites.
_ARTICLE_RULES: dict[str, str] = {
    "amendment_article": "amendment",
    "decision_due_article": "period",
    "extension_article": "extension",
    "special_article": "special",
    "decision_article": "decision",
}


def _article_context(profile: RuleProfile, kind: str) -> dict[str, Any]:
    """The profile's law and articles: ``cite`` (full: 「個人情報の保護に関する法律第82条第1項」) and
    ``cite_short`` (「法第82条第1項」) keyed by rule, and the kind's article variables in both forms."""
    citer = profile.citer()
    context: dict[str, Any] = {
        "law_name": citer.law_name,
        "law_short_name": citer.short_name,
        "cite": citer.all_full(),
        "cite_short": citer.all_short(),
    }
    for variable, rule in _ARTICLE_RULES.items():
        context[variable] = citer.full(f"{kind}_{rule}")
        context[f"{variable}_short"] = citer.short(f"{kind}_{rule}")
    return context


_WEEKDAYS = "月火水木金土日"


def day_with_weekday(value: dt.date | None) -> str:
    """A day as a letter writes the day of an appointment: 「令和8年10月22日（木）」 ('' for no day)."""
    if value is None:
        return ""
    return f"{format_date(value)}（{_WEEKDAYS[value.weekday()]}）"


# Filters and tags the body may use, besides Django's built-ins.
_BODY_ENGINE = Engine(
    loaders=[],
    builtins=["privacy_admin.templatetags.wareki"],
    libraries={},
    autoescape=True,
    string_if_invalid="",
)


class LetterError(Exception):
    """A letter cannot be issued or rendered. The message is Japanese and names no person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LetterNotAvailable(LetterError):
    """The kind does not fit the request's state (e.g. 部分開示決定通知書 without a 部分開示 decision)."""


class LetterTemplateError(LetterError):
    """The administrator's wording does not compile or does not render."""


# --- the administrator's wording -----------------------------------------------------------------


def compile_body(body: str) -> Any:
    """Compile a body with the sandboxed engine; ``LetterTemplateError`` (Japanese) when it is broken."""
    try:
        return _BODY_ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise LetterTemplateError(f"本文のテンプレートに誤りがあります: {exc}") from None


def render_body(body: str, context: dict[str, Any]) -> SafeString:
    """The body as HTML. Variables are escaped; the administrator's own markup is kept."""
    template = compile_body(body)
    try:
        return mark_safe(template.render(Context(context, autoescape=True)))  # noqa: S308 - escaped above
    except Exception as exc:
        # A filter fed a wrong value, an {% include %} of nothing, ...: the user gets a message, not a 500.
        raise LetterTemplateError(
            f"本文のテンプレートを差し込みできませんでした（{type(exc).__name__}）。"
            "マスタ管理の「通知書テンプレート」で本文を確認してください。"
        ) from None


def sample_context() -> dict[str, Any]:
    """Example values for every variable, to check an edited template in the admin."""
    today = timezone.localdate()
    context: dict[str, Any] = {name: "（見本）" for name, _ in CONTEXT_VARIABLES if "," not in name}
    context["document_number"] = "（発行時に採番）"
    for name in (
        "received_on",
        "issued_on",
        "due_on",
        "decided_on",
        "reason_lapses_on",
        "execution_date",
        "extension_notified_on",
        "original_due_on",
        "extended_due_on",
        "special_notified_on",
        "substantial_due_on",
        "remainder_due_on",
        "amendment_requested_on",
        "amendment_reply_by",
        "consultation_sent_on",
        "opinion_due_on",
        "opinion_received_on",
        "disclosure_date",
        "corrected_on",
    ):
        context[name] = today
    context["execution_day"] = context["disclosure_day"] = day_with_weekday(today)
    context.update(
        {
            "request_kind": RequestKind.DISCLOSURE.value,
            "outcome": Outcome.PARTIAL.value,
            "withholding_reasons": [str(WithholdingReason.THIRD_PERSON.label)],
            "is_partial_scope": False,
            "method_choice_days": 30,
            "fee_yen": 0,
            "fee_basis": "写し 2枚×10円",
            "extension_days": 15,
            "extension_total_days": 15,
            "third_party_wait_days": 14,
        }
    )
    context.update(_TERMS[RequestKind.DISCLOSURE])
    profile = None
    with contextlib.suppress(RuleProfile.DoesNotExist):  # no profile chosen yet: no citations
        profile = current_profile()
        context.update(_article_context(profile, RequestKind.DISCLOSURE))
    context.update(_library_context())
    context["appeal_notice"] = appeal_notice(profile)
    return context


def appeal_notice(profile: RuleProfile | None = None) -> str:
    """教示 (行政不服審査法 第82条, 行政事件訴訟法 第46条): 審査請求 within 3 months, 取消訴訟 within 6 months.

    Under a profile whose law has no 教示 article (山梨県 要綱: a designated manager's decision on a
    開示の申出 is no administrative disposition, so there is no 審査請求 against it), the letter says where
    to complain instead: the library's office (山梨県 要綱 第45条) and the department in charge of the
    library (第49条第5号)."""
    authority = settings.LIBRARY_APPEAL_AUTHORITY
    city = settings.LIBRARY_MUNICIPALITY
    if profile is not None and not profile.cite("appeal_notice"):
        complaints = profile.cite("complaints", short=True)
        basis = f"（{complaints}）" if complaints else ""
        return (
            f"この決定に不服がある場合は、{settings.LIBRARY_OFFICE}に苦情を申し出ることができます{basis}。"
            f"また、図書館を所管する{authority}に申し出ることもできます。"
        )
    return (
        "1　この決定に不服がある場合は、行政不服審査法（平成26年法律第68号）の規定により、"
        "この決定があったことを知った日の翌日から起算して3か月以内に、"
        f"{authority}に対して審査請求をすることができます"
        "（なお、この決定があったことを知った日の翌日から起算して3か月以内であっても、"
        "この決定の日の翌日から起算して1年を経過した場合には、審査請求をすることができなくなります。）。\n"
        "2　この決定の取消しを求める訴えは、この決定があったことを知った日の翌日から起算して6か月以内に、"
        f"{city}を被告として（訴訟において{city}を代表する者は{authority}となります。）提起することができます"
        "（なお、この決定があったことを知った日の翌日から起算して6か月以内であっても、"
        "この決定の日の翌日から起算して1年を経過した場合には、決定の取消しの訴えを提起することができなくなります。）。"
        "ただし、上記1の審査請求をした場合には、当該審査請求に対する裁決があったことを知った日の翌日から"
        "起算して6か月以内に、決定の取消しの訴えを提起することができます。"
    )


def _library_context() -> dict[str, Any]:
    return {
        "library_name": settings.LIBRARY_NAME,
        "library_head": settings.LIBRARY_HEAD,
        "library_office": settings.LIBRARY_OFFICE,
        "library_phone": settings.LIBRARY_OFFICE_PHONE,
        "municipality": settings.LIBRARY_MUNICIPALITY,
        "appeal_authority": settings.LIBRARY_APPEAL_AUTHORITY,
    }


# --- which letters fit the request ---------------------------------------------------------------


def _latest_decision(request: PrivacyRequest) -> Decision | None:
    return request.decisions.order_by("decided_on", "pk").last()


def _decision_for_third_party(
    request: PrivacyRequest, consultation: ThirdPartyConsultation
) -> Decision | None:
    """The 開示決定 made after the consultation (第26条第3項 speaks of 開示決定 only)."""
    return (
        request.decisions.filter(outcome__in=DISCLOSING_OUTCOMES, decided_on__gte=consultation.sent_on)
        .order_by("decided_on", "pk")
        .last()
    )


def _has_reason(decision: Decision) -> bool:
    return bool(decision.reasons) or bool(decision.reason_text.strip())


def letter_unavailable_reason(
    request: PrivacyRequest, kind: str, consultation: ThirdPartyConsultation | None = None
) -> str:
    """'' when ``kind`` can be issued for ``request`` now; otherwise why not (Japanese, no personal data)."""
    if kind not in LetterKind.values:
        return "通知書の種類が正しくありません。"
    label = LetterKind(kind).label
    if request.status == RequestStatus.WITHDRAWN:
        return "取り下げられた請求には通知書を発行できません。"
    wanted_kind = _KIND_OF_LETTER.get(kind)
    if wanted_kind is not None and request.kind != wanted_kind:
        return f"「{label}」は{RequestKind(wanted_kind).label}についてのみ発行できます。"

    if kind in DECISION_LETTERS:
        decision = _latest_decision(request)
        if decision is None or decision.outcome not in DECISION_LETTERS[kind]:
            outcomes = "・".join(str(Outcome(o).label) for o in DECISION_LETTERS[kind])
            return f"「{label}」は{outcomes}の決定をした後に発行できます。"
        if decision.outcome in _NEEDS_REASON and not _has_reason(decision):
            # 第23条第3項, 第33条第3項, 第40条第3項: the letter must state the reason.
            return (
                f"決定に理由が記録されていないため「{label}」を発行できません。決定の理由を入力してください。"
            )
        return ""
    if kind == LetterKind.EXTENSION:
        if not request.extensions.filter(kind=Extension.Kind.NORMAL).exists():
            return f"期限の延長が記録されていないため「{label}」を発行できません。"
        return ""
    if kind == LetterKind.SPECIAL_EXTENSION:
        special = request.extensions.filter(kind=Extension.Kind.SPECIAL).order_by("notified_on", "pk").last()
        if special is None:
            return f"期限の特例延長が記録されていないため「{label}」を発行できません。"
        if special.remainder_due_on is None and request.final_due_on is None:
            # 第25条第2号, 第35条第2号, 第42条第2号: the notice states the date of the (remaining) decision.
            return f"残りの部分の決定期限が記録されていないため「{label}」を発行できません。"
        return ""
    if kind == LetterKind.AMENDMENT:
        if not request.amendments.exists():
            return f"補正が記録されていないため「{label}」を発行できません。"
        return ""
    # 意見照会書 / 開示決定をした旨の通知書: addressed to one consulted third party (第26条).
    if consultation is None:
        return f"「{label}」は意見照会の相手方を選んで発行してください。"
    if consultation.request_id != request.pk:
        return "選んだ意見照会はこの請求のものではありません。"
    if kind == LetterKind.THIRD_PARTY_DECISION:
        if not consultation.objected:
            return f"「{label}」は開示に反対の意見書を提出した第三者にのみ発行します。"
        decision = _decision_for_third_party(request, consultation)
        if decision is None:
            return f"「{label}」は開示決定（全部開示・部分開示）をした後に発行できます。"
        if not decision.reason_text.strip():
            return (
                f"決定に理由が記録されていないため「{label}」を発行できません（開示決定の理由を通知します）。"
            )
    return ""


def consultations_for(request: PrivacyRequest, kind: str) -> list[ThirdPartyConsultation]:
    """The consultations a 意見照会書 / 開示決定をした旨の通知書 can be issued for now."""
    if kind not in THIRD_PARTY_KINDS:
        return []
    return [c for c in request.consultations.all() if not letter_unavailable_reason(request, kind, c)]


def letter_kinds_for(request_kind: str) -> list[LetterKind]:
    """The kinds that can concern a request of ``request_kind`` at all (whatever its state)."""
    return [k for k in LetterKind if _KIND_OF_LETTER.get(k, request_kind) == request_kind]


def letter_kinds_available(request: PrivacyRequest) -> list[LetterKind]:
    """The kinds that fit the request's state now, in LetterKind order."""
    available = []
    for kind in LetterKind:
        if kind in THIRD_PARTY_KINDS:
            if consultations_for(request, kind):
                available.append(kind)
        elif not letter_unavailable_reason(request, kind):
            available.append(kind)
    return available


# --- the context -------------------------------------------------------------------------------


def _extension_context(
    request: PrivacyRequest, extension: Extension, *, today: dt.date, calendar: Calendar
) -> dict[str, Any]:
    """延長後の期間 (第24条第2項, 第34条第2項, 第41条第2項), from the pure deadline rules."""
    normal = list(request.extensions.filter(kind=Extension.Kind.NORMAL).order_by("notified_on", "pk"))
    upto = normal[: normal.index(extension) + 1] if extension in normal else normal
    grants = [deadlines.ExtensionGrant(e.days, e.reason, e.notified_on) for e in upto]
    pauses = services.request_pauses(request)
    base_days = services.base_days(request.profile, request.kind)

    def deadline(extensions: list[deadlines.ExtensionGrant]) -> deadlines.Deadline:
        return deadlines.decision_deadline(
            received_on=request.received_on,
            base_days=base_days,
            pauses=pauses,
            extensions=extensions,
            calendar=calendar,
            today=today,
        )

    before = deadline(grants[:-1])
    after = deadline(grants)
    return {
        "extension_days": extension.days,
        "extension_total_days": after.extension_days,
        "extension_reason": extension.reason,
        "extension_notified_on": extension.notified_on,
        "original_due_on": before.due_on,
        "extended_due_on": after.due_on,
    }


def _special_context(
    request: PrivacyRequest, extension: Extension, *, today: dt.date, calendar: Calendar
) -> dict[str, Any]:
    """第25条 (開示: 相当の部分 and 残りの部分), 第35条・第42条 (訂正・利用停止: 決定の期限)."""
    context: dict[str, Any] = {
        "special_reason": extension.reason,
        "special_notified_on": extension.notified_on,
        "remainder_due_on": extension.remainder_due_on or request.final_due_on,
        "substantial_due_on": None,
    }
    if request.kind == RequestKind.DISCLOSURE:
        profile = request.profile
        _, substantial = deadlines.special_extension_deadlines(
            received_on=request.received_on,
            notice_days=profile.disclosure_special_notice_days,
            substantial_days=profile.disclosure_special_substantial_days,
            pauses=services.request_pauses(request),
            calendar=calendar,
            today=today,
        )
        context["substantial_due_on"] = substantial.due_on
    return context


def _decision_context(decision: Decision | None) -> dict[str, Any]:
    if decision is None:
        return {}
    labels = dict(WithholdingReason.choices)
    return {
        "decided_on": decision.decided_on,
        "outcome": decision.outcome,
        "outcome_label": decision.get_outcome_display(),
        "withholding_reasons": [str(labels.get(code, code)) for code in decision.reasons or []],
        "reason_text": decision.reason_text,
        "reason_lapses_on": decision.reason_lapses_on,
        "disclosed_content": decision.disclosed_content,
        "is_partial_scope": decision.is_partial_scope,
    }


def build_letter_context(
    *,
    request: PrivacyRequest,
    kind: str,
    consultation: ThirdPartyConsultation | None = None,
    issued_on: dt.date,
    document_number: str = "",
) -> dict[str, Any]:
    """The fixed context of ``CONTEXT_VARIABLES`` (plain values only; see the module docstring)."""
    profile = request.profile
    calendar = library_calendar()
    context: dict[str, Any] = {name: "" for name, _ in CONTEXT_VARIABLES if "," not in name}
    context.update(_TERMS[RequestKind(request.kind)])
    context.update(_article_context(profile, request.kind))
    context.update(_library_context())
    context.update(
        {
            "request_number": request.number,
            "document_number": document_number,
            "request_kind": request.kind,
            "request_kind_label": request.get_kind_display(),
            "received_on": request.received_on,
            "issued_on": issued_on,
            "due_on": request.due_on,
            "requester_name": request.requester_name,
            "requester_address": request.requester_address,
            "requester_kind_label": request.get_requester_kind_display(),
            "principal_name": request.principal_name,
            "information_requested": request.information_requested,
            "correction_content": request.correction_content,
            "suspension_kind_label": request.get_suspension_kind_display() if request.suspension_kind else "",
            "reason_for_request": request.reason_for_request,
            "method_choice_days": profile.method_choice_days,
            "third_party_wait_days": profile.third_party_wait_days,
            "withholding_reasons": [],
            "is_partial_scope": False,
            "appeal_notice": appeal_notice(profile),
        }
    )
    decision = (
        _decision_for_third_party(request, consultation)
        if kind == LetterKind.THIRD_PARTY_DECISION and consultation is not None
        else _latest_decision(request)
    )
    context.update(_decision_context(decision))
    if decision is not None:
        context["disclosure_reason"] = decision.reason_text

    execution = DisclosureExecution.objects.filter(request=request).first()
    if execution is not None:
        context.update(
            {
                "execution_method": execution.get_method_display(),
                "execution_date": execution.carried_out_on,
                "execution_day": day_with_weekday(execution.carried_out_on),
                "fee_yen": execution.fee_yen,
                "fee_basis": execution.fee_basis,
            }
        )
    correction = CorrectionExecution.objects.filter(request=request).first()
    if correction is not None:
        context.update(
            {
                "what_was_corrected": correction.what_was_corrected,
                "corrected_on": correction.corrected_on,
                "recipients": correction.recipients,
            }
        )

    normal = request.extensions.filter(kind=Extension.Kind.NORMAL).order_by("notified_on", "pk").last()
    if normal is not None:
        context.update(_extension_context(request, normal, today=issued_on, calendar=calendar))
    special = request.extensions.filter(kind=Extension.Kind.SPECIAL).order_by("notified_on", "pk").last()
    if special is not None:
        context.update(_special_context(request, special, today=issued_on, calendar=calendar))
    amendment = request.amendments.order_by("requested_on", "pk").last()
    if amendment is not None:
        context.update(
            {
                "amendment_requested_on": amendment.requested_on,
                "amendment_what_to_fix": amendment.what_to_fix,
                "amendment_reply_by": amendment.reply_by,
            }
        )

    if consultation is not None:
        context.update(
            {
                "third_party_name": consultation.third_party_name,
                "third_party_address": consultation.third_party_address,
                "consultation_information": consultation.information_concerned,
                "consultation_sent_on": consultation.sent_on,
                "opinion_due_on": consultation.opinion_due_on,
                "opinion_received_on": consultation.opinion_received_on,
            }
        )
        if decision is not None and decision.outcome in DISCLOSING_OUTCOMES:
            # 第26条第3項: at least 2 weeks between the decision and carrying it out.
            earliest = deadlines.earliest_disclosure_after_objection(
                decision.decided_on, profile.third_party_wait_days
            )
            planned = execution.carried_out_on if execution is not None else None
            context["disclosure_date"] = max(earliest, planned) if planned else earliest
            context["disclosure_day"] = day_with_weekday(context["disclosure_date"])
    if kind in THIRD_PARTY_KINDS:
        # The requester's identity and what they asked for are their own personal information: a
        # third party is told only about the information concerning them (第26条, 第19条第3号).
        for name in (
            "requester_name",
            "requester_address",
            "requester_kind_label",
            "principal_name",
            "information_requested",
            "reason_for_request",
        ):
            context[name] = ""
    return context


def _title(template: LetterTemplate, request: PrivacyRequest, kind: str) -> str:
    title = template.title
    if (
        kind in (LetterKind.EXTENSION, LetterKind.SPECIAL_EXTENSION)
        and request.kind != RequestKind.DISCLOSURE
    ):
        # One wording serves all three kinds of request: 「開示決定等」 becomes 「訂正決定等」 etc.
        title = title.replace("開示決定等", _TERMS[RequestKind(request.kind)]["decision_term"])
    return title


def _template_for(kind: str) -> LetterTemplate:
    template = LetterTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise LetterTemplateError(
            f"「{LetterKind(kind).label}」のテンプレートが登録されていません。マスタ管理で登録してください。"
        )
    return template


def render_letter_html(
    *,
    request: PrivacyRequest,
    kind: str,
    consultation: ThirdPartyConsultation | None = None,
    issued_on: dt.date,
    document_number: str = "",
) -> str:
    """The whole letter as HTML (the layout around the administrator's body), in Japanese whatever
    language the officer's screen is in: dates in 和暦 and citations as the profile's ``Citer`` writes them."""
    template = _template_for(kind)
    with translation.override(settings.LANGUAGE_CODE):
        context = build_letter_context(
            request=request,
            kind=kind,
            consultation=consultation,
            issued_on=issued_on,
            document_number=document_number,
        )
        body = render_body(template.body, context)
        third_party = kind in THIRD_PARTY_KINDS
        return render_to_string(
            LAYOUT_TEMPLATE,
            {
                **context,
                "title": _title(template, request, kind),
                "body": body,
                "addressee_name": context["third_party_name"] if third_party else request.requester_name,
                "addressee_address": context["third_party_address"]
                if third_party
                else request.requester_address,
            },
        )


def render_letter_pdf(
    *,
    request: PrivacyRequest,
    kind: str,
    consultation: ThirdPartyConsultation | None = None,
    issued_on: dt.date,
    document_number: str = "",
) -> bytes:
    """The letter as PDF bytes (WeasyPrint, through privacy_admin.core.pdf)."""
    return render_html_to_pdf(
        render_letter_html(
            request=request,
            kind=kind,
            consultation=consultation,
            issued_on=issued_on,
            document_number=document_number,
        )
    )


def document_number_for(*, fiscal_year: int, sequence: int) -> str:
    """The 文書番号 of the ``sequence``-th letter of 年度 ``fiscal_year`` (settings.LETTER_NUMBER_FORMAT)."""
    _era, era_year = to_wareki_era_year(dt.date(fiscal_year, 5, 1))
    return format_number(settings.LETTER_NUMBER_FORMAT, n=sequence, year=era_year, fiscal_year=fiscal_year)


# --- services --------------------------------------------------------------------------------------


def letter_issue(
    *,
    actor: Actor,
    request: PrivacyRequest,
    kind: str,
    consultation: ThirdPartyConsultation | None = None,
    issued_on: dt.date | None = None,
) -> Letter:
    """Issue a letter: render it, keep the PDF and its sha256, and audit "letter.issue".

    Only kinds that fit the request's state (``letter_unavailable_reason``). The issue date is not in the
    future nor before the request was received.
    """
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise LetterNotAvailable("発行日に未来の日付は指定できません。")
    if issued_on < request.received_on:
        raise LetterNotAvailable("発行日が請求の受付日より前です。")
    if kind not in THIRD_PARTY_KINDS:
        consultation = None
    reason = letter_unavailable_reason(request, kind, consultation)
    if reason:
        raise LetterNotAvailable(reason)
    fiscal_year = fiscal_year_of(issued_on)

    def create() -> Letter:
        # The 文書番号 is printed on the letter: draw it, render, and save under the unique constraint;
        # create_numbered draws again when another letter took the number meanwhile.
        sequence = next_sequence(Letter.objects.filter(document_fiscal_year=fiscal_year), "document_sequence")
        number = document_number_for(fiscal_year=fiscal_year, sequence=sequence)
        pdf = render_letter_pdf(
            request=request, kind=kind, consultation=consultation, issued_on=issued_on, document_number=number
        )
        letter = Letter.objects.create(
            request=request,
            kind=kind,
            issued_on=issued_on,
            issued_by=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
            consultation=consultation,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            document_number=number,
            document_fiscal_year=fiscal_year,
            document_sequence=sequence,
        )
        audit_record(
            actor=actor,
            action="letter.issue",
            target_type="privacy_request",
            target_id=request.pk,
            patron_id=request.patron_id,
            detail={"kind": kind, "letter_id": letter.pk, "document_number": number},
        )
        return letter

    return create_numbered(
        create, exhausted=lambda: LetterError("文書番号を採番できませんでした。もう一度発行してください。")
    )


def letter_preview(
    *,
    actor: Actor,
    request: PrivacyRequest,
    kind: str,
    consultation: ThirdPartyConsultation | None = None,
) -> bytes:
    """The PDF as it would be issued today, not stored (to check the wording). Audited "letter.preview"."""
    if kind not in THIRD_PARTY_KINDS:
        consultation = None
    reason = letter_unavailable_reason(request, kind, consultation)
    if reason:
        raise LetterNotAvailable(reason)
    pdf = render_letter_pdf(
        request=request,
        kind=kind,
        consultation=consultation,
        issued_on=timezone.localdate(),
        document_number=PREVIEW_DOCUMENT_NUMBER,
    )
    audit_record(
        standalone=True,
        actor=actor,
        action="letter.preview",
        target_type="privacy_request",
        target_id=request.pk,
        patron_id=request.patron_id,
        detail={"kind": kind},
    )
    return pdf


def letter_record_download(*, actor: Actor, letter: Letter) -> None:
    """Every download of an issued letter is audited ("letter.download")."""
    audit_record(
        standalone=True,
        actor=actor,
        action="letter.download",
        target_type="privacy_request",
        target_id=letter.request_id,
        patron_id=letter.request.patron_id,
        detail={"kind": letter.kind, "letter_id": letter.pk},
    )


def letter_filename(letter: Letter | None = None) -> str:
    """An ASCII filename with no name or number of a person in it."""
    return f"letter-{letter.pk}.pdf" if letter is not None else "letter-preview.pdf"
