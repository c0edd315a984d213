from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.ipv6 import clean_ipv6_address

from .context import AuditContext, new_request_id, reset_context, set_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def client_ip(request: HttpRequest) -> str | None:
    raw = request.META.get("REMOTE_ADDR") or ""
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            raw = forwarded.split(",")[0].strip()
    if not raw:
        return None
    if ":" in raw:
        try:
            # Store exactly what the database will hold, or the event's seal would not match.
            return clean_ipv6_address(raw)
        except ValidationError:
            return None
    return raw if re.fullmatch(r"[0-9.]{7,15}", raw) else None


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and the client address for the access log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_context(AuditContext(request_id=request_id, ip=client_ip(request), channel=channel))
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request_id
        return response
