"""The development outbox for administrators: what ``make run`` sent, and each message.

Messages carry personal data (a reservation-ready e-mail names the patron and the titles), so every
look is written to the access log first, like any other page that shows it. When mail goes out by
SMTP the page says so and reads nothing from disk.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from privacy_admin.audit.permissions import role_required
from privacy_admin.audit.services import audit_record
from privacy_admin.core.roles import Role

from .outbox import outbox_in_use, outbox_list, outbox_message

SHOWN = 200


@role_required(Role.ADMINISTRATOR)
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The newest messages (date, recipients, subject), newest first."""
    if not outbox_in_use():
        return render(request, "devmail/outbox.html", {"in_use": False})
    entries, total = outbox_list(limit=SHOWN)
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="mail.outbox_view",
            target_type="outbox",
            detail={"results": len(entries), "total": total},
        )
    return render(
        request, "devmail/outbox.html", {"in_use": True, "entries": entries, "total": total, "shown": SHOWN}
    )


@role_required(Role.ADMINISTRATOR)
@require_GET
def message(request: HttpRequest, message_id: str) -> HttpResponse:
    """One message: headers and its text body, HTML-escaped by the template."""
    found = outbox_message(message_id) if outbox_in_use() else None
    if found is None:
        raise Http404
    with transaction.atomic():
        audit_record(actor=request.user, action="mail.outbox_open", target_type="mail", target_id=message_id)
    return render(request, "devmail/message.html", {"message": found})
