"""Request pages (domain.md §7; 要綱 第17–42条). Thin: forms parse, services write, selectors decide
what the actor may reach.

Only privacy officers and administrators use them (domain §1); everyone else is refused with 403 and
the refusal logged. Pages are addressed by the request's id only — a requester's name never goes into a
URL — and every look at a request's detail is written to the access log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist, loader
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy_admin.accounts.permissions import role_required
from privacy_admin.registry import incident_selectors
from privacy_admin.wareki import format_date as _date

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
from .models import (
    CorrectionExecution,
    DisclosureExecution,
    Extension,
    Outcome,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    WithholdingReason,
)
from .profiles import library_calendar

ROLES = selectors.READ_ROLES
PER_PAGE = 50
LETTERS_PANEL = "disclosure_requests/letters/_panel.html"

# What each history change reason means on screen (services._save).
CHANGE_LABELS = {
    "receive": "受付",
    "amendment_request": "補正の依頼",
    "amendment_complete": "補正の完了",
    "extend": "期限の延長",
    "extend_special": "期限の特例延長",
    "consultation_send": "第三者への意見照会",
    "consultation_opinion": "第三者の意見書の受領",
    "decide": "決定",
    "disclosure_carry_out": "開示の実施",
    "correction_carry_out": "訂正の実施",
    services.CHANGE_SUSPENSION_DONE: "利用停止の実施",
    services.CHANGE_WITHDRAWN: "取下げ",
}


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
    # Open incidents and their next deadline (要綱 第48条; 法第68条): registry.incident_selectors.
    incident_rows = incident_selectors.dashboard_panel(request.user, on=today)
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
                    form.add_error("based_on_number", "この受付番号の開示請求は見つかりません。")
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
                        f"受け付けました。受付番号は {created.number}、決定期限は{_date(deadline.due_on)}です。",
                    )
                    if deadline.falls_on_closed_day and deadline.last_open_day_before is not None:
                        messages.warning(
                            request,
                            f"決定期限の{_date(deadline.due_on)}は{deadline.closed_reason}です。"
                            f"最終開庁日は{_date(deadline.last_open_day_before)}です。",
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


@dataclass
class Event:
    day: dt.date
    title: str
    lines: list[str] = field(default_factory=list)
    tone: str = ""  # "", "warn", "done", "stop"


def _timeline(pr: PrivacyRequest, history: list[Any]) -> list[Event]:
    events = [
        Event(
            pr.received_on,
            f"{pr.get_kind_display()}の受付",
            [f"受付方法: {pr.get_channel_display()}", f"期限ルール: {pr.profile.name}"],
        )
    ]
    for a in pr.amendments.all():
        events.append(
            Event(
                a.requested_on,
                "補正の依頼（期限停止）",
                [f"回答期限: {_date(a.reply_by)}"],
                "stop",
            )
        )
        if a.completed_on is not None:
            days = (a.completed_on - a.requested_on).days
            events.append(Event(a.completed_on, "補正の完了", [f"期間に算入しない日数: {days}日"], "done"))
    for e in pr.extensions.all():
        if e.kind == Extension.Kind.NORMAL:
            events.append(Event(e.notified_on, f"期限の延長（{e.days}日）を通知", [], "warn"))
        else:
            lines = [f"残りの部分の決定期限: {_date(e.remainder_due_on)}"] if e.remainder_due_on else []
            events.append(Event(e.notified_on, "期限の特例延長を通知", lines, "warn"))
    for c in pr.consultations.all():
        events.append(
            Event(c.sent_on, "第三者への意見照会", [f"意見書の提出期限: {_date(c.opinion_due_on)}"])
        )
        if c.opinion_received_on is not None:
            opinion = "開示に反対" if c.objected else "開示に反対しない"
            events.append(
                Event(c.opinion_received_on, f"意見書の受領（{opinion}）", [], "warn" if c.objected else "")
            )
    for d in pr.decisions.all():
        title = f"決定: {d.get_outcome_display()}"
        if d.is_partial_scope:
            title += "（相当の部分）"
        lines = [str(WithholdingReason(r).label) for r in d.reasons if r in WithholdingReason.values]
        if d.reason_lapses_on:
            lines.append(f"理由がなくなる時期: {_date(d.reason_lapses_on)}")
        events.append(Event(d.decided_on, title, lines, "done"))
    execution = DisclosureExecution.objects.filter(request=pr).first()
    if execution is not None:
        events.append(
            Event(
                execution.carried_out_on,
                f"開示の実施（{execution.get_method_display()}）",
                [f"費用: {execution.fee_yen:,}円"],
                "done",
            )
        )
    correction = CorrectionExecution.objects.filter(request=pr).first()
    if correction is not None:
        lines = []
        if correction.recipients_notified_on:
            lines.append(f"提供先への通知: {_date(correction.recipients_notified_on)}")
        events.append(Event(correction.corrected_on, "訂正の実施", lines, "done"))
    for h in history:
        reason = h.history_change_reason or ""
        code, _sep, iso = reason.partition(":")
        if code in (services.CHANGE_SUSPENSION_DONE, services.CHANGE_WITHDRAWN) and iso:
            try:
                day = dt.date.fromisoformat(iso)
            except ValueError:
                continue
            events.append(Event(day, CHANGE_LABELS[code], [], "done"))
    order = {"": 1}
    events.sort(key=lambda e: (e.day, order.get(e.tone, 1)))
    return events


def _field_label(name: str) -> str:
    return str(getattr(PrivacyRequest._meta.get_field(name), "verbose_name", name))


def _history(pr: PrivacyRequest) -> list[dict[str, Any]]:
    """The request's own versions (django-simple-history): when, who, what step, which fields changed.

    Field names only, not values: the values are on the page already, and the list stays readable."""
    records = list(pr.history.select_related("history_user").order_by("history_date", "history_id"))
    rows = []
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changed = [_field_label(c.field) for c in delta.changes]
        reason = record.history_change_reason or ""
        code, _sep, iso = reason.partition(":")
        label = CHANGE_LABELS.get(code, "変更" if record.history_type == "~" else "作成")
        if iso:
            with contextlib.suppress(ValueError):
                label += f"（{_date(dt.date.fromisoformat(iso))}）"
        rows.append(
            {
                "at": record.history_date,
                "user": record.history_user.get_username() if record.history_user else "システム",
                "label": label,
                "changed": changed,
            }
        )
        previous = record
    rows.reverse()
    return rows


def _letters_panel_available() -> bool:
    try:
        loader.get_template(LETTERS_PANEL)
    except TemplateDoesNotExist:
        return False
    return True


@dataclass
class Steps:
    """Which next steps the detail page offers, given where the request stands."""

    amend: bool = False
    complete: list[Any] = field(default_factory=list)
    extend: bool = False
    extension_days_left: int = 0
    special: bool = False
    consult: bool = False
    opinion: list[Any] = field(default_factory=list)
    decide: bool = False
    disclose: bool = False
    correct: bool = False
    suspend: bool = False
    withdraw: bool = False

    @property
    def any(self) -> bool:
        return any(
            (
                self.amend,
                self.complete,
                self.extend,
                self.special,
                self.consult,
                self.opinion,
                self.decide,
                self.disclose,
                self.correct,
                self.suspend,
                self.withdraw,
            )
        )


def _steps(pr: PrivacyRequest) -> Steps:
    steps = Steps()
    open_amendments = [a for a in pr.amendments.all() if a.completed_on is None]
    steps.opinion = [
        c
        for c in pr.consultations.all()
        if c.opinion_received_on is None and pr.status not in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN)
    ]
    if pr.status in services.OPEN_STATUSES:
        used = sum(e.days for e in pr.extensions.all() if e.kind == Extension.Kind.NORMAL)
        steps.extension_days_left = max(0, services.extension_max_days(pr.profile, pr.kind) - used)
        steps.amend = not open_amendments
        steps.complete = open_amendments
        steps.extend = not pr.special_extension and steps.extension_days_left > 0
        steps.special = not pr.special_extension
        steps.consult = pr.kind == RequestKind.DISCLOSURE
        steps.decide = True
        steps.withdraw = True
    elif pr.status == RequestStatus.DECIDED:
        decisions = list(pr.decisions.all())
        last = decisions[-1] if decisions else None
        outcomes = {d.outcome for d in decisions}
        if pr.kind == RequestKind.DISCLOSURE:
            steps.disclose = bool(outcomes & services.DISCLOSING_OUTCOMES) and not _executed(pr)
        elif pr.kind == RequestKind.CORRECTION:
            steps.correct = last is not None and last.outcome == Outcome.CORRECT
        else:
            steps.suspend = last is not None and last.outcome == Outcome.SUSPEND
    return steps


def _executed(pr: PrivacyRequest) -> bool:
    return DisclosureExecution.objects.filter(request=pr).exists()


def _missing_items(pr: PrivacyRequest) -> list[str]:
    """Items the written request should state (第18条, 第31条, 第38条) but that were left blank: a formal
    defect to be fixed by 補正, not a reason to refuse the request."""
    missing = []
    if not pr.requester_address:
        missing.append("請求者の住所又は居所（要綱 第18条第1項第1号）")
    if pr.kind != RequestKind.DISCLOSURE and not pr.reason_for_request:
        article = "第31条第1項第3号" if pr.kind == RequestKind.CORRECTION else "第38条第1項第3号"
        missing.append(f"請求の理由（要綱 {article}）")
    return missing


def _render_detail(
    request: HttpRequest,
    pr: PrivacyRequest,
    *,
    bound: dict[str, forms.Form] | None = None,
    what: str = "detail",
) -> HttpResponse:
    pr = selectors.request_with_steps(pr)
    services.request_record_view(actor=request.user, request=pr, what=what)
    today = services.today()
    calendar = library_calendar()
    deadline = services.request_deadline(pr, today, calendar=calendar)
    initial = step_initial(today)
    bound = bound or {}
    special = services.special_extension_of(pr) if pr.special_extension else None
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
    history = list(pr.history.order_by("history_date"))
    decisions = list(pr.decisions.all())
    for d in decisions:
        d.reason_labels = [  # type: ignore[attr-defined]
            str(WithholdingReason(r).label) for r in d.reasons if r in WithholdingReason.values
        ]
    notice_due = special_due = None
    if pr.status in services.OPEN_STATUSES:
        notice, substantial = services.special_deadlines(pr, today=today, calendar=calendar)
        notice_due, special_due = notice, substantial
    context = {
        "privacy_request": pr,
        "deadline": deadline,
        "today": today,
        "days_left": deadline.days_left(today),
        "days_overdue": max(0, -deadline.days_left(today)),
        "decisions": decisions,
        "overdue": pr.status in services.OPEN_STATUSES and deadline.is_overdue(today),
        "is_open": pr.status in services.OPEN_STATUSES,
        "timeline": _timeline(pr, history),
        "history": _history(pr),
        "steps": _steps(pr),
        "forms": step_forms,
        "failed": next(iter(bound), ""),
        "special": special,
        "special_notice_due": notice_due,
        "special_substantial_due": special_due,
        "method_choice_due": services.method_choice_deadline(pr, calendar=calendar),
        "earliest_disclosure": services.earliest_disclosure_on(pr),
        "execution": DisclosureExecution.objects.filter(request=pr).first(),
        "correction_execution": CorrectionExecution.objects.filter(request=pr).first(),
        "missing_items": _missing_items(pr) if pr.status in services.OPEN_STATUSES else [],
        "identity_document_label": dict(services.request_identity_documents()).get(
            pr.identity_document_type, pr.identity_document_type
        ),
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
        return "補正中のため期限は停止しています。"
    text = f"決定期限は{_date(deadline.due_on)}です。"
    if deadline.falls_on_closed_day and deadline.last_open_day_before is not None:
        text += f"（{deadline.closed_reason}のため、最終開庁日は{_date(deadline.last_open_day_before)}）"
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
        return f"補正を求めました（回答期限 {_date(a.reply_by)}）。補正が完了するまで期限は停止します。"

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
        return f"補正の完了を記録しました。{_due_message(pr)}"

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
        return f"期限を延長しました。{_due_message(pr)}延長通知書を発行してください。"

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
        return f"期限の特例を適用しました。{_due_message(pr)}特例延長通知書を発行してください。"

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
        return f"意見照会を記録しました（意見書の提出期限 {_date(c.opinion_due_on)}）。意見照会書を発行してください。"

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
            return (
                "意見書（開示に反対）を記録しました。開示決定をするときは、決定の日と実施の日との間に"
                "少なくとも2週間を置き、決定後直ちに第三者へ通知してください（要綱 第26条第3項）。"
            )
        return "意見書を記録しました。"

    return _step(request, pk, name="opinion", form=OpinionForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    pr = selectors.get_request_for(request.user, pk)

    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        before = services.request_deadline(pr)
        d = services.request_decide(actor=request.user, request=pr, **form.service_kwargs())
        text = f"決定（{d.get_outcome_display()}）を記録しました。決定通知書を発行してください。"
        if not before.paused and d.decided_on > before.due_on:
            text += f" 決定期限（{_date(before.due_on)}）を過ぎた決定として記録されています。"
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
        return "開示の実施を記録しました。この請求は完了です。"

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
        return "訂正の実施を記録しました。この請求は完了です。"

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
        return "利用停止の実施を記録しました。この請求は完了です。"

    return _step(request, pk, name="suspend", form=SuspensionExecutionForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def call(pr: PrivacyRequest, data: dict[str, Any]) -> str:
        services.request_withdraw(actor=request.user, request=pr, on=data["on"])
        return "取下げを記録しました。"

    return _step(request, pk, name="withdraw", form=WithdrawForm(request.POST), call=call)
