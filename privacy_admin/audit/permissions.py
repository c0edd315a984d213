"""Who may use a page. Refusals are answered 403 and written to the access log (here, below every app
that has pages, the access log's own included)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from privacy_admin.core.roles import has_role

from .models import Outcome
from .services import audit_record


def record_denied(request: HttpRequest, *, target: str) -> None:
    audit_record(
        standalone=True,
        actor=request.user,
        action="access.denied",
        target_type="view",
        target_id=target[:64],
        outcome=Outcome.DENIED,
    )


def role_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.path)
            if not has_role(request.user, *roles):
                match = request.resolver_match
                record_denied(request, target=match.view_name if match else request.path)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator
