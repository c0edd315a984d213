"""TOTP two-factor (django-otp): any account can enrol; sign-in then asks for the token after the password;
OTP_REQUIRED_FOR_STAFF forces privacy officers and administrators to enrol first."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacy_admin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:otp_verify")
SETUP = reverse("accounts:otp_setup")


def token(device: TOTPDevice, *, step: int = 0) -> str:
    """The device's token now (``step`` = 1: the next one, accepted once the current one was used)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + step * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)


def _password_step(client: Client, username: str, password: str, **extra: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_enrolment_shows_an_inline_qr_code_and_confirms_with_a_token(login, counter_staff) -> None:
    client = login(counter_staff)
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<img" not in html
    device = TOTPDevice.objects.get(user=counter_staff)
    assert not device.confirmed
    # The same pending device (and QR code) on reload.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=counter_staff).count() == 1

    wrong = client.post(
        SETUP, {"action": "confirm", "token": "000000" if token(device) != "000000" else "111111"}
    )
    assert "確認コードが正しくありません" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    # Right after a wrong code django-otp makes the user wait (1 s, then 2 s, 4 s…).
    throttled = client.post(SETUP, {"action": "confirm", "token": token(device)})
    assert "しばらく待ってから入力してください" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # the wait is over

    response = client.post(SETUP, {"action": "confirm", "token": token(device)})
    assert response["Location"] == reverse("home")
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.get(action="auth.otp_enrolled").target_id == str(counter_staff.pk)
    # The session that enrolled counts as verified.
    assert client.get(reverse("home")).status_code == 200


def test_malformed_token_is_refused_with_a_message(login, counter_staff) -> None:
    client = login(counter_staff)
    client.get(SETUP)
    response = client.post(SETUP, {"action": "confirm", "token": "12ab"})
    assert "確認コードは6桁の数字です" in response.content.decode()


def test_sign_in_asks_for_the_token_after_the_password(client: Client, counter_staff, password) -> None:
    device = enrolled(counter_staff)
    response = _password_step(client, "counter", password, next=reverse("patrons:find"))
    assert response["Location"] == VERIFY
    # Not signed in yet.
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)
    assert client.get(VERIFY).status_code == 200

    response = client.post(VERIFY, {"token": token(device)})
    assert response["Location"] == reverse("patrons:find")
    assert AuditEvent.objects.get(action="auth.login").actor == counter_staff
    assert client.get(reverse("patrons:find")).status_code == 200


def test_wrong_token_is_refused_and_logged(client: Client, counter_staff, password) -> None:
    device = enrolled(counter_staff)
    _password_step(client, "counter", password)
    bad = "000000" if token(device) != "000000" else "111111"
    response = client.post(VERIFY, {"token": bad})
    assert response.status_code == 200
    assert "確認コードが正しくありません" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.otp_failed", target_id=str(counter_staff.pk)).exists()
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_repeated_wrong_tokens_end_the_attempt(client: Client, counter_staff, password) -> None:
    device = enrolled(counter_staff)
    _password_step(client, "counter", password)
    bad = "000000" if token(device) != "000000" else "111111"
    responses = [client.post(VERIFY, {"token": bad}) for _ in range(5)]
    assert responses[-1]["Location"] == reverse("accounts:login")
    assert client.get(VERIFY)["Location"] == reverse("accounts:login")


def test_verify_page_without_a_pending_sign_in_goes_to_login(client: Client, db) -> None:
    assert client.get(VERIFY)["Location"] == reverse("accounts:login")


def test_a_session_without_the_token_is_sent_to_verify(login, counter_staff) -> None:
    # E.g. a session opened through another sign-in form: it must still give the token.
    device = enrolled(counter_staff)
    client = login(counter_staff)
    assert client.get(reverse("home"))["Location"] == VERIFY
    response = client.post(VERIFY, {"token": token(device)})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_required_for_officers_forces_enrolment_first(login, privacy_officer, settings) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    client = login(privacy_officer)
    assert client.get(reverse("requests:dashboard"))["Location"] == SETUP
    page = client.get(SETUP)
    assert "二要素認証が必須" in page.content.decode()
    device = TOTPDevice.objects.get(user=privacy_officer)
    client.post(SETUP, {"action": "confirm", "token": token(device)})
    assert client.get(reverse("requests:dashboard")).status_code == 200


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator"], indirect=True)
def test_required_setting_leaves_other_roles_free(login, persona, settings) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    response = login(persona).get(reverse("home"))
    assert response.status_code == 200


def test_optional_device_can_be_removed_with_a_token(login, counter_staff) -> None:
    device = enrolled(counter_staff)
    client = login(counter_staff)
    client.post(VERIFY, {"token": token(device)})
    response = client.post(SETUP, {"action": "remove", "token": token(device, step=1)})
    assert response["Location"] == SETUP
    assert not TOTPDevice.objects.filter(user=counter_staff, confirmed=True).exists()
    assert AuditEvent.objects.filter(action="auth.otp_removed").exists()


def test_required_device_cannot_be_removed(login, administrator, settings) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    device = enrolled(administrator)
    client = login(administrator)
    client.post(VERIFY, {"token": token(device)})
    response = client.post(SETUP, {"action": "remove", "token": token(device, step=1)})
    assert response.status_code == 200
    assert "解除できません" in response.content.decode()
    assert TOTPDevice.objects.filter(user=administrator, confirmed=True).exists()


def test_setup_page_needs_a_sign_in(client: Client, db) -> None:
    assert client.get(SETUP)["Location"].startswith(LOGIN)
