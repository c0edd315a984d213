"""The access-log page for privacy officers (domain §1, §10: operation logs saved and reviewable).

Only the privacy officer may read the log; every page shown is itself written to the log
(``audit.view``) before it is rendered. Filters are POSTed so a card number never reaches a URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from privacy_admin.audit.permissions import role_required
from privacy_admin.core.dates import format_date
from privacy_admin.core.roles import Role

from .checkpoints import Checkpoint, latest_daily
from .forms import AuditLogFilterForm, audit_view_detail
from .labels import ACTION_GROUP_LABELS, ACTION_LABELS, ROLE_LABELS
from .models import AuditEvent, Outcome
from .sealer import seal_lag
from .selectors import EventFilters, EventPage, events_for
from .services import audit_record

_OUTCOME_BADGES = {
    Outcome.SUCCESS: "badge-success",
    Outcome.DENIED: "badge-denied",
    Outcome.FAILURE: "badge-failure",
}
_OUTCOME_LABELS = dict(Outcome.choices)


@dataclass(frozen=True)
class EventRow:
    seq: int
    date: str
    time: str
    actor: str
    role: str
    action: str
    action_label: str
    target: str
    patron_id: int | None
    branch: str
    outcome: str
    outcome_badge: str
    ip: str
    request_id: str
    detail: str


def _detail_text(detail: Any) -> str:
    if not isinstance(detail, dict):
        return ""

    def text(value: Any) -> str:
        return ",".join(map(str, value)) if isinstance(value, list) else str(value)

    return " ".join(f"{key}={text(value)}" for key, value in sorted(detail.items()))


def event_row(event: AuditEvent) -> EventRow:
    local = timezone.localtime(event.occurred_at)
    return EventRow(
        seq=event.seq,
        date=format_date(local.date()),
        time=local.strftime("%H:%M:%S"),
        actor=event.actor_username or "（システム）",
        role=ROLE_LABELS.get(event.role, event.role),
        action=event.action,
        action_label=ACTION_LABELS.get(event.action, ""),
        target=" ".join(part for part in (event.target_type, event.target_id) if part),
        patron_id=event.patron_id,
        branch=event.branch_code,
        outcome=str(_OUTCOME_LABELS.get(event.outcome, event.outcome)),
        outcome_badge=_OUTCOME_BADGES.get(Outcome(event.outcome), "")
        if event.outcome in Outcome.values
        else "",
        ip=event.ip or "",
        request_id=event.request_id,
        detail=_detail_text(event.detail),
    )


def _next_page_fields(form: AuditLogFilterForm) -> dict[str, str]:
    """The search as hidden fields of the "次の50件" form (POSTed again, so never in a URL)."""
    if not form.is_bound:
        return {}
    data = form.cleaned_data
    return {
        "actor": data.get("actor", ""),
        "patron": data.get("patron", ""),
        "action": data.get("action", ""),
        "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
        "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
    }


@role_required(Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    """GET: the newest events. POST: the filtered events, or the form with its errors."""
    form = AuditLogFilterForm(request.POST if request.method == "POST" else None)
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
        "rows": [event_row(event) for event in page.events] if page else [],
        "next_fields": _next_page_fields(form) if page and page.next_before_seq else {},
        "action_choices": [*ACTION_GROUP_LABELS.items(), *ACTION_LABELS.items()],
        "lag": seal_lag(),
        "max_unsealed_seconds": settings.AUDIT_MAX_UNSEALED_SECONDS,
    }
    return render(request, "audit/log.html", context)


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
