"""The sign-in and sign-out pages: Japanese, logged, locked after repeated failures (domain §10); the idle
timeout is in test_middleware.py, what the signals write in test_receivers.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from privacy_admin.audit.models import AuditEvent, Outcome

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def test_login_page_is_japanese(client: Client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "ログイン" in html and "ユーザー名" in html and "パスワード" in html
    assert "no-store" in response["Cache-Control"]


def test_login_and_logout_are_logged(client: Client, counter_staff: Any, password: str) -> None:
    response = client.post(LOGIN, {"username": "counter", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert AuditEvent.objects.get(action="auth.login").actor == counter_staff
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert AuditEvent.objects.get(action="auth.logout").actor == counter_staff
    assert client.get(reverse("home")).status_code == 302


def test_login_redirects_to_next(client: Client, counter_staff: Any, password: str) -> None:
    response = client.post(
        LOGIN, {"username": "counter", "password": password, "next": reverse("patrons:find")}
    )
    assert response["Location"] == reverse("patrons:find")


def test_wrong_password_shows_japanese_error(client: Client, counter_staff: Any) -> None:
    response = client.post(LOGIN, {"username": "counter", "password": "wrong"})
    assert response.status_code == 200
    assert "正しいユーザー名とパスワードを入力してください" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.outcome, event.target_id) == (Outcome.FAILURE, str(counter_staff.pk))


def test_lockout_after_repeated_failures(client: Client, counter_staff: Any, password: str) -> None:
    responses = [
        client.post(LOGIN, {"username": "counter", "password": f"wrong-{i}"})
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert "一時的にロックされています" in responses[-1].content.decode()
    # Even the right password is refused while locked.
    response = client.post(LOGIN, {"username": "counter", "password": password})
    assert "一時的にロックされています" in response.content.decode()
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    assert AuditEvent.objects.filter(action="auth.locked_out", outcome=Outcome.DENIED).exists()


@pytest.mark.parametrize("weak", ["short1", "1234567890", "password123"])
def test_password_validators_reject_weak_passwords(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_password_validators_accept_a_long_passphrase() -> None:
    validate_password("toshokan-no-mori-2026")
