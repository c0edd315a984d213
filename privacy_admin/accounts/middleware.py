from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record

_LAST_SEEN = "_last_seen"


class IdleTimeoutMiddleware:
    """Signs a staff member out after SESSION_IDLE_TIMEOUT_SECONDS without a request (domain §10)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                actor = user
                audit_record(
                    standalone=True,
                    actor=actor,
                    action="auth.logout",
                    target_type="user",
                    target_id=actor.pk,
                    detail={"reason": "idle_timeout"},
                )
                request._idle_logout = True  # type: ignore[attr-defined]
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(
                    request,
                    _("一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。"),
                )
                return redirect(settings.LOGIN_URL)
            request.session[_LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages that may show personal data are never stored by browsers or proxies (002: nothing on the terminal)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(("/static/", "/register/public")):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
