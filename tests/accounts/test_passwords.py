"""Passwords expire and must be changed; an administrator's password must be changed at once; none of the
last 5 may be reused (002: パスワードには有効期間を設定し、定期的な変更を操作員に求めている)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy_admin.accounts.models import PasswordHistory, PasswordState
from privacy_admin.accounts.passwords import PasswordHistoryValidator, require_change
from privacy_admin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CHANGE = reverse("accounts:password_change")
NEW = "toshokan-no-mori-2026"


def _age_password(user: Any, days: int) -> None:
    PasswordState.objects.filter(user=user).update(changed_at=timezone.now() - dt.timedelta(days=days))


def _sign_in(client: Client, username: str, password: str) -> Any:
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _change(client: Client, old: str, new: str) -> Any:
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_setting_a_password_records_its_hash_and_restarts_the_clock(counter_staff, password) -> None:
    state = PasswordState.objects.get(user=counter_staff)
    assert not state.must_change
    assert (timezone.now() - state.changed_at).total_seconds() < 60
    stored = list(PasswordHistory.objects.filter(user=counter_staff).values_list("password", flat=True))
    assert stored == [counter_staff.password]
    assert password not in stored[0]


def test_expired_password_forces_a_change_before_anything_else(
    client: Client, counter_staff, password
) -> None:
    _age_password(counter_staff, 91)
    response = _sign_in(client, "counter", password)
    assert client.get(response["Location"])["Location"] == CHANGE
    for url in (reverse("home"), reverse("patrons:find"), reverse("loans:counter")):
        assert client.get(url)["Location"] == CHANGE
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "パスワードの有効期間（90日）が過ぎました" in page.content.decode()
    response = _change(client, password, NEW)
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    state = PasswordState.objects.get(user=counter_staff)
    assert (timezone.now() - state.changed_at).total_seconds() < 60
    event = AuditEvent.objects.get(action="auth.password_changed")
    assert (event.actor, event.target_id) == (counter_staff, str(counter_staff.pk))


def test_password_within_its_period_is_not_forced(client: Client, counter_staff, password) -> None:
    _age_password(counter_staff, 89)
    _sign_in(client, "counter", password)
    assert client.get(reverse("home")).status_code == 200


def test_expiry_is_a_setting_and_zero_switches_it_off(
    client: Client, counter_staff, password, settings
) -> None:
    settings.PASSWORD_EXPIRY_DAYS = 0
    _age_password(counter_staff, 400)
    _sign_in(client, "counter", password)
    assert client.get(reverse("home")).status_code == 200


def test_sign_out_stays_possible_while_a_change_is_due(client: Client, counter_staff, password) -> None:
    _age_password(counter_staff, 100)
    _sign_in(client, "counter", password)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == LOGIN
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)


def test_the_api_answers_403_while_a_change_is_due(client: Client, counter_staff, password) -> None:
    _age_password(counter_staff, 100)
    _sign_in(client, "counter", password)
    response = client.get("/api/v1/branches")
    assert response.status_code == 403
    assert "パスワードの変更が必要です" in response.json()["detail"]


def test_must_change_forces_a_change_at_sign_in(client: Client, counter_staff, password) -> None:
    require_change(counter_staff)
    _sign_in(client, "counter", password)
    assert client.get(reverse("home"))["Location"] == CHANGE
    assert "管理者が設定したパスワード" in client.get(CHANGE).content.decode()
    _change(client, password, NEW)
    assert not PasswordState.objects.get(user=counter_staff).must_change
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("back", range(5))
def test_each_of_the_last_five_passwords_is_refused(counter_staff, back) -> None:
    used = [f"kotoba-no-ki-{n}-2026" for n in range(6)]
    for p in used:
        counter_staff.set_password(p)
        counter_staff.save()
    assert PasswordHistory.objects.filter(user=counter_staff).count() == 5
    with pytest.raises(ValidationError) as exc:
        validate_password(used[-1 - back], counter_staff)
    assert "直近5回までに使ったパスワードは使用できません" in " ".join(exc.value.messages)


def test_the_sixth_password_back_may_be_used_again(counter_staff) -> None:
    used = [f"kotoba-no-ki-{n}-2026" for n in range(6)]
    for p in used:
        counter_staff.set_password(p)
        counter_staff.save()
    validate_password(used[0], counter_staff)


def test_reuse_on_the_change_page_is_refused_and_nothing_changes(
    client: Client, counter_staff, password
) -> None:
    _age_password(counter_staff, 100)
    _sign_in(client, "counter", password)
    before = counter_staff.password
    response = _change(client, password, password)
    assert response.status_code == 200
    assert "直近5回までに使ったパスワードは使用できません" in response.content.decode()
    counter_staff.refresh_from_db()
    assert counter_staff.password == before
    assert not AuditEvent.objects.filter(action="auth.password_changed").exists()
    assert client.get(reverse("home"))["Location"] == CHANGE


def test_wrong_current_password_is_refused(client: Client, counter_staff, password) -> None:
    _sign_in(client, "counter", password)
    response = _change(client, "not-my-password", NEW)
    assert response.status_code == 200
    assert "入力内容を確認してください" in response.content.decode()
    counter_staff.refresh_from_db()
    assert counter_staff.check_password(password)


def test_every_role_may_change_its_password(client: Client, login, contractor_operator, password) -> None:
    # The change page is open to every signed-in account; anonymous visitors go to the sign-in page.
    assert client.get(CHANGE)["Location"].startswith(LOGIN)
    page = login(contractor_operator).get(CHANGE)
    assert page.status_code == 200


def test_validator_help_text_is_japanese() -> None:
    assert "直近5回" in PasswordHistoryValidator().get_help_text()


# --- strength (issue 14 §4) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "weak,explained",
    [
        ("          ", "空白だけ"),
        ("　　　　　　　　　　", "空白だけ"),
        ("パスワードパスワード", "繰り返し"),
        ("aaaaaaaaaa", "繰り返し"),
        ("abcabcabcabc", "繰り返し"),
        ("qwertyuiop", "推測されやすい"),
        ("1qaz2wsx3edc", "推測されやすい"),
        ("asdfghjkl;", "推測されやすい"),
    ],
)
def test_weak_staff_passwords_are_refused_in_japanese(
    privacy_officer: Any, weak: str, explained: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_password(weak, privacy_officer)
    assert any(explained in m for m in exc.value.messages), exc.value.messages


@pytest.mark.parametrize(
    "good",
    [
        "Shiori-Counter-2026",
        "Hogo-Sekinin-2026",
        "Kanri-Master-2026",
        "Itaku-Uketori-2026",
        "Gakko-Shien-2026",
        "toshokan-no-mori-2026",
        "図書館の本を読む日々",
    ],
)
def test_the_demo_and_ordinary_passwords_pass(db: Any, good: str) -> None:
    validate_password(good)


def test_the_factories_password_passes(db: Any, password: str) -> None:
    validate_password(password)


def test_a_privacy_officer_cannot_set_ten_spaces(login: Any, privacy_officer: Any, password: str) -> None:
    client = login(privacy_officer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": " " * 10, "new_password2": " " * 10},
    )
    assert response.status_code == 200
    assert "空白だけのパスワードは使用できません" in response.content.decode()
    privacy_officer.refresh_from_db()
    assert privacy_officer.check_password(password)


@pytest.mark.parametrize("weak", ["パスワードパスワード", "qwertyuiop", "aaaaaaa", "      "])
def test_patron_passwords_use_the_same_rule(weak: str) -> None:
    from patrons.services.validation import _Clean, _clean_password

    clean = _Clean()
    _clean_password(clean, weak, card_hint="2100000001")
    assert clean.errors.get("password"), weak
