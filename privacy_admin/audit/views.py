"""The access-log page for privacy officers (domain §1, §10: operation logs saved and reviewable).

Only the privacy officer may read the log; every page shown is itself written to the log
(``audit.view``) before it is rendered. Filters are POSTed so a card number never reaches a URL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy_admin.audit.permissions import role_required
from privacy_admin.core.csv import write_csv
from privacy_admin.core.roles import Role

from .checkpoints import Checkpoint, latest_daily
from .display import EventRow, event_rows
from .forms import AuditLogFilterForm, audit_view_detail
from .sealer import seal_lag
from .selectors import EXPORT_MAX_ROWS, EventFilters, EventPage, ExportTooLarge, events_for, events_for_export
from .services import audit_record


def _next_page_fields(form: AuditLogFilterForm) -> dict[str, str]:
    """The search as hidden fields of the "次の50件" form (POSTed again, so never in a URL)."""
    if not form.is_bound:
        return {}
    data = form.cleaned_data
    return {
        "actor": data.get("actor", ""),
        "patron": data.get("patron", ""),
        "action": data.get("action", ""),
        "target": data.get("target", ""),
        "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
        "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
    }


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    """GET: the newest events. POST: the filtered events, or the form with its errors."""
    form = AuditLogFilterForm(request.POST if request.method == "POST" else None)
    return _log_page(request, form)


def _log_page(request: HttpRequest, form: AuditLogFilterForm, *, status: int = 200) -> HttpResponse:
    page: EventPage | None = None
    filters: EventFilters | None = None
    if not form.is_bound:
        filters = EventFilters()
    elif form.is_valid():
        filters = form.filters()
    if filters is not None:
        page = events_for(request.user, filters=filters)
        # Written before the page is rendered: no page of the log is ever shown unrecorded.
        audit_record(
            standalone=True,
            actor=request.user,
            action="audit.view",
            target_type="audit_log",
            patron_id=filters.patron_id,
            detail={**audit_view_detail(filters), "shown": len(page.events)},
        )
    context = {
        "form": form,
        "page": page,
        "rows": event_rows(page.events) if page else [],
        "next_fields": _next_page_fields(form) if page and page.next_before_seq else {},
        "lag": seal_lag(),
        "max_unsealed_seconds": settings.AUDIT_MAX_UNSEALED_SECONDS,
    }
    return render(request, "audit/log.html", context, status=status)


def export_header() -> list[str]:
    return [
        _("番号"),
        _("日付"),
        _("時刻"),
        _("操作者"),
        _("当時の役割"),
        _("操作"),
        _("対象の種類"),
        _("対象"),
        _("利用者"),
        _("館"),
        _("結果"),
        _("詳細"),
        _("IPアドレス"),
        _("リクエストID"),
    ]


def export_cells(row: EventRow) -> list[object]:
    """The columns of the page, in its order (the CSV has the same content as the screen)."""
    return [
        row.seq,
        row.date,
        row.time,
        row.actor,
        row.role,
        row.action_label,
        row.target_kind,
        row.target,
        row.patron,
        row.branch,
        row.outcome,
        row.detail_text,
        row.ip,
        row.request_id,
    ]


_EXPORT_CHUNK = 1000  # rows named per batch of resolver queries


@role_required(Role.PRIVACY_OFFICER)  # as the log page: the officer's monthly check (domain §10)
@require_http_methods(["POST"])
def export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV (UTF-8 with BOM, Japanese headings) for the officer's monthly check.

    POSTed like the page (a card number never reaches a URL); the export is itself written to the log
    (``audit.export``: the filters as flags and codes, the row count — no personal data).
    """
    form = AuditLogFilterForm(request.POST)
    if not form.is_valid():
        return _log_page(request, form, status=400)
    filters = form.filters()
    try:
        events = events_for_export(request.user, filters=filters)
    except ExportTooLarge:
        form.add_error(
            None,
            _("該当するログが%(limit)s件を超えるため出力できません。期間を短くして出力してください。")
            % {"limit": f"{EXPORT_MAX_ROWS:,}"},
        )
        return _log_page(request, form, status=400)
    audit_record(
        standalone=True,
        actor=request.user,
        action="audit.export",
        target_type="audit_log",
        patron_id=filters.patron_id,
        detail={**audit_view_detail(filters), "rows": len(events), "format": "csv"},
    )
    rows: list[list[object]] = []
    for start in range(0, len(events), _EXPORT_CHUNK):
        rows.extend(export_cells(row) for row in event_rows(events[start : start + _EXPORT_CHUNK]))
    response = HttpResponse(write_csv(export_header(), rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _checkpoint_context(checkpoint: Checkpoint | None) -> dict[str, Any]:
    return {
        "checkpoint": checkpoint,
        "created": timezone.localtime(checkpoint.created_at) if checkpoint else None,
        "event_at": timezone.localtime(checkpoint.event_at) if checkpoint and checkpoint.event_at else None,
        "library_name": getattr(settings, "LIBRARY_NAME", ""),
    }


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET"])
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The newest signed checkpoint, printable (the officer keeps the paper apart from the server)."""
    latest = latest_daily()
    audit_record(
        standalone=True,
        actor=request.user,
        action="audit.checkpoint_print",
        target_type="audit_log",
        detail={"seq": latest.seq if latest else None, "format": "html"},
    )
    return render(request, "audit/checkpoint.html", _checkpoint_context(latest))


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET"])
def checkpoint_pdf(request: HttpRequest) -> HttpResponse:
    from privacy_admin.core.pdf import render_pdf

    latest = latest_daily()
    if latest is None:
        raise Http404
    audit_record(
        standalone=True,
        actor=request.user,
        action="audit.checkpoint_print",
        target_type="audit_log",
        detail={"seq": latest.seq, "format": "pdf"},
    )
    pdf = render_pdf("audit/pdf/checkpoint.html", _checkpoint_context(latest))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="audit-checkpoint-{latest.seq}.pdf"'
    return response
