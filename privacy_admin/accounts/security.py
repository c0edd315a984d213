"""What a signed-in account must do before anything else: confirm its TOTP token, change its password
(expired, or set by an administrator), enrol a TOTP device (when required for its role).

The facts behind these steps (has a confirmed device, must change, when the password expires) are read
at sign-in and kept in the session for a minute, so an ordinary request costs no query; the pages that
change them call :func:`forget`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import PasswordState
from .otp import confirmed_device, otp_required_for
from .passwords import change_due_at

SESSION_KEY = "_account_security"
TTL_SECONDS = 60

STEP_OTP_VERIFY = "accounts:otp_verify"
STEP_PASSWORD = "accounts:password_change"  # noqa: S105 - a URL name
STEP_OTP_SETUP = "accounts:otp_setup"

_API_MESSAGES = {
    STEP_OTP_VERIFY: _("確認コードの入力が済んでいません。画面からログインし直してください。"),
    STEP_PASSWORD: _("パスワードの変更が必要です。画面からパスワードを変更してください。"),
    STEP_OTP_SETUP: _("二要素認証の設定が必要です。画面から設定してください。"),
}


def refresh(request: HttpRequest, user: Any) -> dict[str, Any]:
    state = PasswordState.objects.filter(user_id=user.pk).first()
    due = change_due_at(state)
    data = {
        "uid": user.pk,
        "at": time.time(),
        "device": confirmed_device(user) is not None,
        "must": bool(state and state.must_change),
        "due": due.timestamp() if due else None,
    }
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = data
    return data


def forget(request: HttpRequest) -> None:
    if hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


def status(request: HttpRequest, user: Any) -> dict[str, Any]:
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not data or data.get("uid") != user.pk or time.time() - float(data.get("at", 0)) > TTL_SECONDS:
        data = refresh(request, user)
    return data


def password_change_reason(request: HttpRequest, user: Any) -> str:
    """Why the change page was forced on the user ('' when it was not)."""
    data = status(request, user)
    if data["must"]:
        return "must_change"
    if data["due"] is not None and time.time() >= data["due"]:
        return "expired"
    return ""


def next_step(request: HttpRequest, user: Any) -> str | None:
    """The URL name of the step the user must take first, or None."""
    data = status(request, user)
    verified = getattr(user, "is_verified", None)
    if data["device"] and not (callable(verified) and verified()):
        return STEP_OTP_VERIFY
    if password_change_reason(request, user):
        return STEP_PASSWORD
    if not data["device"] and otp_required_for(user):
        return STEP_OTP_SETUP
    return None


class AccountSecurityMiddleware:
    """Sends a signed-in account to its pending step; only that page, sign-out and static files answer.

    Install after OTPMiddleware, MessageMiddleware and the idle timeout.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._exempt(request.path):
            return self.get_response(request)
        step = next_step(request, user)
        if step is None or request.path == reverse(step):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(_API_MESSAGES[step])}, status=403)
        return redirect(step)

    @staticmethod
    def _exempt(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith((static, "/i18n/")) or path == reverse("accounts:logout")
