"""outsourcing.auth — the gate at sign-in and on every request: an operator signs in only while their
contract is in force and they are trained (002), and an open session ends once the contract stops being
in force. The sign-in page never says why."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from outsourcing.models import ClauseAgreement, Contract
from privacy_admin.audit.models import AuditEvent, Outcome

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
UNAVAILABLE = "このアカウントは現在利用できません。図書館にお問い合わせください。"


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def test_operator_of_a_contract_in_force_signs_in(client: Client, pickup_counter, password) -> None:
    contract = make_contract(branches=[pickup_counter])
    user = make_operator(contract, "uketori")
    response = _sign_in(client, "uketori", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert AuditEvent.objects.get(action="auth.login").actor == user
    assert client.get(reverse("home")).status_code == 200


def test_operator_of_a_contract_not_in_force_is_refused_without_a_reason(
    client: Client, pickup_counter, password
) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    make_operator(contract, "uketori")
    response = _sign_in(client, "uketori", password)
    assert response.status_code == 200
    html = response.content.decode()
    assert UNAVAILABLE in html
    for reason in ("特記事項", "審議会", "取扱責任者", "研修", "契約"):
        assert reason not in html
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    event = AuditEvent.objects.get(action="operator.sign_in_refused")
    assert (event.target_type, event.target_id, event.outcome) == (
        "contract",
        str(contract.pk),
        Outcome.DENIED,
    )
    assert event.detail == {}
    assert client.get(reverse("home")).status_code == 302


def test_untrained_operator_is_refused(client: Client, pickup_counter, password) -> None:
    contract = make_contract(branches=[pickup_counter])
    make_operator(contract, "uketori", trained=False)
    assert UNAVAILABLE in _sign_in(client, "uketori", password).content.decode()


def test_operator_account_without_a_contract_is_refused(
    client: Client, contractor_operator, password
) -> None:
    response = _sign_in(client, "operator", password)
    assert UNAVAILABLE in response.content.decode()
    event = AuditEvent.objects.get(action="operator.sign_in_refused")
    assert event.target_id == ""


def test_closed_operator_account_gets_the_same_message(client: Client, pickup_counter, password) -> None:
    contract = make_contract(branches=[pickup_counter])
    user = make_operator(contract, "uketori")
    user.is_active = False
    user.save()
    assert UNAVAILABLE in _sign_in(client, "uketori", password).content.decode()
    # With a wrong password it is just a failed sign-in.
    html = _sign_in(client, "uketori", "wrong-password").content.decode()
    assert UNAVAILABLE not in html and "正しいユーザー名とパスワード" in html


def test_staff_are_not_gated(client: Client, counter_staff, password) -> None:
    assert _sign_in(client, "counter", password).status_code == 302
    assert not AuditEvent.objects.filter(action="operator.sign_in_refused").exists()


def test_open_session_ends_when_the_contract_stops_being_in_force(
    client: Client, pickup_counter, password
) -> None:
    contract = make_contract(branches=[pickup_counter])
    make_operator(contract, "uketori")
    _sign_in(client, "uketori", password)
    assert client.get(reverse("home")).status_code == 200
    ClauseAgreement.objects.filter(contract=contract).first().delete()  # type: ignore[union-attr]
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_URL)
    event = AuditEvent.objects.get(action="operator.session_ended")
    assert (event.target_id, event.outcome) == (str(contract.pk), Outcome.DENIED)
    assert UNAVAILABLE in client.get(LOGIN).content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_open_session_ends_when_the_contract_is_closed(client: Client, pickup_counter, password) -> None:
    contract = make_contract(branches=[pickup_counter])
    make_operator(contract, "uketori")
    _sign_in(client, "uketori", password)
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED)
    assert client.get(reverse("home")).status_code == 302
    assert AuditEvent.objects.filter(action="operator.session_ended").exists()


def test_api_session_of_a_gated_operator_is_unauthenticated(client: Client, pickup_counter, password) -> None:
    contract = make_contract(branches=[pickup_counter])
    make_operator(contract, "uketori")
    _sign_in(client, "uketori", password)
    ClauseAgreement.objects.filter(contract=contract).delete()
    response = client.get("/api/v1/branches")
    assert response.status_code == 401


def test_repeated_failures_lock_out_an_operator(client: Client, pickup_counter, password) -> None:
    contract = make_contract(branches=[pickup_counter])
    make_operator(contract, "uketori")
    assert settings.ACCOUNT_LOCKOUT_FAILURES == 10
    responses = [_sign_in(client, "uketori", f"wrong-{i}") for i in range(settings.ACCOUNT_LOCKOUT_FAILURES)]
    assert "一時的にロックされています" in responses[-1].content.decode()
    response = _sign_in(client, "uketori", password)
    assert "一時的にロックされています" in response.content.decode()
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    assert AuditEvent.objects.filter(action="auth.locked_out", outcome=Outcome.DENIED).exists()
