"""Authentication of the JSON API: a bearer token (``manage.py create_api_token``) or the web session.

Endpoints admit roles through ``staff_auth``, which runs before the body is parsed, so a refused role
gets 403 whatever it sends, and its attempt is written to the access log as ``access.denied``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.api_schemas import DENIED_MESSAGE
from privacy_admin.core.roles import Role, has_role

from .services import api_token_authenticate

ALL_STAFF_ROLES: tuple[str, ...] = tuple(Role.values)


def _route_of(request: HttpRequest) -> str:
    # The URL pattern, never the path: a path may carry a card number.
    match = getattr(request, "resolver_match", None)
    return (match.route if match is not None and match.route else "api")[:64]


def _deny(request: HttpRequest, user: Any) -> HttpError:
    audit_record(
        standalone=True,
        actor=user,
        action="access.denied",
        target_type="api",
        target_id=_route_of(request),
        outcome=Outcome.DENIED,
        detail={"method": request.method or ""},
    )
    return HttpError(403, str(DENIED_MESSAGE))


def _admit(request: HttpRequest, user: Any, roles: tuple[str, ...]) -> Any:
    if not has_role(user, *roles):
        raise _deny(request, user)
    return user


class BearerToken(HttpBearer):
    def __init__(self, roles: tuple[str, ...] = ALL_STAFF_ROLES) -> None:
        self.roles = roles
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        # ninja's own parser logs the whole header under DEBUG when the scheme is not Bearer.
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return _admit(request, user, self.roles)


class SessionAuth(APIKeyCookie):
    """The web session. CSRF is checked only once a session user is found, so that an anonymous
    request is answered 401 (not a CSRF 403) and a bearer-token request never needs a CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, roles: tuple[str, ...] = ALL_STAFF_ROLES) -> None:
        self.roles = roles
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403, gettext("CSRFトークンが正しくありません。画面を再読み込みしてからやり直してください。")
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        return _admit(request, request.user, self.roles)


def staff_auth(*roles: str) -> list[Any]:
    """Authentication for an endpoint that admits ``roles`` (default: every staff role).

    The role check happens with authentication, before the body is validated: a refused role learns
    nothing from validation messages, and its attempt is logged as ``access.denied``.
    """
    admitted = tuple(str(r) for r in roles) or ALL_STAFF_ROLES
    return [BearerToken(admitted), SessionAuth(admitted)]
