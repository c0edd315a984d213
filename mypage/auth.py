"""The patron's session, kept apart from staff sessions (issue 16).

A patron is not a Django user: the signed-in patron's id lives in the session under ``SESSION_KEY``
and ``request.user`` stays anonymous, so every staff page (which needs a user with a role) turns a
patron away. The other way round, a request carrying a staff sign-in never reaches マイページ or
``/api/v1/me/*`` (403), even when the same browser also signed in as a patron. An idle patron session
ends after ``MYPAGE_IDLE_TIMEOUT_MINUTES``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from patrons.models import Patron
from privacy_admin.audit.context import get_context, set_context
from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.api_schemas import DENIED_MESSAGE

from . import selectors

SESSION_KEY = "_mypage_patron"
LAST_SEEN = "_mypage_last_seen"


def idle_seconds() -> int:
    return int(getattr(settings, "MYPAGE_IDLE_TIMEOUT_MINUTES", 15)) * 60


def is_staff_request(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def sign_in_session(request: HttpRequest, patron: Patron) -> None:
    """A fresh session for the patron: anything the browser held before (a staff sign-in) is gone."""
    request.session.flush()
    request.session[SESSION_KEY] = patron.pk
    request.session[LAST_SEEN] = int(time.time())
    request.session.save()


def current_patron(request: HttpRequest) -> Patron | None:
    """The signed-in patron, or None (no patron session, idle too long, or no longer active).
    Sets the access log's actor to the patron for the rest of the request."""
    if is_staff_request(request) or not hasattr(request, "session"):
        return None
    patron_id = request.session.get(SESSION_KEY)
    if not isinstance(patron_id, int):
        return None
    now = int(time.time())
    last_seen = request.session.get(LAST_SEEN)
    if not isinstance(last_seen, int) or now - last_seen > idle_seconds():
        audit_record(
            standalone=True,
            actor=None,
            action="mypage.sign_out",
            target_type="patron",
            target_id=patron_id,
            patron_id=patron_id,
            detail={"reason": "idle_timeout"},
        )
        request.session.flush()
        request._mypage_idle = True  # type: ignore[attr-defined]
        return None
    patron = selectors.signed_in_patron(patron_id)
    if patron is None:
        request.session.flush()
        return None
    request.session[LAST_SEEN] = now
    set_context(dataclasses.replace(get_context(), patron_actor=patron.pk))
    return patron


def _deny(request: HttpRequest, where: str) -> None:
    user = getattr(request, "user", None)
    audit_record(
        standalone=True,
        actor=user,
        action="access.denied",
        target_type=where,
        target_id=(request.resolver_match.url_name or "mypage") if request.resolver_match else "mypage",
        outcome=Outcome.DENIED,
        detail={"method": request.method or ""},
    )


def staff_refused(request: HttpRequest) -> HttpResponse:
    """403 for a request signed in as staff (the access log records the attempt)."""
    _deny(request, "mypage")
    return render(
        request,
        "mypage/staff_refused.html",
        {"message": _("職員としてログインしたままではマイページを使えません。")},
        status=403,
    )


def patron_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A マイページ view: staff sign-ins are refused (403); without a patron session, the sign-in page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_staff_request(request):
            return staff_refused(request)
        patron = current_patron(request)
        if patron is None:
            if getattr(request, "_mypage_idle", False):
                return redirect(reverse("mypage:login") + "?timeout=1")
            return redirect("mypage:login")
        request.patron = patron  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


class PatronSessionAuth(APIKeyCookie):
    """``/api/v1/me/*``: the patron's session. A staff session: 403. No patron session: 401. Unsafe
    methods need the CSRF token, as the staff API's session authentication does."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        if is_staff_request(request):
            _deny(request, "api")
            raise HttpError(403, str(DENIED_MESSAGE))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        patron = current_patron(request)
        if patron is None:
            return None
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request)
        ):
            raise HttpError(
                403, _("CSRFトークンが正しくありません。画面を再読み込みしてからやり直してください。")
            )
        request.patron = patron  # type: ignore[attr-defined]
        return patron
