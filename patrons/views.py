"""Patron pages. Thin: forms parse, services write, selectors decide what the actor may reach.

Card numbers travel only in POST bodies; pages are addressed by the patron's random public_id.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from privacy_admin.audit.middleware import client_ip
from privacy_admin.audit.permissions import role_required
from privacy_admin.core import hooks, scope_fields
from privacy_admin.core.cache_guard import RETRY_AFTER_SECONDS, RateLimitUnavailable, rate_limit_hit
from privacy_admin.core.dates import format_date as _date
from privacy_admin.core.errors import add_service_errors
from privacy_admin.core.roles import Role, has_role
from privacy_admin.core.scope import scope_for
from privacy_admin.core.scope_fields import Capability

from . import rules, services
from .forms import (
    CancelForm,
    FindByCardForm,
    ImportForm,
    KanaSearchForm,
    PasswordResetConfirmForm,
    PasswordSetForm,
    PatronChangeForm,
    PublicPasswordResetForm,
    RegistrationForm,
    RenewForm,
    fresh_document_labels,
)
from .imports import patrons_import_school_csv
from .models import Branch, Patron, PatronStatus
from .selectors import (
    active_branches,
    get_paper_form_for,
    get_patron_for,
    paper_forms_pending_for,
    patron_out_of_scope,
    patron_record_search,
    patron_record_view,
    patrons_visible_to,
    proxy_application_of,
)
from .services.password_reset import invalid_link_message, reset_minutes

# Counter staff and administrators change patron data; privacy officers only look (domain §1).
WRITE_ROLES = (Role.COUNTER, Role.ADMINISTRATOR)
# Contractor operators are admitted to the reading pages (find by card, the patron's page), where the
# selectors narrow them to their contract's patrons and scope_fields to its data items (002, 004).
READ_ROLES = (Role.COUNTER, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER, Role.CONTRACTOR)

KANA_SEARCH_LIMIT = 20
PAPER_FORMS_PER_PAGE = 50
RESET_ATTEMPTS = 5
RESET_WINDOW_SECONDS = 15 * 60
_IMPORT_REPORT_KEY = "patrons_import_report"
# A branch code echoed back from a form is checked for shape before it reaches a query
# (PostgreSQL refuses NUL bytes with an error instead of "no match").
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,32}")


def _own_branch_code(user: Any) -> str:
    profile = getattr(user, "staff_profile", None)
    branch = getattr(profile, "branch", None)
    return branch.code if branch is not None else ""


def _patron(request: HttpRequest, public_id: uuid.UUID) -> Patron:
    return get_patron_for(request.user, public_id=public_id)


def _admit(request: HttpRequest, capability: Capability, *, how: str) -> None:
    """An operator without this function in their contract gets 404, and the attempt is logged."""
    if not scope_fields.may(request.user, capability):
        raise patron_out_of_scope(request.user, patron_id=None, how=how, target_type="search")


def _to_detail(patron: Patron) -> HttpResponse:
    return redirect("patrons:detail", public_id=patron.public_id)


# --- find -----------------------------------------------------------------------------------


@role_required(*READ_ROLES)
@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Find by card number (POST, never a URL), or by フリガナ + 生年月日 for a patron without a card.

    Operators find by card only, the patrons of their contract (any other card answers like an unknown
    one, and the attempt is logged with the patron it named); the フリガナ search lists several patrons
    at once and is for library staff (``privacy_admin.core.scope_fields``).
    """
    kana_allowed = scope_fields.may(request.user, Capability.KANA_SEARCH)
    card_form = FindByCardForm()
    kana_form = KanaSearchForm() if kana_allowed else None
    results: list[Patron] | None = None
    status = 200
    if request.method == "POST" and request.POST.get("search") == "kana":
        _admit(request, Capability.KANA_SEARCH, how="kana_birth_date")
        kana_form = KanaSearchForm(request.POST)
        if kana_form.is_valid():
            results = _kana_search(request, kana_form)
    elif request.method == "POST":
        card_form = FindByCardForm(request.POST)
        if card_form.is_valid():
            try:
                patron = get_patron_for(request.user, card_number=card_form.cleaned_data["card_number"])
            except Http404:
                # Unknown and out of scope look the same (the selector logs the out-of-scope attempt).
                card_form.add_error(
                    "card_number", _("該当する利用者が見つかりません。番号を確かめてください。")
                )
                status = 404
            else:
                return _to_detail(patron)
    return render(
        request,
        "patrons/find.html",
        {
            "card_form": card_form,
            "kana_form": kana_form,
            "results": results,
            "search_limit": KANA_SEARCH_LIMIT,
        },
        status=status,
    )


def _kana_search(request: HttpRequest, form: KanaSearchForm) -> list[Patron]:
    # 要綱 第8条4: confirm the registration at the counter; the list shows card numbers masked
    # (第8条3: a card number is never disclosed on inquiry).
    found = list(
        patrons_visible_to(request.user)
        .filter(
            family_name_kana=form.cleaned_data["family_name_kana"],
            given_name_kana=form.cleaned_data["given_name_kana"],
            birth_date=form.cleaned_data["birth_date"],
        )
        .order_by("status", "-expires_on", "pk")[:KANA_SEARCH_LIMIT]
    )
    patron_record_search(actor=request.user, patrons=found, by="kana_birth_date")
    return found


# --- detail ---------------------------------------------------------------------------------


@role_required(*READ_ROLES)
@require_http_methods(["GET"])
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    patron = _patron(request, public_id)
    scope = scope_for(request.user)
    if not scope.unrestricted:
        return _detail_scoped(request, patron)
    checks = list(patron.identity_checks.select_related("checked_by"))
    proxy = proxy_application_of(patron)
    paper_forms = list(
        patron.paper_forms.select_related("branch", "destroyed_confirmed_by").order_by("received_on")
    )
    patron_record_view(actor=request.user, patron=patron, what="detail")
    today = services.today()
    days = settings.PATRON_RENEWAL_DAYS_BEFORE
    active = patron.status == PatronStatus.ACTIVE
    documents = rules.IDENTITY_DOCUMENTS_BY_CODE
    return render(
        request,
        "patrons/detail.html",
        {
            "patron": patron,
            "identity_checks": [
                (c, documents[c.document_type].label if c.document_type in documents else c.document_type)
                for c in checks
            ],
            "proxy": proxy,
            "paper_forms": paper_forms,
            "today": today,
            "can_write": active and has_role(request.user, *WRITE_ROLES),
            "can_renew": active and rules.can_renew(patron.expires_on, today, days_before=days),
            "renewal_opens_on": rules.renewal_opens_on(patron.expires_on, days_before=days),
            "renewal_days": days,
            "expired": patron.expires_on < today,
        },
    )


def _detail_scoped(request: HttpRequest, patron: Patron) -> HttpResponse:
    """The patron's page for a contractor's operator: the contract's items of this patron, the loans
    lent at the contract's branches and the reservations to be picked up there — values only, built
    by ``privacy_admin.core.scope_fields``; the template never sees the patron row."""
    actor = request.user
    scope = scope_for(actor)
    today = services.today()
    patron_record_view(actor=actor, patron=patron, what="detail")
    loans = reservations = None
    if scope_fields.sees_loans(scope):
        loans = [
            scope_fields.shown_loan(scope, loan, today=today)
            for loan in hooks.call(hooks.PATRON_LOANS, actor, patron, default=[])
        ]
    if scope_fields.sees_reservations(scope):
        reservations = [
            scope_fields.shown_reservation(scope, r)
            for r in hooks.call(hooks.PATRON_RESERVATIONS, actor, patron, default=[])
        ]
    return render(
        request,
        "patrons/detail_scoped.html",
        {
            "fields": scope_fields.patron_fields(scope, patron),
            "cancelled": patron.status != PatronStatus.ACTIVE,
            "loans": loans,
            "reservations": reservations,
            "today": today,
        },
    )


# --- register, edit, renew, cancel, password ------------------------------------------------


def _check_only(form: forms.Form, call: Callable[[], object]) -> None:
    """Run a service only to collect its messages for a form that is already invalid.

    Whatever the service would write is rolled back, so an invalid form never changes anything;
    fields the form already complains about keep the form's message only.
    """
    already = set(form.errors)
    try:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            remaining = {k: v for k, v in exc.error_dict.items() if k not in already}
            if remaining:
                add_service_errors(form, ValidationError(remaining))


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    branch = _own_branch_code(request.user)
    if request.method == "POST":
        form = RegistrationForm(request.POST, default_branch=branch)
        if not form.is_valid():
            # A date that does not parse should not hide the other problems of a long form.
            _check_only(form, lambda: services.patron_register(actor=request.user, data=form.to_input()))
        else:
            try:
                patron = services.patron_register(actor=request.user, data=form.to_input())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("登録しました。利用者番号は %(card)s です。登録証を発行してください。")
                    % {"card": patron.card_number},
                )
                return _to_detail(patron)
    else:
        form = RegistrationForm(default_branch=branch)
    return render(
        request, "patrons/register.html", {"form": form, "fresh_documents": fresh_document_labels()}
    )


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """登録内容変更 (要綱 第10条): checked against an identity document like a registration."""
    patron = _patron(request, public_id)
    if request.method == "POST":
        form = PatronChangeForm(request.POST, patron=patron)
        if form.is_valid():
            try:
                services.patron_update(
                    actor=request.user, patron=patron, changes=form.to_changes(), identity=form.identity()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("登録内容を変更しました。"))
                return _to_detail(patron)
            patron.refresh_from_db()
    else:
        form = PatronChangeForm(patron=patron)
        patron_record_view(actor=request.user, patron=patron, what="edit")
    return render(request, "patrons/edit.html", {"patron": patron, "form": form})


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    patron = _patron(request, public_id)
    if request.method == "POST":
        form = RenewForm(request.POST)
        if form.is_valid():
            try:
                services.patron_renew(actor=request.user, patron=patron, identity=form.identity())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("更新しました。新しい有効期限は%(date)sです。") % {"date": _date(patron.expires_on)},
                )
                return _to_detail(patron)
            patron.refresh_from_db()
    else:
        form = RenewForm()
        patron_record_view(actor=request.user, patron=patron, what="renew")
    today = services.today()
    days = settings.PATRON_RENEWAL_DAYS_BEFORE
    return render(
        request,
        "patrons/renew.html",
        {
            "patron": patron,
            "form": form,
            "can_renew": patron.status == PatronStatus.ACTIVE
            and rules.can_renew(patron.expires_on, today, days_before=days),
            "renewal_opens_on": rules.renewal_opens_on(patron.expires_on, days_before=days),
            "new_expiry": rules.renewed_expiry(
                patron.expires_on, today, validity_years=settings.PATRON_VALIDITY_YEARS
            ),
            "days_before": days,
        },
    )


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    patron = _patron(request, public_id)
    if request.method == "POST":
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.patron_cancel(actor=request.user, patron=patron, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "登録を取り消しました。利用者の情報は、未返却の資料などがなければ速やかに消去されます。"
                    ),
                )
                return _to_detail(patron)
            patron.refresh_from_db()
    else:
        form = CancelForm()
        patron_record_view(actor=request.user, patron=patron, what="cancel")
    return render(request, "patrons/cancel.html", {"patron": patron, "form": form})


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """要綱 第8条5: a new password at the counter, after checking an identity document."""
    patron = _patron(request, public_id)
    if request.method == "POST":
        form = PasswordSetForm(request.POST)
        if form.is_valid():
            try:
                services.patron_set_password(
                    actor=request.user,
                    patron=patron,
                    raw_password=form.cleaned_data.get("password") or "",
                    identity=form.identity(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("パスワードを設定しました。"))
                return _to_detail(patron)
    else:
        form = PasswordSetForm()
        patron_record_view(actor=request.user, patron=patron, what="password")
    return render(request, "patrons/password.html", {"patron": patron, "form": form})


# --- bulk import ----------------------------------------------------------------------------


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    """要綱 第12条: a school's roster registered without application forms."""
    branch = _own_branch_code(request.user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, default_branch=branch)
        if form.is_valid():
            try:
                report = patrons_import_school_csv(
                    actor=request.user,
                    file_bytes=form.cleaned_data["file"].read(),
                    registered_branch=form.cleaned_data["registered_branch"],
                    category=form.cleaned_data["category"],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                # PRG: the report waits in the (server-side) session for the page that follows.
                request.session[_IMPORT_REPORT_KEY] = {
                    "rows": [asdict(r) for r in report.rows],
                    "created": report.created,
                    "error_count": report.error_count,
                    "ok_count": report.ok_count,
                    "total": report.total,
                    "dry_run": report.dry_run,
                    "ignored_columns": report.ignored_columns,
                    "registered_branch": form.cleaned_data["registered_branch"],
                    "category": form.cleaned_data["category"],
                }
                return redirect("patrons:import")
        report_data = None
    else:
        report_data = request.session.pop(_IMPORT_REPORT_KEY, None)
        # After a dry run the same school is usually imported next: keep its branch and category.
        initial = {k: report_data[k] for k in ("registered_branch", "category")} if report_data else {}
        form = ImportForm(default_branch=branch, initial=initial)
    return render(
        request,
        "patrons/import.html",
        {"form": form, "report": report_data, "max_rows": settings.PATRON_CSV_MAX_ROWS},
    )


# --- paper application forms ----------------------------------------------------------------


@role_required(*WRITE_ROLES)
@require_http_methods(["GET"])
def paper_forms(request: HttpRequest) -> HttpResponse:
    """要綱 第2条2: forms kept a month, then shredded; the overdue ones first."""
    today = services.today()
    branches = list(active_branches())
    branch_code = request.GET.get("branch", "")
    if not (branch_code and any(b.code == branch_code for b in branches)):
        branch_code = ""
    # Only the card number is read from the patron, and shown masked (the name is not needed to shred).
    rows = paper_forms_pending_for(request.user, branch_code=branch_code)
    overdue_count = rows.filter(destroy_by__lt=today).count()
    page = Paginator(rows, PAPER_FORMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "patrons/paper_forms.html",
        {
            "page": page,
            "today": today,
            "overdue_count": overdue_count,
            "branches": branches,
            "branch_code": branch_code,
        },
    )


@role_required(*WRITE_ROLES)
@require_POST
def paper_form_destroy(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_paper_form_for(request.user, pk)
    try:
        services.paper_form_confirm_destroyed(actor=request.user, form=form)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(kind)s（受付 %(date)s）の廃棄を記録しました。")
            % {"kind": form.get_kind_display(), "date": _date(form.received_on)},
        )
    url = reverse("patrons:paper_forms")
    page = request.POST.get("page", "")
    branch = request.POST.get("branch", "")
    query = []
    if page.isdigit():
        query.append(f"page={int(page)}")
    if _SLUG.fullmatch(branch) and Branch.objects.filter(code=branch).exists():
        query.append(f"branch={branch}")
    return redirect(f"{url}?{'&'.join(query)}" if query else url)


# --- the patron's own password reset (public) -----------------------------------------------


def _reset_attempts(request: HttpRequest, *, page: str = "password-reset") -> int:
    """Raises ``RateLimitUnavailable`` when the cache is down: the reset is refused, not unlimited."""
    key = f"patrons:{page}:{client_ip(request) or 'unknown'}"
    return rate_limit_hit(key, window_seconds=RESET_WINDOW_SECONDS)


def _reset_refused(
    request: HttpRequest, template: str, context: dict[str, Any], *, page: str = "password-reset"
) -> HttpResponse | None:
    """The rate limit of the reset pages (per address): a 429 or 503 answer, or None to go on."""
    try:
        attempts = _reset_attempts(request, page=page)
    except RateLimitUnavailable:
        response = render(request, template, {**context, "limited": False, "unavailable": True}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if attempts > RESET_ATTEMPTS:
        return render(
            request,
            template,
            {**context, "limited": True, "window_minutes": RESET_WINDOW_SECONDS // 60},
            status=429,
        )
    return None


RESET_REQUESTED = gettext_lazy(
    "受け付けました。利用者番号と登録メールアドレスが登録内容と一致した場合は、そのメールアドレスあてに"
    "パスワード再設定用のリンクをお送りしました（有効期限は送信から%(minutes)d分、1回限り）。"
    "メールが届かない場合は、登録証と本人確認書類をお持ちのうえ、図書館の窓口でお手続きください。"
)


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """要綱 第8条3: a one-time link goes to the registered address when card number and e-mail match.
    The answer is the same whatever matched; attempts per address are limited."""
    template = "patrons/password_reset.html"
    if request.method == "POST":
        refused = _reset_refused(request, template, {"form": PublicPasswordResetForm()})
        if refused is not None:
            return refused
        form = PublicPasswordResetForm(request.POST)
        if form.is_valid():
            services.request_patron_password_reset(
                card_number=form.cleaned_data["card_number"], email=form.cleaned_data["email"]
            )
            messages.info(request, str(RESET_REQUESTED) % {"minutes": reset_minutes()})
            return redirect("patrons:password_reset")
    else:
        form = PublicPasswordResetForm()
    return render(request, template, {"form": form, "limited": False})


def _password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    template = "patrons/password_reset_confirm.html"
    context: dict[str, Any] = {"token": token, "invalid_message": invalid_link_message()}
    dead = {**context, "valid": False}
    if request.method != "POST":
        if not services.patron_password_reset_token_valid(token=token):
            return render(request, template, dead, status=400)
        return render(request, template, {**context, "form": PasswordResetConfirmForm(), "valid": True})
    refused = _reset_refused(
        request,
        template,
        {**context, "form": PasswordResetConfirmForm(), "valid": True},
        page="password-reset-confirm",
    )
    if refused is not None:
        return refused
    form = PasswordResetConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.complete_patron_password_reset(token=token, new_password=form.cleaned_data["password"])
        except ValidationError as exc:
            if "token" in getattr(exc, "error_dict", {}):
                return render(request, template, dead, status=400)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("パスワードを変更しました。新しいパスワードでログインしてください。"))
            return redirect("patrons:password_reset")
    return render(request, template, {**context, "form": form, "valid": True})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The page the mailed link opens: a new password, once, within the link's validity."""
    response = _password_reset_confirm(request, token)
    # The token is in this page's URL: it must not leave in a Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response
