"""Counter pages for barcode scanners (貸出・返却・予約・受渡し・取消・確保・到着) and the item pages.

Thin: forms parse, services write, selectors decide what the actor may reach. Every counter page has
one autofocused text field; Enter submits. With htmx the answer replaces (or, for returns and
captures, is added to) the result region only and the field is emptied for the next scan; without
JavaScript the same POST re-renders the page.

Privacy (市川市 方針 第3(5); architecture "the privacy invariant"): the screen shows the card number
masked and the items — never the patron's name. Card numbers and barcodes arrive in POST bodies
only. Between scans the patron being served is carried as a signed token holding the internal id,
bound to the member of staff and expiring with the idle session.

Contractor operators (002, 004) use 貸出・返却・予約資料の受渡し・確保 when their contract grants it, at
their contract's counters only (``privacy_admin.core.scope_fields``); a function or counter outside the
contract answers 404 and the attempt is logged. Templates get projections that carry only the
values the actor's scope allows, never the model rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from patrons import services as patron_services
from patrons.models import Branch, Patron
from patrons.selectors import get_patron_for
from privacy_admin.audit.permissions import role_required
from privacy_admin.audit.services import audit_record
from privacy_admin.core import scope_fields
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.roles import Role
from privacy_admin.core.scope import scope_for
from privacy_admin.core.scope_fields import Capability

from . import erasure, selectors, services
from .forms import (
    CaptureForm,
    CounterForm,
    ItemForm,
    ItemImportForm,
    ReserveForm,
    ReturnForm,
    add_service_errors,
)
from .imports import items_import_csv

# Counter staff and administrators work the counter (domain §1); every other role is refused.
COUNTER_ROLES = (Role.COUNTER, Role.ADMINISTRATOR)
# Pages a contractor's operator may also use, each narrowed to the contract by ``_admit`` (002, 004).
OPERATOR_PAGE_ROLES = (*COUNTER_ROLES, Role.CONTRACTOR)

_BRANCH_SESSION_KEY = "loans_counter_branch"
_IMPORT_REPORT_KEY = "loans_item_import_report"
_TOKEN_SALT = "loans.counter.patron"  # noqa: S105 - a signing namespace, not a secret
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,32}")
DAMAGE_CASES_PER_PAGE = 50


# --- the counter's context: branch, patron token ---------------------------------------------------


def _branches(request: HttpRequest) -> list[Branch]:
    """The counters the actor may choose: every active branch, or the contract's for an operator."""
    cached = getattr(request, "_loans_branches", None)
    if cached is None:
        cached = selectors.counter_branches_for(request.user)
        request._loans_branches = cached  # type: ignore[attr-defined]
    return cached


def _admit(request: HttpRequest, capability: Capability) -> None:
    """An operator uses a counter function only if the contract grants it, and only at its counters.

    Anything else answers 404 and is logged (``circulation.out_of_scope``), like a record out of scope.
    """
    actor = request.user
    if not scope_fields.may(actor, capability):
        match = request.resolver_match
        raise selectors.out_of_scope(
            actor,
            target_type="view",
            target_id=match.view_name if match else request.path,
            lookup=f"capability:{capability.value}",
        )
    if request.method == "POST":
        selectors.check_counter_branch(actor, request.POST.get("branch", ""), _branches(request))


def _counter_pages(request: HttpRequest) -> list[str]:
    return scope_fields.counter_pages(scope_for(request.user))


def _title(request: HttpRequest, title: str, item: str) -> str:
    """A title for a result line, when the actor's scope holds that kind of title."""
    return title if scope_fields.allows(scope_for(request.user), item) else ""


def _default_branch_code(request: HttpRequest) -> str:
    """The branch last chosen on a counter page, else the staff member's own branch."""
    codes = {b.code for b in _branches(request)}
    chosen = request.session.get(_BRANCH_SESSION_KEY, "")
    if chosen in codes:
        return str(chosen)
    profile = getattr(request.user, "staff_profile", None)
    own = getattr(profile, "branch", None)
    if own is not None and own.code in codes:
        return str(own.code)
    return next(iter(sorted(codes)), "") if codes else ""


def _remember_branch(request: HttpRequest, code: str) -> Branch | None:
    branch = next((b for b in _branches(request) if b.code == code), None)
    if branch is not None and request.session.get(_BRANCH_SESSION_KEY) != code:
        request.session[_BRANCH_SESSION_KEY] = code
    return branch


def patron_token(request: HttpRequest, patron: Patron) -> str:
    return signing.dumps({"p": patron.pk, "u": request.user.pk}, salt=_TOKEN_SALT, compress=True)


def _token_patron(request: HttpRequest, token: str) -> Patron | None:
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_TOKEN_SALT, max_age=settings.SESSION_IDLE_TIMEOUT_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != request.user.pk or not isinstance(data.get("p"), int):
        return None
    return selectors.get_counter_patron(request.user, data["p"])


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _status_of(exc: ValidationError) -> int:
    return 409 if services.is_conflict(exc) else 422


@dataclass
class Outcome:
    """What the last scan did, for the result region."""

    ok: bool
    message: str
    detail: str = ""
    errors: list[str] | None = None
    status: int = 200


def _failure(exc: ValidationError) -> Outcome:
    return Outcome(False, _("処理できませんでした。"), errors=list(exc.messages), status=_status_of(exc))


def _form_failure(form: Any) -> Outcome:
    errors = [str(m) for messages_ in form.errors.values() for m in messages_]
    return Outcome(False, _("入力内容を確認してください。"), errors=errors, status=422)


def _identify(request: HttpRequest, raw: str, *, what: str) -> tuple[Patron | None, Outcome | None]:
    """A card scan: find the patron (scope-checked; out of scope is logged and looks unknown)."""
    card = services.normalize_card_number(raw)
    if not services.is_card_shape(card):
        return None, Outcome(
            False,
            _("利用者番号を読み取ってください。"),
            errors=[_("利用者番号の形式ではありません。")],
            status=422,
        )
    try:
        patron = get_patron_for(request.user, card_number=card)
    except Http404:
        return None, Outcome(
            False,
            _("該当する利用者が見つかりません。"),
            errors=[_("利用者番号を確かめてください。")],
            status=404,
        )
    patron_services.patron_record_view(actor=request.user, patron=patron, what=what)
    return patron, None


def _patron_state(request: HttpRequest, patron: Patron) -> dict[str, Any]:
    today = services.today()
    shown = scope_fields.counter_patron(scope_for(request.user), patron, today=today)
    return {"patron": shown, "cancelled": shown.cancelled, "expired": shown.expired, "today": today}


def _render_counter(
    request: HttpRequest,
    *,
    template: str,
    result_template: str,
    form: Any,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    context = {
        **context,
        "form": form,
        "result_template": result_template,
        "oob": _is_htmx(request),
        "hold_days": settings.LOANS_HOLD_DAYS,
        "today": services.today(),
        "counter_pages": _counter_pages(request),
    }
    return render(request, result_template if _is_htmx(request) else template, context, status=status)


def counter_open(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A counter page opens only on a database that holds no record the erasure ledger says was
    erased: after a backup is restored, ``manage.py erasure_replay`` must run first (方針 第3(2)(3))."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if erasure.restore_pending():
            return render(request, "loans/restore_pending.html", status=503)
        return view(request, *args, **kwargs)

    return wrapped


# --- 貸出 ------------------------------------------------------------------------------------------


@role_required(*OPERATOR_PAGE_ROLES)
@require_http_methods(["GET", "POST"])
@counter_open
def counter(request: HttpRequest) -> HttpResponse:
    """貸出: scan the card, then the items one after another. The landing page of the counter."""
    _admit(request, Capability.LEND)
    return _card_then_items(
        request,
        kind="lend",
        template="loans/counter.html",
        result_template="loans/_lend_result.html",
        form_class=CounterForm,
    )


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
@counter_open
def reserve(request: HttpRequest) -> HttpResponse:
    """予約: scan the card, choose the pickup place, then scan the items to reserve."""
    return _card_then_items(
        request,
        kind="reserve",
        template="loans/reserve.html",
        result_template="loans/_reserve_result.html",
        form_class=ReserveForm,
    )


@role_required(*OPERATOR_PAGE_ROLES)
@require_http_methods(["GET", "POST"])
@counter_open
def pickup(request: HttpRequest) -> HttpResponse:
    """予約資料の受渡し: scan the card to list what is ready here, then scan each item to hand it over."""
    _admit(request, Capability.HAND_OVER)
    return _card_then_items(
        request,
        kind="pickup",
        template="loans/pickup.html",
        result_template="loans/_pickup_result.html",
        form_class=CounterForm,
    )


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
@counter_open
def cancel(request: HttpRequest) -> HttpResponse:
    """予約取消: scan the card, then cancel a reservation from the list (or scan its item)."""
    return _card_then_items(
        request,
        kind="cancel",
        template="loans/cancel.html",
        result_template="loans/_cancel_result.html",
        form_class=CounterForm,
    )


# The buttons of the patron lists, and the one page each is posted from.
_PAGE_ACTIONS = {("cancel_reservation", "cancel"), ("hand_over", "pickup")}


def _card_then_items(
    request: HttpRequest, *, kind: str, template: str, result_template: str, form_class: type[CounterForm]
) -> HttpResponse:
    branches = _branches(request)
    patron: Patron | None = None
    outcome: Outcome | None = None
    highlight: int | None = None
    if request.method == "POST":
        form = form_class(request.POST, branches=branches)
        if form.is_valid():
            branch = _remember_branch(request, form.cleaned_data["branch"])
            assert branch is not None  # a valid choice
            token = form.cleaned_data["patron_token"]
            patron = _token_patron(request, token)
            scan = form.cleaned_data["scan"]
            action = request.POST.get("action", "")
            if action == "finish":
                patron = None
                outcome = Outcome(True, _("終了しました。次の利用者の登録証を読み取ってください。"))
            elif token and patron is None:
                # Signed for someone else, tampered with, or older than the idle timeout.
                outcome = Outcome(
                    False,
                    _("時間が経ったため、利用者の表示を終了しました。登録証をもう一度読み取ってください。"),
                    status=422,
                )
            elif (action, kind) not in _PAGE_ACTIONS and action in {a for a, _k in _PAGE_ACTIONS}:
                # Each button belongs to its page: cancelling is 予約取消's (library staff only), handing
                # over is 受渡し's — a crafted POST to another counter page changes nothing.
                outcome = Outcome(False, _("この画面ではこの操作はできません。"), status=422)
            elif action in ("cancel_reservation", "hand_over") and patron is None:
                outcome = Outcome(False, _("先に登録証を読み取ってください。"), status=422)
            elif action == "cancel_reservation" and patron is not None:
                outcome = _cancel_reservation(request, patron, request.POST.get("reservation", ""))
            elif action == "hand_over" and patron is not None:
                outcome, highlight = _hand_over(
                    request, patron, branch, reservation_pk=request.POST.get("reservation", "")
                )
            elif not scan:
                outcome = None
            elif patron is None:
                patron, outcome = _identify(request, scan, what=f"counter_{kind}")
            else:
                outcome, highlight = _item_scan(request, kind, patron, branch, scan, form)
        else:
            outcome = _form_failure(form)
            branch = _remember_branch(request, _default_branch_code(request)) or (
                branches[0] if branches else None
            )
    else:
        code = _default_branch_code(request)
        branch = _remember_branch(request, code) if code else None
    # A fresh form every time: a bound one would echo the scanned card number back into the page.
    initial = {"branch": branch.code if branch is not None else ""}
    if kind == "reserve":
        posted = request.POST.get("pickup_branch", "")
        initial["pickup_branch"] = posted if any(b.code == posted for b in branches) else initial["branch"]
    form = form_class(initial=initial, branches=branches)
    context: dict[str, Any] = {
        "kind": kind,
        "branch": branch,
        "outcome": outcome,
        "patron_token": patron_token(request, patron) if patron is not None else "",
        "highlight": highlight,
    }
    if patron is not None and branch is not None:
        context |= _patron_state(request, patron)
        context |= _patron_lists(request, kind, patron, branch)
    if kind == "pickup" and branch is not None and not _is_htmx(request):
        context["hold_shelf"] = _hold_shelf(request, branch)
    return _render_counter(
        request,
        template=template,
        result_template=result_template,
        form=form,
        context=context,
        status=outcome.status if outcome is not None else 200,
    )


def _patron_lists(request: HttpRequest, kind: str, patron: Patron, branch: Branch) -> dict[str, Any]:
    """The patron's lists for this counter, as projections of what the actor's scope allows."""
    actor = request.user
    scope = scope_for(actor)
    today = services.today()
    if kind == "lend":
        loans = [
            scope_fields.shown_loan(scope, loan, today=today)
            for loan in selectors.loans_of_patron(actor, patron)
        ]
        ready = selectors.ready_reservations_of_patron_at(actor, patron, branch)
        return {"loans": loans, "loan_limit": settings.LOANS_MAX_PER_PATRON, "ready_count": len(ready)}
    if kind == "pickup":
        ready = selectors.ready_reservations_of_patron_at(actor, patron, branch)
        return {"ready": [scope_fields.shown_reservation(scope, r) for r in ready]}
    reservations = [
        scope_fields.shown_reservation(scope, r) for r in selectors.reservations_of_patron(actor, patron)
    ]
    return {"reservations": reservations, "reservation_limit": settings.LOANS_MAX_RESERVATIONS}


def _item_scan(
    request: HttpRequest, kind: str, patron: Patron, branch: Branch, scan: str, form: Any
) -> tuple[Outcome, int | None]:
    try:
        if kind == "lend":
            loan = services.loan_lend(
                actor=request.user, card_number=patron.card_number, barcode=scan, branch_code=branch.code
            )
            title = _title(request, loan.item.title, DataItem.LOAN_ITEM_TITLE)
            return Outcome(True, _("貸し出しました。"), detail=title), loan.item_id
        if kind == "reserve":
            reservation = services.reservation_create(
                actor=request.user,
                card_number=patron.card_number,
                barcode=scan,
                pickup_branch_code=form.cleaned_data["pickup_branch"],
            )
            return (
                Outcome(
                    True,
                    _("予約しました（受取館: %(branch)s）。") % {"branch": reservation.pickup_branch.name},
                    detail=reservation.item.title,
                ),
                reservation.item_id,
            )
        if kind == "pickup":
            return _hand_over(request, patron, branch, barcode=scan)
        if kind == "cancel":
            code = services.normalize_barcode(scan)
            found = next(
                (r for r in selectors.reservations_of_patron(request.user, patron) if r.item.barcode == code),
                None,
            )
            if found is None:
                return Outcome(False, _("この利用者の予約に、この資料はありません。"), status=404), None
            return _cancel_reservation(request, patron, str(found.pk)), None
    except ValidationError as exc:
        return _failure(exc), None
    raise Http404  # pragma: no cover - every kind is handled above


def _hand_over(
    request: HttpRequest, patron: Patron, branch: Branch, *, barcode: str = "", reservation_pk: str = ""
) -> tuple[Outcome, int | None]:
    ready = selectors.ready_reservations_of_patron_at(request.user, patron, branch)
    code = services.normalize_barcode(barcode)
    found = next(
        (
            r
            for r in ready
            if (code and r.item.barcode == code) or (reservation_pk and str(r.pk) == reservation_pk)
        ),
        None,
    )
    if found is None:
        return (
            Outcome(
                False,
                _("この利用者がこの窓口で受け取れる予約資料ではありません。"),
                errors=[_("資料番号と受取館を確かめてください。")],
                status=409,
            ),
            None,
        )
    try:
        loan = services.reservation_lend(actor=request.user, reservation=found, branch_code=branch.code)
    except ValidationError as exc:
        return _failure(exc), None
    title = _title(request, found.item.title, DataItem.RESERVATION_ITEM_TITLE)
    return Outcome(True, _("受け渡しました（貸出しました）。"), detail=title), loan.item_id


def _cancel_reservation(request: HttpRequest, patron: Patron, raw_pk: str) -> Outcome:
    if not raw_pk.isdigit():
        return Outcome(False, _("取り消す予約を選んでください。"), status=422)
    try:
        reservation = selectors.get_reservation_for(request.user, int(raw_pk))
    except Http404:
        return Outcome(False, _("この予約は見つかりません。"), status=404)
    if reservation.patron_id != patron.pk:
        return Outcome(False, _("この予約は見つかりません。"), status=404)
    title = reservation.item.title
    try:
        routing = services.reservation_cancel(actor=request.user, reservation=reservation)
    except ValidationError as exc:
        return _failure(exc)
    detail = title
    if routing is not None:
        detail = _("%(title)s — 取置・回送中だった資料: %(instruction)s") % {
            "title": title,
            "instruction": routing.instruction,
        }
    return Outcome(True, _("予約を取り消しました。"), detail=detail)


def _hold_shelf(request: HttpRequest, branch: Branch) -> list[scope_fields.ShownReservation]:
    scope = scope_for(request.user)
    shelf = [
        scope_fields.shown_reservation(scope, r, with_card=True)
        for r in selectors.reservations_for_pickup_counter(request.user, branch)[:200]
    ]
    audit_record(
        standalone=True,
        actor=request.user,
        action="circulation.hold_shelf_view",
        target_type="branch",
        target_id=branch.code,
        branch_code=branch.code,
        detail={"count": len(shelf)},
    )
    return shelf


# --- 返却, 確保・到着 ---------------------------------------------------------------------------------


@role_required(*OPERATOR_PAGE_ROLES)
@require_http_methods(["GET", "POST"])
@counter_open
def return_items(request: HttpRequest) -> HttpResponse:
    """返却: scan items; each answer says where the item goes (棚へ / 取置棚へ / ○○へ回送), never who had it.

    At an operator's counter any item is taken back (002: どこに返却しても良い) and its loan erased; the
    answer shows the route and the title of the item in hand, not how overdue the borrower was.
    """
    _admit(request, Capability.RETURN)
    branches = _branches(request)
    result: dict[str, Any] | None = None
    outcome: Outcome | None = None
    if request.method == "POST":
        form = ReturnForm(request.POST, branches=branches)
        if form.is_valid():
            branch = _remember_branch(request, form.cleaned_data["branch"])
            assert branch is not None
            try:
                returned = services.loan_return(
                    actor=request.user,
                    barcode=form.cleaned_data["scan"],
                    branch_code=branch.code,
                    damaged=form.cleaned_data["damaged"],
                    damage_description=form.cleaned_data["damage_description"],
                )
            except ValidationError as exc:
                outcome = _failure(exc)
            else:
                result = scope_fields.shown_return(scope_for(request.user), returned)
                outcome = Outcome(True, _("返却しました。"), detail=result["title"])
        else:
            outcome = _form_failure(form)
        form = ReturnForm(initial={"branch": request.POST.get("branch", "")}, branches=branches)
    else:
        form = ReturnForm(initial={"branch": _default_branch_code(request)}, branches=branches)
    return _render_counter(
        request,
        template="loans/return.html",
        result_template="loans/_return_result.html",
        form=form,
        context={"outcome": outcome, "result": result},
        status=outcome.status if outcome is not None else 200,
    )


@role_required(*OPERATOR_PAGE_ROLES)
@require_http_methods(["GET", "POST"])
@counter_open
def capture(request: HttpRequest) -> HttpResponse:
    """予約資料の確保・到着: scan an item from the shelf or off the van; the answer says where it goes."""
    _admit(request, Capability.CAPTURE)
    branches = _branches(request)
    result: dict[str, Any] | None = None
    outcome: Outcome | None = None
    if request.method == "POST":
        form = CaptureForm(request.POST, branches=branches)
        if form.is_valid():
            branch = _remember_branch(request, form.cleaned_data["branch"])
            assert branch is not None
            try:
                captured = services.reservation_capture(
                    actor=request.user, barcode=form.cleaned_data["scan"], branch_code=branch.code
                )
            except ValidationError as exc:
                outcome = _failure(exc)
            else:
                result = scope_fields.shown_capture(scope_for(request.user), captured)
                outcome = Outcome(True, captured.note or _("処理しました。"), detail=result["title"])
        else:
            outcome = _form_failure(form)
        form = CaptureForm(initial={"branch": request.POST.get("branch", "")}, branches=branches)
    else:
        form = CaptureForm(initial={"branch": _default_branch_code(request)}, branches=branches)
    context: dict[str, Any] = {"outcome": outcome, "result": result}
    if not _is_htmx(request):
        here = next((b for b in branches if b.code == form.initial.get("branch")), None)
        context["to_clear"] = selectors.holds_to_clear(here) if here is not None else []
    return _render_counter(
        request,
        template="loans/capture.html",
        result_template="loans/_capture_result.html",
        form=form,
        context=context,
        status=outcome.status if outcome is not None else 200,
    )


# --- 資料登録, CSV ------------------------------------------------------------------------------------


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
def items(request: HttpRequest) -> HttpResponse:
    """資料登録: one item by hand (the CSV import registers many)."""
    branches = _branches(request)
    if request.method == "POST":
        form = ItemForm(request.POST, branches=branches)
        if form.is_valid():
            d = form.cleaned_data
            try:
                item = services.item_create(
                    actor=request.user,
                    barcode=d["barcode"],
                    title=d["title"],
                    branch_code=d["branch"],
                    author=d["author"],
                    publisher=d["publisher"],
                    isbn=d["isbn"],
                    call_number=d["call_number"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("資料を登録しました: %(title)s") % {"title": item.title})
                return redirect("loans:items")
        status = 422
    else:
        own = _default_branch_code(request)
        pickup_codes = {b.code for b in branches if b.kind == Branch.Kind.PICKUP}
        form = ItemForm(initial={"branch": "" if own in pickup_codes else own}, branches=branches)
        status = 200
    return render(
        request,
        "loans/items.html",
        {"form": form, "recent": selectors.recent_items(), "counter_pages": _counter_pages(request)},
        status=status,
    )


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET", "POST"])
def item_import(request: HttpRequest) -> HttpResponse:
    """資料の一括登録 (CSV): checked as a whole, saved all or nothing."""
    report = None
    status = 200
    if request.method == "POST":
        form = ItemImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = items_import_csv(
                    actor=request.user,
                    file_bytes=form.cleaned_data["file"].read(),
                    dry_run=form.cleaned_data["dry_run"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 422
            else:
                request.session[_IMPORT_REPORT_KEY] = {
                    "total": result.total,
                    "created": result.created,
                    "dry_run": result.dry_run,
                    "errors": result.errors,
                    "ignored_columns": result.ignored_columns,
                }
                return redirect("loans:item_import")
        else:
            status = 422
    else:
        report = request.session.pop(_IMPORT_REPORT_KEY, None)
        form = ItemImportForm()
    return render(
        request,
        "loans/item_import.html",
        {
            "form": form,
            "report": report,
            "max_rows": settings.LOANS_ITEM_CSV_MAX_ROWS,
            "counter_pages": _counter_pages(request),
        },
        status=status,
    )


# --- 汚破損案件 ---------------------------------------------------------------------------------------


@role_required(*COUNTER_ROLES)
@require_http_methods(["GET"])
def damage_cases(request: HttpRequest) -> HttpResponse:
    """汚破損案件 (方針 第2(4)): open cases, each keeping the patron link only until it is settled.

    The list shows the card number masked; staff open the patron's page (itself logged) to contact them.
    """
    branches = _branches(request)
    code = request.GET.get("branch", "")
    branch = next((b for b in branches if b.code == code), None) if _SLUG.fullmatch(code) else None
    cases = selectors.damage_cases_open(request.user, branch=branch)
    page = Paginator(cases, DAMAGE_CASES_PER_PAGE).get_page(request.GET.get("page"))
    audit_record(
        standalone=True,
        actor=request.user,
        action="circulation.damage_list_view",
        target_type="damage_case",
        detail={"count": len(page.object_list)},
    )
    return render(
        request,
        "loans/damage_cases.html",
        {
            "page": page,
            "branches": branches,
            "branch_code": branch.code if branch else "",
            "counter_pages": _counter_pages(request),
        },
    )


@role_required(*COUNTER_ROLES)
@require_POST
def damage_case_settle(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_damage_case_for(request.user, pk)
    try:
        services.damage_case_settle(actor=request.user, case=case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("汚破損案件を処理済みにしました。記録は削除しました。"))
    return redirect("loans:damage_cases")
