"""Two-factor sign-in with a TOTP app (django-otp): enrolment, the QR code, verification.

Every account may enrol one device. When ``OTP_REQUIRED_FOR_STAFF`` is on, privacy officers and
administrators must enrol before anything else (``security.AccountSecurityMiddleware``).
"""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.roles import Role, has_role

DEVICE_NAME = "認証アプリ"


def otp_required_for(user: Any) -> bool:
    return bool(getattr(settings, "OTP_REQUIRED_FOR_STAFF", False)) and has_role(
        user, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR
    )


def confirmed_device(user: Any) -> TOTPDevice | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (kept across reloads so the QR code stays the same)."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (no image file, nothing sent to a third party)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=16)
    svg: str = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    return svg


def secret_for_manual_entry(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def throttled(device: TOTPDevice) -> bool:
    """django-otp doubles the wait after each wrong token (1 s, 2 s, 4 s…)."""
    allowed, _ = device.verify_is_allowed()
    return not allowed


def verify(device: TOTPDevice, token: str) -> bool:
    """Check ``token`` against ``device`` under a row lock (django-otp's throttling applies)."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit() or len(token) != device.digits:
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        ok = bool(locked.verify_token(token))
    device.refresh_from_db()
    return ok


def otp_device_confirm(*, actor: Any, device: TOTPDevice) -> None:
    """The first correct token confirms the device; any other device of the user is removed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        audit_record(actor=actor, action="auth.otp_enrolled", target_type="user", target_id=device.user_id)


def otp_device_remove(*, actor: Any, user: Any) -> None:
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user_id=user.pk).delete()
        audit_record(
            actor=actor,
            action="auth.otp_removed",
            target_type="user",
            target_id=user.pk,
            detail={"devices": removed},
        )


def otp_failure_record(*, user: Any) -> None:
    audit_record(
        standalone=True,
        actor=None,
        action="auth.otp_failed",
        target_type="user",
        target_id=user.pk,
        outcome=Outcome.FAILURE,
    )
