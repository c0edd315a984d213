"""Oversight pages (mounted at /outsourcing/oversight/): 委託の監督.

Library side (privacy officers, administrators): the overview of every contract, one contract's
trainings / reports / audits / reviews, and the forms that record them. Operator side
(``Role.CONTRACTOR``): their own contract's business reports and the submission form — another
contract's pages answer 404 and the attempt is logged (``oversight_selectors``).

Thin: forms parse, ``oversight`` services validate, write and audit; a refusal is shown on the form and
changes nothing. Paths carry internal ids only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy_admin.audit.permissions import role_required
from privacy_admin.core.calendar import fiscal_year_label, fiscal_year_of
from privacy_admin.core.errors import add_service_errors as _add_errors
from privacy_admin.core.roles import Role

from . import oversight
from . import oversight_selectors as sel
from .models import BusinessReport, Clause, Contract, ContractReview, CorrectiveAction, OnSiteAudit
from .oversight_forms import (
    CHECK_LABELS,
    ActionDoneForm,
    ActionForm,
    AuditForm,
    ContractReviewForm,
    MonthForm,
    ReportForm,
    ReviewCommentForm,
    TrainingForm,
)

ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
OPERATOR = (Role.CONTRACTOR,)
T = "outsourcing/oversight/"


def _contract(request: HttpRequest, pk: int) -> Contract:
    return sel.library_contract_for(request.user, pk)


# --- library side ---------------------------------------------------------------------------------------


@role_required(*ROLES)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """委託の監督: every contract with its review date, last audit, trainings, reports and actions."""
    on = oversight.today()
    rows = sel.overview_rows(on=on)
    return render(
        request,
        T + "overview.html",
        {
            "rows": rows,
            "on": on,
            "fiscal_year_label": fiscal_year_label(fiscal_year_of(on)),
            "warning_days": sel.REVIEW_WARNING_DAYS,
            "overdue_reviews": sum(1 for r in rows if r.review_state == "overdue"),
            "overdue_actions": sum(r.overdue_actions for r in rows),
            "unreviewed": sum(r.unreviewed_reports for r in rows),
        },
    )


@role_required(*ROLES)
@require_GET
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    """One contract's oversight: handlers and their training, reports, audits and reviews."""
    found = _contract(request, pk)
    on = oversight.today()
    sessions = sel.trainings_of(found)
    handlers = sel.handlers_with_training(found)
    return render(
        request,
        T + "contract.html",
        {
            "contract": found,
            "on": on,
            "review_state": sel.review_state(found, on=on),
            "handlers": handlers,
            "untrained": sum(1 for h in handlers if not h.trained),
            "sessions": sessions,
            "year_counts": sel.training_counts_by_year(sessions),
            "unreviewed": sel.unreviewed_count(found),
            "missing_days": sel.missing_daily_reports(found, month_start=on, on=on),
            "missing_months": sel.missing_monthly_reports(found, on=on),
            "audits": sel.audits_of(found, on=on),
            "reviews": sel.reviews_of(found),
        },
    )


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest, pk: int) -> HttpResponse:
    found = _contract(request, pk)
    if request.method == "POST":
        form = TrainingForm(request.POST, contract=found)
        if form.is_valid():
            data = form.cleaned_data
            try:
                oversight.training_record(
                    actor=request.user,
                    contract=found,
                    held_on=data["held_on"],
                    provider=data["provider"],
                    material=data["material"],
                    attendees=data["attendees"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("研修を記録しました（受講者%(value)s人）。") % {"value": len(data["attendees"])},
                )
                return redirect("oversight:contract", pk=found.pk)
        status = 400
    else:
        form = TrainingForm(contract=found, initial={"held_on": oversight.today()})
        status = 200
    return render(request, T + "training_form.html", {"contract": found, "form": form}, status=status)


def _report_list_context(request: HttpRequest, found: Contract) -> dict[str, Any]:
    on = oversight.today()
    month_form = MonthForm(request.GET or None)
    month_start = month_form.month_start(on)
    return {
        "contract": found,
        "month_form": month_form,
        "month_start": month_start,
        "reports": list(sel.reports_of(found, month_start=month_start)),
        "unreviewed": sel.unreviewed_count(found),
        "missing_days": sel.missing_daily_reports(found, month_start=month_start, on=on),
        "missing_months": sel.missing_monthly_reports(found, on=on),
        "weekdays_rule": _("月曜日から土曜日"),
    }


@role_required(*ROLES)
@require_GET
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, T + "reports.html", _report_list_context(request, _contract(request, pk)))


def _report(pk: int) -> BusinessReport:
    return get_object_or_404(
        BusinessReport.objects.select_related("contract", "submitted_by", "reviewed_by"), pk=pk
    )


def _report_detail(
    request: HttpRequest, report: BusinessReport, form: ReviewCommentForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        T + "report_detail.html",
        {
            "report": report,
            "contract": report.contract,
            "period": sel.period_label(report),
            "form": form or ReviewCommentForm(),
        },
        status=status,
    )


@role_required(*ROLES)
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_detail(request, _report(pk))


@role_required(*ROLES)
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(pk)
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        try:
            oversight.report_review(actor=request.user, report=report, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("%(kind)sを確認済みにしました。") % {"kind": report.get_kind_display()}
            )
            return redirect("oversight:reports", pk=report.contract_id)
    return _report_detail(request, report, form, status=400)


def _audit_form_context(found: Contract, form: AuditForm) -> dict[str, Any]:
    return {"contract": found, "form": form, "check_labels": CHECK_LABELS}


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def audit_create(request: HttpRequest, pk: int) -> HttpResponse:
    found = _contract(request, pk)
    if request.method == "POST":
        form = AuditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                audit = oversight.onsite_audit_record(
                    actor=request.user,
                    contract=found,
                    audited_on=data["audited_on"],
                    auditor=data["auditor"],
                    checklist=form.checklist(),
                    findings=data["findings"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                ng = sum(1 for v in audit.checklist.values() if v == "ng")
                text = _("実地監査を記録しました。")
                if ng:
                    text += _("不適合が%(ng)s項目あります。是正措置を期限付きで登録してください。") % {
                        "ng": ng
                    }
                messages.success(request, text)
                return redirect("oversight:audit", pk=audit.pk)
        status = 400
    else:
        initial: dict[str, Any] = {"audited_on": oversight.today()}
        form = AuditForm(initial=initial)
        status = 200
    return render(request, T + "audit_form.html", _audit_form_context(found, form), status=status)


def _audit(request: HttpRequest, pk: int) -> OnSiteAudit:
    return sel.library_audit_for(request.user, pk)


def _audit_detail(
    request: HttpRequest,
    audit: OnSiteAudit,
    *,
    action_form: ActionForm | None = None,
    done_form: ActionDoneForm | None = None,
    done_action_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    on = oversight.today()
    actions = list(audit.actions.order_by("due_on", "pk"))
    checklist = [
        (
            n,
            c.label,
            audit.checklist.get(c.value, ""),
            CHECK_LABELS.get(audit.checklist.get(c.value, ""), "—"),
        )
        for n, c in enumerate(Clause, start=1)
    ]
    return render(
        request,
        T + "audit_detail.html",
        {
            "audit": audit,
            "contract": audit.contract,
            "checklist": checklist,
            "ng": sum(1 for _n, _l, v, _t in checklist if v == "ng"),
            "actions": [(a, sel.action_overdue(a, on=on)) for a in actions],
            "action_form": action_form or ActionForm(),
            "done_form": done_form or ActionDoneForm(initial={"done_on": on}),
            "done_action_id": done_action_id,
        },
        status=status,
    )


@role_required(*ROLES)
@require_GET
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _audit_detail(request, _audit(request, pk))


@role_required(*ROLES)
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            oversight.corrective_action_add(
                actor=request.user,
                audit=audit,
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("是正措置を登録しました。"))
            return redirect("oversight:audit", pk=audit.pk)
    return _audit_detail(request, audit, action_form=form, status=400)


@role_required(*ROLES)
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(CorrectiveAction.objects.select_related("audit"), pk=pk)
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        try:
            oversight.corrective_action_complete(
                actor=request.user, action=action, done_on=form.cleaned_data["done_on"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("是正措置を完了にしました。"))
            return redirect("oversight:audit", pk=action.audit_id)
    return _audit_detail(
        request, _audit(request, action.audit_id), done_form=form, done_action_id=action.pk, status=400
    )


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    found = _contract(request, pk)
    if request.method == "POST":
        form = ContractReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                oversight.contract_review_record(
                    actor=request.user,
                    contract=found,
                    reviewed_on=data["reviewed_on"],
                    outcome=data["outcome"],
                    note=data["note"],
                    next_review_on=data["next_review_on"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                text = _("見直しを記録しました。次回見直し期限を更新しました。")
                if data["outcome"] == ContractReview.Outcome.END:
                    text += _("契約の終了手続（資料の返還・消去の確認）は契約の画面で行ってください。")
                messages.success(request, text)
                return redirect("oversight:contract", pk=found.pk)
        status = 400
    else:
        on = oversight.today()
        form = ContractReviewForm(
            initial={
                "reviewed_on": on,
                "outcome": ContractReview.Outcome.CONTINUE,
                "next_review_on": on + dt.timedelta(days=365),  # a yearly review by default
            }
        )
        status = 200
    context = {"contract": found, "form": form, "reviews": sel.reviews_of(found)}
    return render(request, T + "review_form.html", context, status=status)


# --- operator side (Role.CONTRACTOR): their own contract's reports only --------------------------------


@role_required(*OPERATOR)
@require_GET
@never_cache
def my_reports(request: HttpRequest) -> HttpResponse:
    """The operator's entry point: their contract's report page."""
    found = sel.operator_home_contract(request.user)
    return redirect("oversight:operator_reports", pk=found.pk)


@role_required(*OPERATOR)
@require_GET
@never_cache
def operator_reports(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.operator_contract_for(request.user, pk)
    return render(request, T + "operator_reports.html", _report_list_context(request, found))


@role_required(*OPERATOR)
@require_http_methods(["GET", "POST"])
@never_cache
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.operator_contract_for(request.user, pk)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = oversight.report_submit(
                    actor=request.user,
                    contract=found,
                    kind=data["kind"],
                    period_start=data["period_start"],
                    body=data["body"],
                    incidents_noted=data["incidents_noted"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("%(kind)sを提出しました。") % {"kind": report.get_kind_display()})
                return redirect("oversight:operator_reports", pk=found.pk)
        status = 400
    else:
        form = ReportForm(initial={"kind": BusinessReport.Kind.DAILY, "period_start": oversight.today()})
        status = 200
    return render(request, T + "report_form.html", {"contract": found, "form": form}, status=status)


@role_required(*OPERATOR)
@require_GET
@never_cache
def operator_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = sel.operator_report_for(request.user, pk)
    context = {"report": report, "contract": report.contract, "period": sel.period_label(report)}
    return render(request, T + "operator_report.html", context)
