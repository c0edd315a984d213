"""Annual report pages (山梨県 要綱 第16条第6項, 第50条): choose a 年度, preview each report, download its PDF.

Administrators (who keep the register and make the annual reports, domain §1) and privacy officers (who
run the requests and incidents the 施行状況 report counts). Anyone else: 403, logged; anonymous: login.
The 年度 travels in the query string (``?fy=2025``): it is not personal data.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from privacy_admin.audit.permissions import role_required
from privacy_admin.core.roles import Role
from reports import selectors as reports

ROLES = (Role.ADMINISTRATOR, Role.PRIVACY_OFFICER)
# The body each preview shares with its PDF; the URL names are the report codes (and "<code>_pdf").
PREVIEW_BODIES = {
    reports.REGISTER_STATUS: "registry/reports/_register_status_body.html",
    reports.ENFORCEMENT: "registry/reports/_enforcement_body.html",
}


def _year(request: HttpRequest) -> tuple[int, bool]:
    """(the 年度 asked for, True) — or (the current 年度, False when a bad one was asked) when none was."""
    raw = request.GET.get("fy", "").strip()
    if not raw:
        return reports.default_fiscal_year(), True
    try:
        return reports.validate_year(int(raw)), True
    except (ValueError, ValidationError):
        return reports.default_fiscal_year(), False


def _years() -> list[tuple[int, str]]:
    return [(y, reports.fiscal_year_label(y)) for y in reports.report_years()]


@role_required(*ROLES)
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    year, ok = _year(request)
    if not ok:
        messages.warning(request, _("指定された年度が正しくないため、今年度を表示しています。"))
    start, end = reports.fiscal_year_bounds(year)
    return render(
        request,
        "registry/reports/index.html",
        {
            "year": year,
            "label": reports.fiscal_year_label(year),
            "start": start,
            "end": end,
            "years": _years(),
            "reports": reports.REPORTS,
        },
    )


def _preview(request: HttpRequest, report: str) -> HttpResponse:
    year, ok = _year(request)
    if not ok:
        messages.warning(request, _("指定された年度が正しくないため、今年度を表示しています。"))
    context = reports.report_context(report, year) | {"year": year, "years": _years(), "report_code": report}
    context |= {
        "summary": context.get("report") or context.get("status"),
        "body_template": PREVIEW_BODIES[report],
        "preview_url": reverse(f"annual_reports:{report}"),
        "pdf_url": reverse(f"annual_reports:{report}_pdf"),
    }
    return render(request, "registry/reports/preview.html", context)


def _pdf(request: HttpRequest, report: str) -> HttpResponse:
    year, ok = _year(request)
    if not ok:
        messages.error(
            request, _("年度が正しくないため、報告書を作成できませんでした。年度を選び直してください。")
        )
        return redirect(reverse("annual_reports:index"))
    content, filename = reports.annual_report_download(actor=request.user, report=report, year=year)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*ROLES)
@require_GET
def register_status(request: HttpRequest) -> HttpResponse:
    """Preview of the register status report (山梨県 要綱 第16条第6項)."""
    return _preview(request, reports.REGISTER_STATUS)


@role_required(*ROLES)
@require_GET
def register_status_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, reports.REGISTER_STATUS)


@role_required(*ROLES)
@require_GET
def enforcement(request: HttpRequest) -> HttpResponse:
    """Preview of the 施行状況 report (山梨県 要綱 第50条)."""
    return _preview(request, reports.ENFORCEMENT)


@role_required(*ROLES)
@require_GET
def enforcement_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, reports.ENFORCEMENT)
