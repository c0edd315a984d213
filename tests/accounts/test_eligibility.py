"""No API token for an account that cannot sign in, and a token stops working when its account is locked,
closed or expired, or its contract ends (issue 14 §4) — even while the token's lookup is remembered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from outsourcing.models import ClauseAgreement
from privacy_admin.accounts import tokens
from privacy_admin.accounts.models import ApiToken, PasswordState
from privacy_admin.accounts.passwords import require_change
from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.models import AuditEvent, Outcome
from tests.outsourcing.factories import make_contract, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    tokens.forget()
    yield
    tokens.forget()


def get(raw: str) -> Any:
    return Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/branches")


def warm(raw: str) -> None:
    assert get(raw).status_code == 200
    assert get(raw).status_code == 200  # the second one from the remembered lookup


def lock(username: str) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address="192.0.2.1",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
        failures_since_start=settings.ACCOUNT_LOCKOUT_FAILURES,
        attempt_time=timezone.now(),
    )


def refused(response: Any) -> bool:
    return response.status_code == 401 and response["Content-Type"].startswith("application/json")


# --- issuing ----------------------------------------------------------------------------------


def test_no_token_for_a_locked_account(counter_staff: Any) -> None:
    lock("counter")
    with pytest.raises(ValidationError) as exc:
        api_token_create(actor=None, user=counter_staff)
    assert "APIトークンを発行できません" in exc.value.messages[0]
    assert not ApiToken.objects.exists()
    event = AuditEvent.objects.get(action="api_token.create_refused")
    assert (event.outcome, event.detail) == (Outcome.DENIED, {"reason": "locked"})


def test_no_token_for_an_expired_password(counter_staff: Any) -> None:
    PasswordState.objects.filter(user=counter_staff).update(
        changed_at=timezone.now() - dt.timedelta(days=365)
    )
    with pytest.raises(ValidationError):
        api_token_create(actor=None, user=counter_staff)
    assert not ApiToken.objects.exists()


def test_no_token_for_an_inactive_account(counter_staff: Any) -> None:
    counter_staff.is_active = False
    counter_staff.save()
    with pytest.raises(ValidationError):
        api_token_create(actor=None, user=counter_staff)


def test_no_token_for_an_operator_whose_contract_is_pending(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)  # 手続中 (pending)
    operator = make_operator(contract, "pending-op")
    with pytest.raises(ValidationError):
        api_token_create(actor=None, user=operator)
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.get(action="api_token.create_refused").detail == {
        "reason": "contract_not_in_force"
    }


def test_no_token_for_an_untrained_operator_or_one_without_a_contract(
    pickup_counter: Any, contractor_operator: Any
) -> None:
    untrained = make_operator(make_contract(branches=[pickup_counter]), "untrained", trained=False)
    for user in (untrained, contractor_operator):
        with pytest.raises(ValidationError):
            api_token_create(actor=None, user=user)


def test_the_command_refuses_with_a_message(pickup_counter: Any) -> None:
    make_operator(make_contract(branches=[pickup_counter], in_force=False), "pending-op")
    with pytest.raises(CommandError, match="APIトークンを発行できません"):
        call_command("create_api_token", "pending-op", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_an_operator_of_a_contract_in_force_gets_a_working_token(working_operator: Any) -> None:
    assert get(api_token_create(actor=None, user=working_operator)).status_code == 200


# --- a token that worked stops working --------------------------------------------------------


def test_a_token_stops_when_its_account_is_locked(counter_staff: Any) -> None:
    raw = api_token_create(actor=None, user=counter_staff)
    warm(raw)
    lock("counter")
    assert refused(get(raw))
    event = AuditEvent.objects.filter(action="api_token.refused").last()
    assert event is not None and event.detail == {"reason": "locked"}
    AccessAttempt.objects.all().delete()  # an administrator unlocks
    assert get(raw).status_code == 200


def test_a_token_stops_when_its_account_is_deactivated(counter_staff: Any) -> None:
    raw = api_token_create(actor=None, user=counter_staff)
    warm(raw)
    counter_staff.is_active = False
    counter_staff.save()
    assert refused(get(raw))


def test_a_token_stops_when_the_password_expires_or_must_change(counter_staff: Any) -> None:
    raw = api_token_create(actor=None, user=counter_staff)
    warm(raw)
    PasswordState.objects.filter(user=counter_staff).update(changed_at=timezone.now() - dt.timedelta(days=91))
    assert refused(get(raw))
    PasswordState.objects.filter(user=counter_staff).update(changed_at=timezone.now())
    assert get(raw).status_code == 200
    require_change(counter_staff)
    assert refused(get(raw))


def test_a_token_stops_when_the_contract_stops_being_in_force(working_operator: Any) -> None:
    raw = api_token_create(actor=None, user=working_operator)
    warm(raw)
    ClauseAgreement.objects.all().delete()  # no longer in force: back to 手続中
    assert refused(get(raw))
    assert AuditEvent.objects.filter(
        action="api_token.refused", detail__reason="contract_not_in_force"
    ).exists()
