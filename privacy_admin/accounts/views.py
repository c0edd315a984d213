"""Sign-in (password, then the TOTP token when the account has a device), password change, two-factor
enrolment (domain.md §10; 002: 個人IDとパスワード、パスワードには有効期間を設定し、定期的な変更).

After a correct password, an account with a confirmed TOTP device is *not* signed in yet: the session
holds only the pending account's id for a few minutes, and ``auth.login`` runs when the token is right.
"""

from __future__ import annotations

import time
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from privacy_admin.audit.permissions import role_required
from privacy_admin.core import signin
from privacy_admin.core.roles import Role

from . import lockout, otp, security
from .forms import TokenForm
from .models import PasswordState
from .passwords import change_due_at, expiry_days
from .services import password_change as password_change_service

PENDING_KEY = "_otp_pending"
PENDING_SECONDS = 300
MAX_TOKEN_TRIES = 5
THROTTLED = gettext_lazy("確認コードの誤りが続いたため、しばらく待ってから入力してください。")


class SignInView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_form_class(self) -> Any:
        # The form an app registered (outsourcing's gate for operator accounts), or Django's own.
        return signin.authentication_form()

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if otp.confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "uid": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
            "tries": 0,
        }
        return redirect("accounts:otp_verify")


def _drop_pending(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    messages.error(request, message)
    return redirect(settings.LOGIN_URL)


@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step: the token from the authenticator app."""
    user: Any = request.user
    pending: dict[str, Any] | None = None
    if user.is_authenticated:
        verified = getattr(user, "is_verified", None)
        if not callable(verified) or verified():
            return redirect(settings.LOGIN_REDIRECT_URL)
        account = user
    else:
        pending = request.session.get(PENDING_KEY)
        if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
            return _drop_pending(request, _("時間が経過したため、もう一度ログインしてください。"))
        account = get_user_model().objects.filter(pk=pending["uid"], is_active=True).first()
        if account is None:
            return _drop_pending(request, _("もう一度ログインしてください。"))
    device = otp.confirmed_device(account)
    if device is None:
        security.forget(request)
        if pending is not None:
            return _drop_pending(request, _("もう一度ログインしてください。"))
        return redirect(settings.LOGIN_REDIRECT_URL)

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        was_throttled = otp.throttled(device)
        if not was_throttled and otp.verify(device, form.cleaned_data["token"]):
            request.session.pop("_otp_tries", None)
            if pending is not None:
                request.session.pop(PENDING_KEY, None)
                auth_login(request, account, backend=pending["backend"])
            django_otp.login(request, device)
            security.forget(request)
            return redirect(pending["next"] if pending else settings.LOGIN_REDIRECT_URL)
        if not was_throttled:
            otp.otp_failure_record(user=account)
        tries = int(request.session.get("_otp_tries", 0)) + 1
        request.session["_otp_tries"] = tries
        if tries >= MAX_TOKEN_TRIES:
            request.session.pop("_otp_tries", None)
            if user.is_authenticated:
                logout(request)
            return _drop_pending(request, _("確認コードの誤りが続いたため、ログインを中止しました。"))
        form.add_error(
            "token",
            str(THROTTLED)
            if was_throttled
            else _("確認コードが正しくありません。認証アプリの最新のコードを入力してください。"),
        )
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; forced when it expired or an administrator set it."""
    user: Any = request.user
    reason = security.password_change_reason(request, user)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change_service(actor=user, user=user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        security.forget(request)
        messages.success(request, _("パスワードを変更しました。"))
        return redirect(settings.LOGIN_REDIRECT_URL)
    due_at = change_due_at(PasswordState.objects.filter(user_id=user.pk).first())
    due = timezone.localtime(due_at).date() if due_at else None
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "reason": reason, "expiry_days": expiry_days(), "due": due},
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol (or replace, or remove) the account's TOTP device."""
    user: Any = request.user
    device = otp.confirmed_device(user)
    required = otp.otp_required_for(user)
    confirm_form = TokenForm(request.POST if request.POST.get("action") == "confirm" else None)
    remove_form = TokenForm(request.POST if request.POST.get("action") == "remove" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "confirm" and confirm_form.is_valid():
            new = otp.pending_device(user)
            if otp.throttled(new):
                confirm_form.add_error("token", str(THROTTLED))
            elif otp.verify(new, confirm_form.cleaned_data["token"]):
                otp.otp_device_confirm(actor=user, device=new)
                django_otp.login(request, new)
                security.forget(request)
                messages.success(
                    request, _("二要素認証を設定しました。次回からログイン時に確認コードを入力します。")
                )
                return redirect(settings.LOGIN_REDIRECT_URL)
            else:
                confirm_form.add_error(
                    "token", _("確認コードが正しくありません。時刻の設定と入力したコードを確認してください。")
                )
        elif action == "remove" and remove_form.is_valid():
            if required:
                messages.error(request, _("この役割では二要素認証が必須のため、解除できません。"))
            elif device is None or otp.throttled(device):
                remove_form.add_error("token", str(THROTTLED))
            elif not otp.verify(device, remove_form.cleaned_data["token"]):
                remove_form.add_error("token", _("確認コードが正しくありません。"))
            else:
                otp.otp_device_remove(actor=user, user=user)
                security.forget(request)
                messages.success(request, _("二要素認証を解除しました。"))
                return redirect("accounts:otp_setup")
        elif action not in ("confirm", "remove"):
            messages.error(request, _("操作を選んでください。"))
    new_device = otp.pending_device(user)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "device": device,
            "required": required,
            "qr_svg": otp.qr_svg(new_device),
            "secret": otp.secret_for_manual_entry(new_device),
            "confirm_form": confirm_form,
            "remove_form": remove_form,
        },
    )


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """Locked accounts and addresses, each with 「ロック解除」 (administrators only)."""
    if request.method == "POST":
        kind = request.POST.get("kind")
        if kind == "account":
            raw_id = request.POST.get("user_id", "")
            user = (
                get_user_model().objects.filter(pk=int(raw_id)).first()
                if raw_id.isdigit() and len(raw_id) < 10
                else None
            )
            if user is None:
                messages.error(request, _("対象のアカウントが見つかりません。"))
            else:
                lockout.lockout_clear_account(actor=request.user, user=user)
                messages.success(
                    request,
                    _("アカウント「%(name)s」のロックを解除しました。") % {"name": user.get_username()},
                )
        elif kind == "address":
            address = request.POST.get("ip_address", "")
            try:
                validate_ipv46_address(address)
            except ValidationError:
                messages.error(request, _("IPアドレスが正しくありません。"))
            else:
                lockout.lockout_clear_address(actor=request.user, ip_address=address)
                messages.success(request, _("IPアドレス %(ip)s のロックを解除しました。") % {"ip": address})
        else:
            messages.error(request, _("操作を選んでください。"))
        return redirect("accounts:lockouts")
    return render(
        request,
        "accounts/lockouts.html",
        {
            "accounts": lockout.locked_accounts(),
            "addresses": lockout.locked_addresses(),
            "account_limit": lockout.account_limit(),
            "address_limit": lockout.address_limit(),
        },
    )
