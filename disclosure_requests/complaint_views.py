"""苦情 pages (山梨県 要綱 第45条): list, receive, and the detail page with assign / answer / close.

Thin: forms parse, ``complaints`` services validate, write and audit. Privacy officers and
administrators only (403 for anyone else, written to the access log). The list shows no complainant's
name; opening a complaint, which shows it, is audited ("complaint.view").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy_admin.audit.permissions import role_required
from privacy_admin.core import forms as core_forms
from privacy_admin.core.actor import Actor
from privacy_admin.core.calendar import fiscal_year_bounds, fiscal_year_label
from privacy_admin.core.errors import add_service_errors as _add_errors
from privacy_admin.core.roles import Role

from . import complaints, selectors
from .models import Complaint, ComplaintChannel, PrivacyRequest

ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
PER_PAGE = 50
COUNT_YEARS = 5  # fiscal years shown in the counts table


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReceiveForm(core_forms.Form):
    received_on = core_forms.BoundedDateField(label=gettext_lazy("受付日"), widget=_date_input())
    channel = forms.ChoiceField(
        label=gettext_lazy("受付方法"), choices=ComplaintChannel.choices, initial=ComplaintChannel.COUNTER
    )
    complainant_name = forms.CharField(
        label=gettext_lazy("申出者氏名"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("匿名の申出は空欄のままにします。"),
    )
    contact = forms.CharField(
        label=gettext_lazy("連絡先"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("回答の送り先（電話番号・住所・メールなど）"),
    )
    summary = forms.CharField(
        label=gettext_lazy("苦情の内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
    related_request_number = forms.CharField(
        label=gettext_lazy("関連する請求の受付番号"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("開示等請求に関する苦情であれば、その受付番号（例: R8-開示-0001）"),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_related_request_number(self) -> PrivacyRequest | None:
        number = self.cleaned_data["related_request_number"].strip()
        if not number:
            return None
        found = selectors.request_by_number_for(self.actor, number)
        if found is None:
            raise ValidationError(_("この受付番号の請求はありません。"))
        return found


def _username(user: Any) -> str:
    return str(user.get_username())


class AssignForm(core_forms.Form):
    assignee = forms.ModelChoiceField(label=gettext_lazy("担当者"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officers = [u.pk for u in complaints.privacy_officers()]
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = get_user_model().objects.filter(pk__in=officers).order_by("username")
        field.label_from_instance = _username  # type: ignore[method-assign,assignment]


class AnswerForm(core_forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("回答"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    answered_on = core_forms.BoundedDateField(label=gettext_lazy("回答日"), widget=_date_input())


class CloseForm(core_forms.Form):
    closed_on = core_forms.BoundedDateField(label=gettext_lazy("完了日"), widget=_date_input())


# --- list ------------------------------------------------------------------------------------------


@role_required(*ROLES)
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Complaint.Status.values:
        status = ""
    years = complaints.complaint_fiscal_years()
    try:
        fiscal_year = int(request.GET.get("fy", ""))
    except ValueError:
        fiscal_year = None
    if fiscal_year is not None and fiscal_year not in years:
        fiscal_year = None

    qs = selectors.complaints_listed(
        request.user,
        status=status,
        fiscal_year_range=fiscal_year_bounds(fiscal_year) if fiscal_year is not None else None,
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    counts = [complaints.complaints_count_by_fiscal_year(year) for year in years[:COUNT_YEARS]]
    return render(
        request,
        "disclosure_requests/complaints/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Complaint.Status.choices,
            "fiscal_year": fiscal_year,
            "fiscal_years": [(y, fiscal_year_label(y)) for y in years],
            "counts": counts,
            "channels": ComplaintChannel.choices,
            "open_count": selectors.complaints_open_count(request.user),
        },
    )


# --- receive ---------------------------------------------------------------------------------------


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def complaint_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReceiveForm(request.POST, actor=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = complaints.complaint_receive(
                    actor=request.user,
                    received_on=data["received_on"],
                    channel=data["channel"],
                    complainant_name=data["complainant_name"],
                    contact=data["contact"],
                    summary=data["summary"],
                    related_request=data["related_request_number"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("苦情を受け付けました（受付番号 %(number)s）。") % {"number": complaint.number}
                )
                return redirect("complaints:detail", pk=complaint.pk)
        status = 400
    else:
        form = ReceiveForm(initial={"received_on": complaints.today()}, actor=request.user)
        status = 200
    return render(request, "disclosure_requests/complaints/create.html", {"form": form}, status=status)


# --- detail and its forms --------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    complaint: Complaint,
    *,
    assign_form: AssignForm | None = None,
    answer_form: AnswerForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = complaints.today()
    history = list(
        complaint.history.select_related("history_user", "assigned_to").order_by(
            "-history_date", "-history_id"
        )
    )
    return render(
        request,
        "disclosure_requests/complaints/detail.html",
        {
            "complaint": complaint,
            "assign_form": assign_form
            or AssignForm(
                initial={"assignee": complaint.assigned_to_id} if complaint.assigned_to_id else None
            ),
            "answer_form": answer_form
            or AnswerForm(
                initial={"answer": complaint.answer, "answered_on": complaint.answered_on or today}
            ),
            "close_form": close_form or CloseForm(initial={"closed_on": today}),
            "history": history,
            "status_labels": dict(Complaint.Status.choices),
            "is_closed": complaint.status == Complaint.Status.CLOSED,
        },
        status=status,
    )


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    return selectors.get_complaint_for(request.user, pk)


@role_required(*ROLES)
@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    complaints.complaint_record_view(actor=request.user, complaint=complaint)
    return _detail(request, complaint)


@role_required(*ROLES)
@require_POST
def complaint_assign(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            complaints.complaint_assign(
                actor=request.user, complaint=complaint, assignee=form.cleaned_data["assignee"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("担当者を指定しました。"))
            return redirect("complaints:detail", pk=complaint.pk)
    return _detail(request, complaint, assign_form=form, status=400)


@role_required(*ROLES)
@require_POST
def complaint_answer(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            complaints.complaint_answer(
                actor=request.user,
                complaint=complaint,
                answer=form.cleaned_data["answer"],
                answered_on=form.cleaned_data["answered_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("回答を記録しました。"))
            return redirect("complaints:detail", pk=complaint.pk)
    return _detail(request, complaint, answer_form=form, status=400)


@role_required(*ROLES)
@require_POST
def complaint_close(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        closed_on: dt.date = form.cleaned_data["closed_on"]
        try:
            complaints.complaint_close(actor=request.user, complaint=complaint, closed_on=closed_on)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("苦情を完了にしました。"))
            return redirect("complaints:detail", pk=complaint.pk)
    return _detail(request, complaint, close_form=form, status=400)
