"""Request pages (domain.md §7; 法 第76–103条 or 山梨県 要綱 第17–42条, as the request's rule profile says). Thin: forms parse, services write, selectors decide
what the actor may reach.

Only privacy officers and administrators use them (domain §1); everyone else is refused with 403 and
the refusal logged. Pages are addressed by the request's id only — a requester's name never goes into a
URL — and every look at a request's detail is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist, loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy_admin.audit.permissions import role_required
from privacy_admin.core import hooks
from privacy_admin.core.dates import format_date as _date

from . import selectors, services
from .forms import (
    AmendmentCompleteForm,
    AmendmentForm,
    ConsultationForm,
    CorrectionExecutionForm,
    DecisionForm,
    DisclosureExecutionForm,
    ExtensionForm,
    FilterForm,
    OpinionForm,
    ReceiveForm,
    SpecialExtensionForm,
    SuspensionExecutionForm,
    WithdrawForm,
    add_service_errors,
    step_initial,
)
from .models import PrivacyRequest, RequestKind

ROLES = selectors.READ_ROLES
PER_PAGE = 50
LETTERS_PANEL = "disclosure_requests/letters/_panel.html"


# --- dashboard and list ---------------------------------------------------------------------------


def _month_param(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        year, month = (int(p) for p in raw.split("-", 1))
        if not 1900 <= year <= 2200:
            return None
        return dt.date(year, month, 1)
    except ValueError:
        return None


@role_required(*ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The landing page: what is due, what is late, what waits on the requester, and a month of deadlines."""
    today = services.today()
    board = selectors.dashboard(request.user, today=today, month=_month_param(request.GET.get("month")))
    # Open incidents and their next deadline (山梨県 要綱 第48条; 法第68条), from the registry app.
    incident_rows = hooks.call(hooks.INCIDENT_PANEL, request.user, on=today, default=[])
    return render(
        request,
        "disclosure_requests/dashboard.html",
        {"board": board, "today": today, "incident_rows": incident_rows},
    )


@role_required(*ROLES)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    years = selectors.request_years(request.user)
    form = FilterForm(request.GET or None, years=years)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "kind": form.cleaned_data["kind"] or "",
            "status": form.cleaned_data["status"] or "",
            "year": form.cleaned_data["year"],
        }
    page = Paginator(selectors.requests_filtered(request.user, **filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure_requests/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": services.today(),
            "open_statuses": services.OPEN_STATUSES,
            # 電子申請 awaiting the identity check (issue 16): not yet requests, no clock running.
            "online_applications": selectors.online_applications_awaiting(request.user),
        },
    )


# --- intake ---------------------------------------------------------------------------------------


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest) -> HttpResponse:
    today = services.today()
    if request.method == "POST":
        form = ReceiveForm(request.POST)
        if form.is_valid():
            kwargs = form.service_kwargs()
            based_on_number = (form.cleaned_data["based_on_number"] or "").strip()
            based_on = None
            if based_on_number:
                based_on = (
                    selectors.requests_visible_to(request.user)
                    .filter(number=based_on_number, kind=RequestKind.DISCLOSURE)
                    .first()
                )
                if based_on is None:
                    form.add_error("based_on_number", _("この受付番号の開示請求は見つかりません。"))
            if form.is_valid():
                try:
                    created = services.request_receive(actor=request.user, based_on=based_on, **kwargs)
                except ValidationError as exc:
                    if hasattr(exc, "error_dict") and "based_on" in exc.error_dict:
                        exc.error_dict["based_on_number"] = exc.error_dict.pop("based_on")
                    add_service_errors(form, exc)
                else:
                    deadline = services.request_deadline(created)
                    messages.success(
                        request,
                        _("受け付けました。受付番号は %(number)s、決定期限は%(due_on)sです。")
                        % {"number": created.number, "due_on": _date(deadline.due_on)},
                    )
                    if deadline.falls_on_closed_day and deadline.last_open_day_before is not None:
                        messages.warning(
                            request,
                            _(
                                "決定期限の%(due_on)sは%(closed_reason)sです。最終開庁日は%(last_open_day_before)sです。"
                            )
                            % {
                                "due_on": _date(deadline.due_on),
                                "closed_reason": deadline.closed_reason,
                                "last_open_day_before": _date(deadline.last_open_day_before),
                            },
                        )
                    return redirect("requests:detail", pk=created.pk)
    else:
        kind = request.GET.get("kind")
        form = ReceiveForm(
            initial={
                "kind": kind if kind in RequestKind.values else RequestKind.DISCLOSURE,
                "received_on": today,
                "channel": "counter",
                "requester_kind": "self",
            }
        )
    return render(request, "disclosure_requests/receive.html", {"form": form, "today": today})


# --- detail ----------------------------------------------------------------------------------------


def _letters_panel_available() -> bool:
    try:
        loader.get_template(LETTERS_PANEL)
    except TemplateDoesNotExist:
        return False
    return True


def _render_detail(
    request: HttpRequest,
    pr: PrivacyRequest,
    *,
    bound: dict[str, forms.Form] | None = None,
    what: str = "detail",
) -> HttpResponse:
    detail = selectors.request_detail_for(request.user, pr, what=what)
    pr = detail.request
    initial = step_initial(detail.today)
    bound = bound or {}
    step_forms: dict[str, forms.Form] = {
        "amend": AmendmentForm(initial=initial["amend"]),
        "complete": AmendmentCompleteForm(initial=initial["complete"]),
        "extend": ExtensionForm(initial=initial["extend"]),
        "special": SpecialExtensionForm(initial=initial["special"]),
        "consult": ConsultationForm(initial=initial["consult"]),
        "opinion": OpinionForm(initial=initial["opinion"]),
        "decide": DecisionForm(kind=pr.kind, special=pr.special_extension, initial=initial["decide"]),
        "disclose": DisclosureExecutionForm(initial=initial["disclose"]),
        "correct": CorrectionExecutionForm(initial=initial["correct"]),
        "suspend": SuspensionExecutionForm(initial=initial["suspend"]),
        "withdraw": WithdrawForm(initial=initial["withdraw"]),
    }
    step_forms.update(bound)
    context = {
        "privacy_request": pr,
        "deadline": detail.deadline,
        "today": detail.today,
        "days_left": detail.days_left,
        "days_overdue": detail.days_overdue,
        "decisions": detail.decisions,
        "overdue": detail.overdue,
        "is_open": detail.is_open,
        "timeline": detail.timeline,
        "history": detail.history,
        "steps": detail.steps,
        "forms": step_forms,
        "failed": next(iter(bound), ""),
        "special": detail.special,
        "special_notice_due": detail.special_notice_due,
        "special_substantial_due": detail.special_substantial_due,
        "method_choice_due": detail.method_choice_due,
        "earliest_disclosure": detail.earliest_disclosure,
        "execution": detail.execution,
        "correction_execution": detail.correction_execution,
        "missing_items": detail.missing_items,
        "identity_document_label": detail.identity_document_label,
        "letters_panel": LETTERS_PANEL if _letters_panel_available() else "",
    }
    return render(request, "disclosure_requests/detail.html", context)


@role_required(*ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.get_request_for(request.user, pk))


# --- one POST view per step ------------------------------------------------------------------------


def _step(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form: forms.Form,
    call: Callable[[PrivacyRequest, dict[str, Any]], str],
) -> HttpResponse:
    """Run one step: on success redirect to the detail page with the service's message; otherwise show
    the detail page again with this step's form and its errors (nothing was changed)."""
    pr = selectors.get_request_for(request.user, pk)
    if form.is_valid():
        try:
            message = call(pr, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("requests:detail", pk=pr.pk)
    return _render_detail(request, pr, bound={name: form}, what=f"step_{name}")


def _due_message(pr: PrivacyRequest) -> str:
    deadline = services.request_deadline(pr)
    if deadline.paused:
        return _("補正中のため期限は停止しています。")
    text = _("決定期限は%(due_on)sです。") % {"due_on": _date(deadline.due_on)}
    if deadline.falls_on_closed_day and deadline.last_open_day_before is not None:
        text += _("（%(closed_reason)sのため、最終開庁日は%(last_open_day_before)s）") % {
            "closed_reason": deadline.closed_reason,
            "last_open_day_before": _date(deadline.last_open_day_before),
        }
    return text


@role_required(*ROLES)
@require_POST
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        a = services.amendment_request(
            actor=request.user,
            request=pr,
            requested_on=data["requested_on"],
            what_to_fix=data["what_to_fix"] or "",
        )
        return _("補正を求めました（回答期限 %(reply_by)s）。補正が完了するまで期限は停止します。") % {
            "reply_by": _date(a.reply_by)
        }

    return _step(request, pk, name="amend", form=AmendmentForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def amend_complete(request: HttpRequest, pk: int, amendment_pk: int) -> HttpResponse:
    pr = selectors.get_request_for(request.user, pk)
    amendment = selectors.get_amendment_for(request.user, pr, amendment_pk)

    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        services.amendment_complete(
            actor=request.user, amendment=amendment, completed_on=data["completed_on"]
        )
        pr.refresh_from_db()
        return _("補正の完了を記録しました。%(deadline)s") % {"deadline": _due_message(pr)}

    return _step(request, pk, name="complete", form=AmendmentCompleteForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        services.request_extend(
            actor=request.user,
            request=pr,
            days=data["days"],
            reason=data["reason"] or "",
            notified_on=data["notified_on"],
        )
        return _("期限を延長しました。%(deadline)s延長通知書を発行してください。") % {
            "deadline": _due_message(pr)
        }

    return _step(request, pk, name="extend", form=ExtensionForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def extend_special(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        services.request_extend_special(
            actor=request.user,
            request=pr,
            reason=data["reason"] or "",
            notified_on=data["notified_on"],
            remainder_due_on=data["remainder_due_on"],
        )
        return _("期限の特例を適用しました。%(deadline)s特例延長通知書を発行してください。") % {
            "deadline": _due_message(pr)
        }

    return _step(request, pk, name="special", form=SpecialExtensionForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def consult(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        c = services.consultation_send(
            actor=request.user,
            request=pr,
            third_party_name=data["third_party_name"] or "",
            third_party_address=data["third_party_address"] or "",
            information_concerned=data["information_concerned"] or "",
            sent_on=data["sent_on"],
        )
        return _(
            "意見照会を記録しました（意見書の提出期限 %(opinion_due_on)s）。意見照会書を発行してください。"
        ) % {"opinion_due_on": _date(c.opinion_due_on)}

    return _step(request, pk, name="consult", form=ConsultationForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def opinion(request: HttpRequest, pk: int, consultation_pk: int) -> HttpResponse:
    pr = selectors.get_request_for(request.user, pk)
    consultation = selectors.get_consultation_for(request.user, pr, consultation_pk)

    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        c = services.consultation_record_opinion(
            actor=request.user,
            consultation=consultation,
            received_on=data["received_on"],
            objected=bool(data["objected"]),
        )
        if c.objected:
            article = c.request.profile.cite("third_party_wait", short=True)
            return _(
                "意見書（開示に反対）を記録しました。開示決定をするときは、決定の日と実施の日との間に"
                "少なくとも2週間を置き、決定後直ちに第三者へ通知してください。"
            ) + (f"（{article}）" if article else "")
        return _("意見書を記録しました。")

    return _step(request, pk, name="opinion", form=OpinionForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    pr = selectors.get_request_for(request.user, pk)

    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        before = services.request_deadline(pr)
        d = services.request_decide(actor=request.user, request=pr, **form.service_kwargs())
        text = _("決定（%(outcome)s）を記録しました。決定通知書を発行してください。") % {
            "outcome": d.get_outcome_display()
        }
        if not before.paused and d.decided_on > before.due_on:
            text += _(" 決定期限（%(due_on)s）を過ぎた決定として記録されています。") % {
                "due_on": _date(before.due_on)
            }
        return text

    form = DecisionForm(request.POST, kind=pr.kind, special=pr.special_extension)
    return _step(request, pk, name="decide", form=form, call=call)


@role_required(*ROLES)
@require_POST
def disclose(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        services.disclosure_carry_out(
            actor=request.user,
            request=pr,
            method=data["method"] or "",
            method_requested_on=data["method_requested_on"],
            carried_out_on=data["carried_out_on"],
            fee_yen=data["fee_yen"],
            fee_basis=data["fee_basis"] or "",
        )
        return _("開示の実施を記録しました。この請求は完了です。")

    return _step(request, pk, name="disclose", form=DisclosureExecutionForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        services.correction_carry_out(
            actor=request.user,
            request=pr,
            corrected_on=data["corrected_on"],
            what_was_corrected=data["what_was_corrected"] or "",
            recipients=data["recipients"] or "",
            recipients_notified_on=data["recipients_notified_on"],
        )
        return _("訂正の実施を記録しました。この請求は完了です。")

    return _step(request, pk, name="correct", form=CorrectionExecutionForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        services.suspension_carry_out(
            actor=request.user,
            request=pr,
            carried_out_on=data["carried_out_on"],
        )
        return _("利用停止の実施を記録しました。この請求は完了です。")

    return _step(request, pk, name="suspend", form=SuspensionExecutionForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        services.request_withdraw(actor=request.user, request=pr, on=data["on"])
        return _("取下げを記録しました。")

    return _step(request, pk, name="withdraw", form=WithdrawForm(request.POST), call=call)
