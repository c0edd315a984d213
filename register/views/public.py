"""Public pages, no login (mounted at /public/register/): the register open to inspection (法 第75条;
山梨県 要綱 第16条第5項) and what the library must make known to the people whose data it holds (法 第127条;
山梨県 要綱 第49条). Every article the pages and the blank forms cite comes from the rule profile in force.

Nothing here is personal data: the register describes activities, never people. The search query is a
word about an activity (名称・目的・所管), so it may travel in the query string. Abolished entries are
not shown (第16条第4項: their registration is struck out).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_stubs_ext import StrOrPromise

from disclosure_requests.models import RequesterKind, RuleProfile, SuspensionKind
from disclosure_requests.profiles import current_profile
from disclosure_requests.services import request_identity_documents
from privacy_admin.core.pdf import render_pdf
from register import inventory, selectors
from register.views.entries import entry_sheet

PER_PAGE = 50

# 法 第89条第2項 / 山梨県 要綱 第28条: the fee for a disclosure is the actual cost, in an amount the library sets. Until the
# library sets its own (settings PRIVACY_COPY_FEE_*), these are the amounts most municipal schedules use
# for a copy of an A3 or smaller sheet; viewing is free and postage is charged at cost.
COPY_FEE_MONOCHROME_YEN = 10
COPY_FEE_COLOR_YEN = 50

# The documents that prove the representation: a minor's or an adult ward's legal representative, or a
# person's appointed agent (法第76条第2項: for any information; 山梨県 要綱 第17条第2項: only for 保有特定個人情報,
# which the profile's ``appointed_agent_specific_only`` says — see ``representation_documents``).
REPRESENTATION_DOCUMENTS: dict[str, StrOrPromise] = {
    RequesterKind.MINOR_REPRESENTATIVE: gettext_lazy(
        "戸籍謄本・戸籍抄本など、親権者であることを確認できる書類（提出日前30日以内に作成されたもの）"
    ),
    RequesterKind.WARD_REPRESENTATIVE: gettext_lazy(
        "後見登記等に関する登記事項証明書など、成年後見人であることを確認できる書類（提出日前30日以内に作成されたもの）"
    ),
    RequesterKind.APPOINTED_AGENT: gettext_lazy(
        "本人の委任状（委任状には本人の実印を押し、印鑑登録証明書を添付）"
    ),
}
APPOINTED_AGENT_SPECIFIC_ONLY = gettext_lazy(
    "本人の委任状（特定個人情報に限る。委任状には本人の実印を押し、印鑑登録証明書を添付）"
)


def representation_documents(profile: RuleProfile | None) -> list[tuple[str, str]]:
    """(who, what proves it) for each kind of representative, as the profile in force admits them."""
    rows = []
    for kind, text in REPRESENTATION_DOCUMENTS.items():
        if (
            kind == RequesterKind.APPOINTED_AGENT
            and profile is not None
            and profile.appointed_agent_specific_only
        ):
            text = APPOINTED_AGENT_SPECIFIC_ONLY
        rows.append((str(RequesterKind(kind).label), str(text)))
    return rows


@dataclass(frozen=True)
class RequestForm:
    kind: str
    title: StrOrPromise  # 保有個人情報開示請求書
    rule: str  # the rule (citations.RULES) whose article the form follows
    filename: str
    article: str = ""  # that article under the profile in force (filled in by ``forms_in_force``)


REQUEST_FORMS: dict[str, RequestForm] = {
    "disclosure": RequestForm(
        "disclosure", gettext_lazy("保有個人情報開示請求書"), "disclosure_form", "kaiji-seikyusho.pdf"
    ),
    "correction": RequestForm(
        "correction", gettext_lazy("保有個人情報訂正請求書"), "correction_form", "teisei-seikyusho.pdf"
    ),
    "suspension": RequestForm(
        "suspension",
        gettext_lazy("保有個人情報利用停止請求書"),
        "suspension_form",
        "riyouteishi-seikyusho.pdf",
    ),
}


def _setting(name: str, default: Any) -> Any:
    # Knobs the library may set; until they exist in settings.py the documented default applies.
    return getattr(settings, name, default)


def _profile_in_force() -> RuleProfile | None:
    try:
        return current_profile()
    except RuleProfile.DoesNotExist:
        return None


def citations_in_force(profile: RuleProfile | None) -> dict[str, Any]:
    """``cite`` (「個人情報の保護に関する法律第127条」) and ``cite_short`` (「法第89条第2項」) keyed by rule,
    for the page's first and later mentions; empty strings when no profile is in force or the law has no
    article for a rule (the page then leaves the citation out)."""
    if profile is None:
        return {"law_name": "", "cite": {}, "cite_short": {}}
    citer = profile.citer()
    return {"law_name": citer.law_name, "cite": citer.all_full(), "cite_short": citer.all_short()}


def forms_in_force(profile: RuleProfile | None, *, short: bool = True) -> list[RequestForm]:
    """The blank forms, each with the article it follows under ``profile``."""
    if profile is None:
        return list(REQUEST_FORMS.values())
    citer = profile.citer()
    write = citer.short if short else citer.full
    return [dataclasses.replace(form, article=write(form.rule)) for form in REQUEST_FORMS.values()]


def publication_info() -> dict[str, Any]:
    """What the library makes known to the people whose data it holds (the publication rule of the
    profile in force: 法 第127条 / 山梨県 要綱 第49条), from its settings and rules (no personal data)."""
    profile = _profile_in_force()
    office = settings.LIBRARY_OFFICE
    return {
        "library_name": settings.LIBRARY_NAME,
        "library_head": settings.LIBRARY_HEAD,
        # (1) 開示等の求めの申出先
        "office": office,
        "office_address": _setting("LIBRARY_OFFICE_ADDRESS", ""),
        "office_phone": _setting("LIBRARY_OFFICE_PHONE", ""),
        "office_hours": _setting("LIBRARY_OFFICE_HOURS", gettext_lazy("開館日の午前9時から午後5時まで")),
        # (2) 書面の様式その他の申出の方式
        "forms": forms_in_force(profile),
        "profile": profile,
        **citations_in_force(profile),
        # (3) 本人又は代理人であることの確認方法
        "identity_documents": [label for _code, label in request_identity_documents()],
        "representation_documents": representation_documents(profile),
        # (4) 開示の実施に係る費用の額及び徴収方法
        "fee_monochrome": _setting("PRIVACY_COPY_FEE_MONOCHROME_YEN", COPY_FEE_MONOCHROME_YEN),
        "fee_color": _setting("PRIVACY_COPY_FEE_COLOR_YEN", COPY_FEE_COLOR_YEN),
        # (5) 苦情の申出先及び図書館を所管する部署の連絡先
        "complaint_office": office,
        "supervisor": settings.LIBRARY_APPEAL_AUTHORITY,
        "supervisor_contact": _setting("LIBRARY_SUPERVISOR_CONTACT", ""),
    }


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[: selectors.SEARCH_MAX]
    page = Paginator(selectors.public_entries(q=q), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/public/list.html",
        {
            "page": page,
            "q": q,
            "library_name": settings.LIBRARY_NAME,
            **citations_in_force(_profile_in_force()),
        },
    )


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_public_entry(pk)
    sheet = entry_sheet(entry)
    # The public sheet shows the entry as registered: its status is always 登録 and it has no 廃止日.
    for section in sheet:
        section["rows"] = [r for r in section["rows"] if r["name"] not in ("status", "abolished_on")]
    history = [h for h in selectors.entry_history(entry, with_users=False) if h.kind != "create"]
    return render(
        request,
        "registry/public/detail.html",
        {
            "entry": entry,
            "sheet": sheet,
            "record_items": inventory.entry_record_items(entry),
            "history": history,
            "library_name": settings.LIBRARY_NAME,
        },
    )


@require_GET
def publication(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/public/publication.html", publication_info())


@functools.lru_cache(maxsize=16)
def _form_pdf(
    kind: str,
    library_name: str,
    library_head: str,
    office: str,
    window_days: int | None,
    article: str,
    window_article: str,
    fees_article: str,
) -> bytes:
    # The form a person fills in and hands to the library: in the library's language (Japanese).
    with translation.override(settings.LANGUAGE_CODE):
        return _render_form_pdf(
            kind, library_name, library_head, office, window_days, article, window_article, fees_article
        )


def _render_form_pdf(
    kind: str,
    library_name: str,
    library_head: str,
    office: str,
    window_days: int | None,
    article: str,
    window_article: str,
    fees_article: str,
) -> bytes:
    return render_pdf(
        "registry/public/pdf/request_form.html",
        {
            "form": dataclasses.replace(REQUEST_FORMS[kind], article=article),
            "window_article": window_article,
            "fees_article": fees_article,
            "library_name": library_name,
            "library_head": library_head,
            "office": office,
            "window_days": window_days,
            "identity_documents": [label for _code, label in request_identity_documents()],
            "requester_kinds": [str(label) for _v, label in RequesterKind.choices],
            "suspension_kinds": [str(label) for _v, label in SuspensionKind.choices],
        },
    )


def render_request_form_pdf(kind: str) -> bytes:
    """A blank request form as PDF, citing the article of the profile in force (法 第77条・第91条・第99条,
    山梨県 要綱 第18条・第31条・第38条); rendered once per process for the same settings and profile."""
    profile = _profile_in_force()
    window_days = profile.request_window_days if profile is not None else None
    article = window_article = fees_article = ""
    if profile is not None:
        citer = profile.citer()
        article = citer.full(REQUEST_FORMS[kind].rule)  # the form's first mention names the law in full
        window_article = citer.short(f"{kind}_window") if kind != "disclosure" else ""
        fees_article = citer.short("fees")
    return _form_pdf(
        kind,
        settings.LIBRARY_NAME,
        settings.LIBRARY_HEAD,
        settings.LIBRARY_OFFICE,
        window_days,
        article,
        window_article,
        fees_article,
    )


@require_GET
def request_form_pdf(request: HttpRequest, kind: str) -> HttpResponse:
    form = REQUEST_FORMS.get(kind)
    if form is None:
        raise Http404
    response = HttpResponse(render_request_form_pdf(kind), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{form.filename}"'
    return response
