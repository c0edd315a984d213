"""Access review pages (mounted at /outsourcing/access-review/): 操作状況の点検, privacy officers only.

What an operator did is personal data about the operator: every page is audited
(``access_review.view``), the PDF too (``access_review.download``), and nothing is cached by the
browser. Operators are named by internal id in paths; the period travels as dates only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_stubs_ext import StrOrPromise

from privacy_admin.audit.permissions import role_required
from privacy_admin.core import forms as core_forms
from privacy_admin.core.errors import add_service_errors
from privacy_admin.core.pdf import render_pdf
from privacy_admin.core.roles import Role

from . import access_review as review
from . import oversight

ROLES = (Role.PRIVACY_OFFICER,)  # domain §1: the 管理責任者 reviews access logs
T = "outsourcing/access_review/"
_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]


def _date(label: StrOrPromise) -> forms.DateField:
    return core_forms.BoundedDateField(
        label=label,
        input_formats=_DATE_FORMATS,
        error_messages={
            "required": format_lazy(gettext_lazy("{label}を入力してください。"), label=label),
            "invalid": format_lazy(
                gettext_lazy("{label}を正しい日付で入力してください（例: 2026-04-01）。"), label=label
            ),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PeriodForm(core_forms.Form):
    date_from = _date(gettext_lazy("開始日"))
    date_to = _date(gettext_lazy("終了日"))
    all_staff = forms.BooleanField(label=gettext_lazy("図書館職員も含める"), required=False)
    operator = forms.IntegerField(
        required=False, min_value=1, max_value=core_forms.DB_BIGINT_MAX, widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to"):
            try:
                data["period"] = review.parse_period(data["date_from"], data["date_to"])
            except forms.ValidationError as exc:
                add_service_errors(self, exc)
        return data


def _form(request: HttpRequest, data: Any) -> tuple[PeriodForm, review.Period | None]:
    """The period asked for, or the default (last month to today) when nothing was asked."""
    if not any(k in data for k in ("date_from", "date_to")):
        period = review.default_period(timezone.localdate())
        form = PeriodForm(
            initial={"date_from": period.date_from, "date_to": period.date_to, "all_staff": False}
        )
        return form, period
    form = PeriodForm(data)
    if form.is_valid() and "period" in form.cleaned_data:
        return form, form.cleaned_data["period"]
    return form, None


def _presets() -> list[tuple[str, review.Period]]:
    on = timezone.localdate()
    this_month = on.replace(day=1)
    last_month_end = this_month - dt.timedelta(days=1)
    return [
        (_("先月"), review.Period(last_month_end.replace(day=1), last_month_end)),
        (_("今月"), review.Period(this_month, on)),
    ]


def _context(form: PeriodForm, period: review.Period | None, **extra: Any) -> dict[str, Any]:
    return {
        "presets": _presets(),
        "form": form,
        "period": period,
        "opening_hours": review.opening_hours(),
        "view_ratio": review.VIEW_RATIO,
        "view_allowance": review.VIEW_ALLOWANCE,
        "refused_limit": review.REFUSED_LIMIT,
        "event_limit": review.EVENT_LIST_LIMIT,
        **extra,
    }


def _all_staff(form: PeriodForm, data: Any) -> bool:
    if form.is_bound and form.is_valid():
        return bool(form.cleaned_data.get("all_staff"))
    return data.get("all_staff") in ("on", "true", "1")


@role_required(*ROLES)
@require_GET
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    """Every operator in the period, anomalies first."""
    form, period = _form(request, request.GET)
    if period is None:
        return render(request, T + "index.html", _context(form, None), status=400)
    all_staff = _all_staff(form, request.GET)
    operators = review.reviewable_operators(all_staff=all_staff)
    summaries = review.summarize(operators, period)
    summaries.sort(key=lambda s: (not s.flagged, -s.events, s.operator.username))
    oversight.access_review_record_view(
        actor=request.user,
        operator_id=None,
        date_from=period.date_from,
        date_to=period.date_to,
        operators=len(operators),
    )
    return render(
        request,
        T + "index.html",
        _context(
            form,
            period,
            summaries=summaries,
            flagged=sum(1 for s in summaries if s.flagged),
            all_staff=all_staff,
        ),
    )


def _operator(pk: int) -> review.Operator:
    found = review.reviewable_operators(all_staff=True, only=pk)
    if not found:
        raise Http404("操作員が見つかりません。")
    return found[0]


@role_required(*ROLES)
@require_GET
@never_cache
def operator(request: HttpRequest, pk: int) -> HttpResponse:
    """One operator in the period: figures, anomalies, actions by type, the daily chart, refusals."""
    found = _operator(pk)
    form, period = _form(request, request.GET)
    if period is None:
        return render(request, T + "operator.html", _context(form, None, operator=found), status=400)
    detail = review.details_for([found], period)[0]
    oversight.access_review_record_view(
        actor=request.user,
        operator_id=found.id,
        date_from=period.date_from,
        date_to=period.date_to,
        operators=1,
    )
    return render(request, T + "operator.html", _context(form, period, operator=found, detail=detail))


@role_required(*ROLES)
@require_POST
@never_cache
def pdf(request: HttpRequest) -> HttpResponse:
    """The monthly review as a PDF (和暦, page numbers): one operator, or every operator of the list."""
    form = PeriodForm(request.POST)
    if not form.is_valid() or "period" not in form.cleaned_data:
        return render(request, T + "index.html", _context(form, None), status=400)
    period: review.Period = form.cleaned_data["period"]
    operator_id = form.cleaned_data.get("operator")
    if operator_id:
        operators = [_operator(operator_id)]
    else:
        operators = review.reviewable_operators(all_staff=bool(form.cleaned_data.get("all_staff")))
    details = review.details_for(operators, period)
    details.sort(key=lambda d: (not d.summary.flagged, d.operator.username))
    content = render_pdf(
        T + "pdf/review.html",
        _context(
            form,
            period,
            details=details,
            flagged=sum(1 for d in details if d.summary.flagged),
            generated_at=timezone.localtime(),
            generated_by=request.user.get_username(),
            library_name=settings.LIBRARY_NAME,
            office=settings.LIBRARY_OFFICE,
            single=bool(operator_id),
        ),
    )
    oversight.access_review_record_download(
        actor=request.user,
        operator_id=operator_id or None,
        date_from=period.date_from,
        date_to=period.date_to,
        operators=len(operators),
    )
    suffix = f"-{operator_id}" if operator_id else ""
    filename = f"access-review-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}{suffix}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
