"""On the end date the accounts close (004 特記事項10; issue: the end date closes the accounts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from outsourcing import tasks
from outsourcing.gate import end_step_pending
from outsourcing.models import Contract
from privacy_admin.accounts.models import ApiToken
from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.models import AuditEvent

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _ended_yesterday(branch) -> Contract:
    return make_contract(
        branches=[branch], starts_on=TODAY - dt.timedelta(days=365), ends_on=TODAY - dt.timedelta(days=1)
    )


def test_the_task_closes_contracts_past_their_end_date(pickup_counter, password) -> None:
    ended = _ended_yesterday(pickup_counter)
    running = make_contract(branches=[pickup_counter])
    gone = make_operator(ended, "old-op")
    staying = make_operator(running, "new-op")
    # The token was issued while the contract was in force (none is issued after: issue 14).
    Contract.objects.filter(pk=ended.pk).update(ends_on=TODAY)
    token = api_token_create(actor=None, user=gone)
    Contract.objects.filter(pk=ended.pk).update(ends_on=TODAY - dt.timedelta(days=1))
    # The operator of the ended contract still had a session open.
    client = Client()
    client.force_login(gone, backend="django.contrib.auth.backends.ModelBackend")

    tasks.close_ended_contracts.delay()

    ended.refresh_from_db()
    running.refresh_from_db()
    gone.refresh_from_db()
    staying.refresh_from_db()
    assert ended.status == Contract.Status.ENDED and ended.closed_at is not None
    assert running.status == Contract.Status.DRAFT
    assert not gone.is_active and staying.is_active
    assert ApiToken.objects.get(prefix=token.split("_")[1]).revoked_at is not None
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:login"))
    event = AuditEvent.objects.get(action="contract.close")
    assert (event.target_id, event.detail, event.role) == (str(ended.pk), {"accounts_closed": 1}, "system")
    # The end step opens: data returned or erased, still to be certified.
    assert end_step_pending(ended)


def test_the_last_day_is_still_a_working_day(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], ends_on=TODAY)
    user = make_operator(contract, "op")
    tasks.close_ended_contracts()
    user.refresh_from_db()
    assert user.is_active
    assert not AuditEvent.objects.filter(action="contract.close").exists()


def test_the_task_is_idempotent(pickup_counter) -> None:
    _ended_yesterday(pickup_counter)
    tasks.close_ended_contracts()
    tasks.close_ended_contracts()
    assert AuditEvent.objects.filter(action="contract.close").count() == 1


def test_a_closed_operator_cannot_sign_in_again(client: Client, pickup_counter, password) -> None:
    ended = _ended_yesterday(pickup_counter)
    make_operator(ended, "old-op")
    tasks.close_ended_contracts()
    response = client.post(reverse("accounts:login"), {"username": "old-op", "password": password})
    assert "このアカウントは現在利用できません。図書館にお問い合わせください。" in response.content.decode()
