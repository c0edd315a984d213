"""Print attempts by contractor operators are logged (002: 閲覧はできるがプリントアウトはできない).

The print stylesheet in ``base.html`` already replaces an operator's printout with a refusal; the
small script next to it reports each attempt here (the browser's ``beforeprint`` event, Ctrl+P,
Ctrl+S), so that the library sees who tried, on which page and when. The event names the page's
view (``patrons:detail``), never its path: a path may carry an identifier.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_POST

from privacy_admin.accounts.permissions import role_required
from privacy_admin.accounts.roles import Role
from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record

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
    key = f"outsourcing:print-attempts:{user_pk}"
    cache.add(key, 0, timeout=60)
    try:
        return int(cache.incr(key)) <= MAX_PER_MINUTE
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        return True


@role_required(Role.CONTRACTOR)
@require_POST
def print_attempt(request: HttpRequest) -> HttpResponse:
    """Record ``operator.print_attempt`` (outcome denied: the printout showed only the refusal)."""
    via = request.POST.get("via", "")
    if via not in VIAS:
        via = "print"
    if _within_limit(int(request.user.pk or 0)):
        audit_record(
            actor=request.user,
            action="operator.print_attempt",
            target_type="view",
            target_id=_view_name(request.POST.get("page", "")),
            outcome=Outcome.DENIED,
            detail={"via": via},
        )
    return HttpResponse(status=204)
