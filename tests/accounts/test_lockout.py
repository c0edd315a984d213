"""Sign-in lockout that holds (issue 14 §4): per account across addresses, per address across accounts,
logged, and lifted by an administrator only."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from privacy_admin.accounts.lockout import account_locked, address_locked
from privacy_admin.audit.models import AuditEvent, Outcome

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOCKOUTS = reverse("accounts:lockouts")
LOCKED = "一時的にロックされています"
A = "192.0.2.10"
B = "198.51.100.20"


def sign_in(username: str, password: str, address: str) -> Any:
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def signed_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_the_limits_are_ten_per_account_and_twenty_per_address() -> None:
    assert (settings.ACCOUNT_LOCKOUT_FAILURES, settings.ADDRESS_LOCKOUT_FAILURES) == (10, 20)


def test_many_usernames_from_one_address_lock_the_address(administrator: Any, password: str) -> None:
    # The attack of issue 14: 120 failures over 30 usernames, 4 each (never an account's limit).
    for i in range(120):
        sign_in(f"guess-{i % 30}", f"wrong-{i}", A)
    assert address_locked(A)
    response = sign_in("admin", password, A)
    assert not signed_in(response)
    assert LOCKED in response.content.decode()
    # The account itself is not locked: its owner signs in from elsewhere.
    assert signed_in(sign_in("admin", password, B))


def test_the_address_locks_at_its_limit(counter_staff: Any, password: str) -> None:
    for i in range(settings.ADDRESS_LOCKOUT_FAILURES - 1):
        sign_in(f"guess-{i}", "wrong", A)
    assert not address_locked(A)
    sign_in("guess-last", "wrong", A)
    assert address_locked(A)
    assert not signed_in(sign_in("counter", password, A))


def test_an_account_locked_from_one_address_cannot_sign_in_from_another(
    counter_staff: Any, password: str
) -> None:
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        sign_in("counter", f"wrong-{i}", A)
    assert account_locked("counter")
    response = sign_in("counter", password, B)
    assert not signed_in(response)
    assert LOCKED in response.content.decode()


def test_failures_spread_over_addresses_lock_the_account(counter_staff: Any, password: str) -> None:
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        sign_in("counter", "wrong", f"203.0.113.{i + 1}")
    assert not signed_in(sign_in("counter", password, "203.0.113.200"))


def test_below_the_limits_the_right_password_still_works(counter_staff: Any, password: str) -> None:
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES - 1):
        sign_in("counter", f"wrong-{i}", A)
    assert signed_in(sign_in("counter", password, A))
    # Success clears the account's own failures.
    assert not AccessAttempt.objects.filter(username="counter").exists()


def test_a_success_does_not_clear_what_others_failed_from_the_same_address(
    counter_staff: Any, administrator: Any, password: str
) -> None:
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES - 1):
        sign_in("admin", f"wrong-{i}", A)
    assert signed_in(sign_in("counter", password, A))
    sign_in("admin", "wrong-again", A)
    assert account_locked("admin")


def test_the_lockout_is_logged(counter_staff: Any) -> None:
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        sign_in("counter", f"wrong-{i}", A)
    event = AuditEvent.objects.filter(action="auth.locked_out").first()
    assert event is not None
    assert (event.outcome, event.target_id) == (Outcome.DENIED, str(counter_staff.pk))
    assert event.detail == {"known_account": True, "scope": "account"}
    assert event.ip == A


def test_an_address_lockout_is_logged_as_such(db: Any) -> None:
    for i in range(settings.ADDRESS_LOCKOUT_FAILURES):
        sign_in(f"guess-{i}", "wrong", A)
    event = AuditEvent.objects.filter(action="auth.locked_out").last()
    assert event is not None
    assert (event.detail, event.ip) == ({"known_account": False, "scope": "address"}, A)


def test_the_locked_out_page_is_japanese(counter_staff: Any) -> None:
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        response = sign_in("counter", f"wrong-{i}", A)
    html = response.content.decode()
    assert "ログインできません" in html and LOCKED in html and "管理者" in html


# --- unlocking --------------------------------------------------------------------------------


def _lock_counter() -> None:
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        sign_in("counter", f"wrong-{i}", A)


def test_an_administrator_sees_and_unlocks_an_account(
    login: Any, administrator: Any, counter_staff: Any, password: str
) -> None:
    _lock_counter()
    client = login(administrator)
    page = client.get(LOCKOUTS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "ロック解除" in html and "counter" in html
    response = client.post(LOCKOUTS, {"kind": "account", "user_id": counter_staff.pk})
    assert response.status_code == 302
    assert not account_locked("counter")
    event = AuditEvent.objects.get(action="auth.lockout_cleared")
    assert (event.actor, event.target_type, event.target_id) == (administrator, "user", str(counter_staff.pk))
    assert signed_in(sign_in("counter", password, B))


def test_an_administrator_unlocks_an_address(
    login: Any, administrator: Any, counter_staff: Any, password: str
) -> None:
    for i in range(settings.ADDRESS_LOCKOUT_FAILURES):
        sign_in(f"guess-{i}", "wrong", A)
    client = login(administrator)
    assert A in client.get(LOCKOUTS).content.decode()
    client.post(LOCKOUTS, {"kind": "address", "ip_address": A})
    assert not address_locked(A)
    assert AuditEvent.objects.filter(action="auth.lockout_cleared", target_type="address").exists()
    assert signed_in(sign_in("counter", password, A))


def test_the_page_does_not_list_names_that_are_no_account(login: Any, administrator: Any) -> None:
    typed = "Correct-Horse-typed-in-the-wrong-box"
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        sign_in(typed, "x", f"203.0.113.{i + 1}")
    assert typed not in login(administrator).get(LOCKOUTS).content.decode()


@pytest.mark.parametrize("kind,value", [("address", "not-an-ip"), ("account", "999999999"), ("x", "")])
def test_bad_unlock_input_changes_nothing(
    login: Any, administrator: Any, counter_staff: Any, kind: str, value: str
) -> None:
    _lock_counter()
    response = login(administrator).post(
        LOCKOUTS, {"kind": kind, "ip_address": value, "user_id": value}, follow=True
    )
    assert response.status_code == 200
    assert account_locked("counter")
    assert not AuditEvent.objects.filter(action="auth.lockout_cleared").exists()


@pytest.mark.parametrize(
    "persona", ["counter_staff", "privacy_officer", "contractor_operator", "no_role_user"], indirect=True
)
def test_other_roles_may_not_see_or_unlock(persona: Any, login: Any, administrator: Any) -> None:
    for i in range(settings.ACCOUNT_LOCKOUT_FAILURES):
        sign_in("admin", f"wrong-{i}", A)
    client = login(persona)
    assert client.get(LOCKOUTS).status_code == 403
    assert client.post(LOCKOUTS, {"kind": "account", "user_id": administrator.pk}).status_code == 403
    assert account_locked("admin")
    assert not AuditEvent.objects.filter(action="auth.lockout_cleared").exists()
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).exists()


def test_anonymous_is_sent_to_sign_in(db: Any) -> None:
    response = Client().get(LOCKOUTS)
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_a_name_longer_than_any_username_counts_as_one_failure_not_a_server_error() -> None:
    # Found by the form fuzz test: axes stored the typed name in a 255-character column and the sign-in
    # page answered 500 for a 10,000-character one.
    response = sign_in("あ" * 10_000, "wrong", A)

    assert response.status_code == 200
    (attempt,) = AccessAttempt.objects.filter(ip_address=A)
    assert attempt.username == "あ" * 150
