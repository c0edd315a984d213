"""Sign-in, sign-out, failures, lockout and the idle timeout all reach the access log (domain §10)."""

from __future__ import annotations

import json
import time
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


def test_failed_login_for_unknown_name_does_not_record_what_was_typed(client: Client, db: Any) -> None:
    typed = "Correct-Horse-42-typed-in-the-wrong-box"
    client.post(LOGIN, {"username": typed, "password": "x"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.target_id == ""
    assert event.detail == {"known_account": False}
    stored = json.dumps([event.actor_username, event.target_id, event.detail], ensure_ascii=False)
    assert typed not in stored


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


def test_idle_session_is_signed_out(login: Any, counter_staff: Any) -> None:
    client = login(counter_staff)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["_last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT_SECONDS - 5
    session.save()
    response = client.get(reverse("patrons:find"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.detail == {"reason": "idle_timeout"}
    assert event.actor == counter_staff
    page = client.get(LOGIN).content.decode()
    assert "一定時間操作がなかったため" in page
    assert client.get(reverse("home")).status_code == 302


def test_active_session_stays_signed_in(login: Any, counter_staff: Any) -> None:
    client = login(counter_staff)
    client.get(reverse("home"))
    session = client.session
    session["_last_seen"] = int(time.time()) - 60
    session.save()
    assert client.get(reverse("patrons:find")).status_code == 200
    assert not AuditEvent.objects.filter(action="auth.logout").exists()


@pytest.mark.parametrize("weak", ["short1", "1234567890", "password123"])
def test_password_validators_reject_weak_passwords(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_password_validators_accept_a_long_passphrase() -> None:
    validate_password("toshokan-no-mori-2026")
