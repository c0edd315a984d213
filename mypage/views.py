"""マイページ pages (issue 16). Thin: they read through ``mypage.selectors`` and write through
``mypage.services``; every page that shows the patron's data writes its view event (selectors)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from privacy_admin.audit.middleware import client_ip

from . import auth, history, selectors, services
from .forms import (
    ContactForm,
    HistoryEnableForm,
    NoticeChannelForm,
    OnlineRequestForm,
    PasswordChangeForm,
    ReserveForm,
    SearchForm,
    SignInForm,
)


def _errors_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for messages in exc.message_dict.values() for m in messages]
    return [str(m) for m in exc.messages]


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("patron", getattr(request, "patron", None))
    context.setdefault("history_offered", history.available())
    return render(request, f"mypage/{template}", context, status=status)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if auth.is_staff_request(request):
        return auth.staff_refused(request)
    form = SignInForm(request.POST or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                patron = services.patron_sign_in(
                    card_number=form.cleaned_data["card_number"],
                    password=form.cleaned_data["password"],
                    ip=client_ip(request),
                )
            except services.SignInRefused as refused:
                errors = [refused.message]
                status = 429 if refused.locked else 200
            else:
                kek = services.history_kek_at_sign_in(patron=patron, password=form.cleaned_data["password"])
                auth.sign_in_session(request, patron)
                response = redirect("mypage:home")
                if kek is not None:
                    history.set_kek_cookie(
                        response, patron_id=patron.pk, session_key=request.session.session_key or "", kek=kek
                    )
                return response
        else:
            errors = [_("利用者番号とパスワードを入力してください。")]
    return _page(
        request,
        "login.html",
        {"form": form, "errors": errors, "timed_out": request.GET.get("timeout") == "1"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        patron = auth.current_patron(request) if not auth.is_staff_request(request) else None
        if patron is not None:
            services.patron_sign_out(patron=patron)
            request.session.flush()
        response = redirect("mypage:login")
        history.clear_kek_cookie(response)
        return response
    return _page(request, "logout.html", {})


@auth.patron_required
def home(request: HttpRequest) -> HttpResponse:
    patron = request.patron  # type: ignore[attr-defined]
    return _page(
        request,
        "home.html",
        {
            "loans": selectors.my_loans(patron),
            "reservations": selectors.my_reservations(patron),
            "requests": selectors.my_requests(patron),
            "done": request.GET.get("done", ""),
        },
    )


@auth.patron_required
@require_POST
def renew(request: HttpRequest, loan_id: int) -> HttpResponse:
    patron = request.patron  # type: ignore[attr-defined]
    try:
        services.loan_renew(patron=patron, loan_id=loan_id)
    except ValidationError as exc:
        return _page(
            request,
            "home.html",
            {
                "loans": selectors.my_loans(patron),
                "reservations": selectors.my_reservations(patron),
                "requests": selectors.my_requests(patron),
                "errors": _errors_of(exc),
            },
            status=422,
        )
    return redirect(reverse("mypage:home") + "?done=renewed")


@auth.patron_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    # POST, not GET: what a patron looks for must not land in a URL, a proxy's log or the history.
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = selectors.item_search(form.cleaned_data["q"])
    places = [(b.code, b.name) for b in selectors.pickup_places()]
    return _page(request, "search.html", {"form": form, "results": results, "places": places})


@auth.patron_required
@require_POST
def reserve(request: HttpRequest) -> HttpResponse:
    patron = request.patron  # type: ignore[attr-defined]
    places = [(b.code, b.name) for b in selectors.pickup_places()]
    form = ReserveForm(request.POST, places=places)
    if not form.is_valid():
        return _page(
            request,
            "search.html",
            {
                "form": SearchForm(),
                "results": None,
                "places": places,
                "errors": [_("受取場所を一覧から選んでください。")],
            },
            status=422,
        )
    try:
        services.patron_reserve(
            patron=patron,
            item_id=form.cleaned_data["item_id"],
            pickup_branch_code=form.cleaned_data["pickup"],
        )
    except ValidationError as exc:
        return _page(
            request,
            "search.html",
            {
                "form": SearchForm(),
                "results": None,
                "places": places,
                "errors": _errors_of(exc),
            },
            status=422,
        )
    return redirect(reverse("mypage:home") + "?done=reserved")


@auth.patron_required
@require_POST
def cancel_reservation(request: HttpRequest, reservation_id: int) -> HttpResponse:
    patron = request.patron  # type: ignore[attr-defined]
    # Already gone (handed over, cancelled or expired): nothing left to cancel.
    with contextlib.suppress(ValidationError):
        services.patron_cancel_reservation(patron=patron, reservation_id=reservation_id)
    return redirect(reverse("mypage:home") + "?done=cancelled")


@auth.patron_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    patron = request.patron  # type: ignore[attr-defined]
    contact = ContactForm(
        request.POST if request.POST.get("form") == "contact" else None,
        initial={"phone": patron.phone, "email": patron.email},
    )
    channel = NoticeChannelForm(
        request.POST if request.POST.get("form") == "channel" else None,
        initial={"channel": selectors.my_notice_channel(patron)},
    )
    errors: list[str] = []
    done = request.GET.get("done", "")
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "contact" and contact.is_valid():
                services.patron_update_contact(
                    patron=patron, phone=contact.cleaned_data["phone"], email=contact.cleaned_data["email"]
                )
                return redirect(reverse("mypage:profile") + "?done=contact")
            if request.POST.get("form") == "channel" and channel.is_valid():
                services.patron_set_notice_channel(patron=patron, channel=channel.cleaned_data["channel"])
                return redirect(reverse("mypage:profile") + "?done=channel")
            errors = [_("入力内容を確かめてください。")]
        except ValidationError as exc:
            errors = _errors_of(exc)
        status = 422
    return _page(
        request,
        "profile.html",
        {
            "rows": selectors.my_registration(patron),
            "editable": selectors.EDITABLE_FIELDS,
            "contact": contact,
            "channel": channel,
            "errors": errors,
            "done": done,
        },
        status=status,
    )


@auth.patron_required
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    patron = request.patron  # type: ignore[attr-defined]
    form = PasswordChangeForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                kek = services.patron_change_password(
                    patron=patron,
                    current_password=form.cleaned_data["current_password"],
                    new_password=form.cleaned_data["password"],
                )
            except ValidationError as exc:
                errors = _errors_of(exc)
            else:
                response = redirect(reverse("mypage:home") + "?done=password")
                if kek is not None:
                    history.set_kek_cookie(
                        response, patron_id=patron.pk, session_key=request.session.session_key or "", kek=kek
                    )
                return response
        else:
            errors = [_("現在のパスワードと新しいパスワードを入力してください。")]
    return _page(request, "password.html", {"form": form, "errors": errors}, status=422 if errors else 200)


@auth.patron_required
@require_http_methods(["GET", "POST"])
def history_page(request: HttpRequest) -> HttpResponse:
    patron = request.patron  # type: ignore[attr-defined]
    if not history.available():
        return _page(request, "history_off.html", {}, status=404)
    form = HistoryEnableForm(request.POST if request.POST.get("action") == "enable" else None)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "enable":
                if form.is_valid():
                    kek = services.history_enable(patron=patron, password=form.cleaned_data["password"])
                    response = redirect(reverse("mypage:history") + "?done=enabled")
                    history.set_kek_cookie(
                        response, patron_id=patron.pk, session_key=request.session.session_key or "", kek=kek
                    )
                    return response
                errors = [_("パスワードを入力し、同意の欄にチェックを入れてください。")]
            elif action == "disable":
                services.history_disable(patron=patron)
                response = redirect(reverse("mypage:history") + "?done=disabled")
                history.clear_kek_cookie(response)
                return response
            elif action == "delete_all":
                services.history_delete_all(patron=patron)
                return redirect(reverse("mypage:history") + "?done=deleted")
            elif action == "delete":
                entry = request.POST.get("entry", "")
                services.history_delete_entry(patron=patron, entry_id=int(entry) if entry.isdigit() else 0)
                return redirect(reverse("mypage:history") + "?done=deleted")
            else:
                errors = [_("操作を選んでください。")]
        except ValidationError as exc:
            errors = _errors_of(exc)
    enabled = selectors.history_enabled(patron)
    entries = (
        selectors.my_history(patron, history.kek_from_request(request, patron_id=patron.pk))
        if enabled
        else []
    )
    return _page(
        request,
        "history.html",
        {
            "enabled": enabled,
            "entries": entries,
            "form": form,
            "errors": errors,
            "done": request.GET.get("done", ""),
        },
        status=422 if errors else 200,
    )


@auth.patron_required
@require_http_methods(["GET", "POST"])
def online_request(request: HttpRequest) -> HttpResponse:
    """電子申請: the form says how to prove who one is and when the clock starts (profile in force)."""
    from disclosure_requests.services.online import online_guidance

    patron = request.patron  # type: ignore[attr-defined]
    form = OnlineRequestForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.patron_submit_request(patron=patron, **form.cleaned_data)
            except ValidationError as exc:
                errors = _errors_of(exc)
            else:
                return redirect(reverse("mypage:home") + "?done=requested")
        else:
            errors = [_("入力内容を確かめてください。")] + [
                f"{form.fields[name].label}: {' '.join(str(m) for m in messages)}"
                for name, messages in form.errors.items()
                if name in form.fields
            ]
    return _page(
        request,
        "online_request.html",
        {"form": form, "errors": errors, "guidance": online_guidance("")},
        status=422 if errors else 200,
    )
