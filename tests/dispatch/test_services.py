"""Dispatch after commit survives a dead broker: logged with ids only, remembered, swept once back."""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from privacy_admin.dispatch import services
from privacy_admin.dispatch.models import PendingDispatch
from tests.dispatch.helpers import RAN, TASK

pytestmark = pytest.mark.django_db


def test_a_dead_broker_leaves_the_commit_standing_and_the_work_remembered(
    dead_broker: Any, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    started = time.monotonic()
    with (
        caplog.at_level(logging.WARNING, logger="privacy_admin.dispatch"),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        services.dispatch_on_commit(TASK, 41)
    assert time.monotonic() - started < 5  # Celery's publish retry does not hang the request
    row = PendingDispatch.objects.get()
    assert (row.task, row.ids, row.attempts) == (TASK, "41", 1)
    assert caplog.messages == [f"dispatch failed task={TASK} ids=41 error=OperationalError"]
    assert RAN == []


def test_the_sweeper_sends_it_once_the_broker_is_back(dead_broker: Any) -> None:
    assert services.dispatch_now(TASK, 7) is False
    assert services.dispatch_now(TASK, 7) is False  # remembered once, attempts counted
    assert PendingDispatch.objects.get().attempts == 2
    assert services.pending_dispatch_sweep() == 0  # still down: kept
    assert PendingDispatch.objects.get().attempts == 3
    dead_broker.back()
    assert services.pending_dispatch_sweep() == 1
    assert RAN == [7]
    assert not PendingDispatch.objects.exists()
    assert services.pending_dispatch_sweep() == 0
    assert RAN == [7]


def test_the_sweeper_stops_at_the_first_failure(dead_broker: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(5):
        services.dispatch_now(TASK, i)
    calls: list[Any] = []
    real = services.dispatch_now

    def counting(*args: Any, **kwargs: Any) -> bool:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "dispatch_now", counting)
    services.pending_dispatch_sweep()
    assert len(calls) == 1
    assert PendingDispatch.objects.count() == 5


def test_a_dispatch_failing_for_a_day_is_given_up(dead_broker: Any) -> None:
    services.dispatch_now(TASK, 3)
    PendingDispatch.objects.update(failed_at=timezone.now() - dt.timedelta(days=2))
    dead_broker.back()
    assert services.pending_dispatch_sweep() == 0
    assert not PendingDispatch.objects.exists()
    assert RAN == []


def test_with_the_broker_up_nothing_is_remembered(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.dispatch_on_commit(TASK, 5)
    assert RAN == [5]
    assert not PendingDispatch.objects.exists()


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.dispatch_on_commit(TASK, 5)
        raise RuntimeError
    assert RAN == []


@pytest.mark.parametrize("ids", [(), ("12",), (1.5,), (True,)])
def test_ids_only(ids: tuple[Any, ...]) -> None:
    with pytest.raises(TypeError):
        services.dispatch_on_commit(TASK, *ids)
