"""Print attempts by contractor operators are logged (002: 閲覧はできるがプリントアウトはできない).

The print stylesheet in ``base.html`` already replaces an operator's printout with a refusal; the
small script next to it reports each attempt here (the browser's ``beforeprint`` event, Ctrl+P,
Ctrl+S), so that the library sees who tried, on which page and when. The event names the page's
view (``patrons:detail``), never its path: a path may carry an identifier.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_POST

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.permissions import role_required
from privacy_admin.audit.services import audit_record
from privacy_admin.core.cache_guard import (
    RATE_LIMIT_UNAVAILABLE_MESSAGE,
    RETRY_AFTER_SECONDS,
    RateLimitUnavailable,
    rate_limit_hit,
)
from privacy_admin.core.roles import Role

VIAS = frozenset({"print", "print_shortcut", "save_shortcut"})
# A print dialog fires several events and a held key repeats: this many events per user per minute.
MAX_PER_MINUTE = 20


def _view_name(path: str) -> str:
    if not path.startswith("/") or len(path) > 500 or not path.isascii():
        return "unknown"
    try:
        match = resolve(path)
    except Resolver404:
        return "unknown"
    return (match.view_name or "unknown")[:64]


def _within_limit(user_pk: int) -> bool:
    """Raises ``RateLimitUnavailable`` when the cache is down (the limit fails closed)."""
    return rate_limit_hit(f"outsourcing:print-attempts:{user_pk}", window_seconds=60) <= MAX_PER_MINUTE


@role_required(Role.CONTRACTOR)
@require_POST
def print_attempt(request: HttpRequest) -> HttpResponse:
    """Record ``operator.print_attempt`` (outcome denied: the printout showed only the refusal)."""
    via = request.POST.get("via", "")
    if via not in VIAS:
        via = "print"
    try:
        within = _within_limit(int(request.user.pk or 0))
    except RateLimitUnavailable:
        response = HttpResponse(
            str(RATE_LIMIT_UNAVAILABLE_MESSAGE), status=503, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if within:
        audit_record(
            standalone=True,
            actor=request.user,
            action="operator.print_attempt",
            target_type="view",
            target_id=_view_name(request.POST.get("page", "")),
            outcome=Outcome.DENIED,
            detail={"via": via},
        )
    return HttpResponse(status=204)
