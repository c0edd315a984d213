"""A broker outage never turns a committed reservation-ready into an error (architecture rule 3).

The API and the counter answer the success they committed; the e-mail notice stays queued, the
failed dispatch is logged with ids only and remembered, and the dispatch sweeper sends it — once —
when the broker is back. The database is transactional here so that ``on_commit`` runs inside the
request, as in production.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from loans import notices, services
from loans.models import Item, Notice, Reservation
from patrons.models import Patron
from privacy_admin.accounts.services import api_token_create
from privacy_admin.dispatch.models import PendingDispatch
from privacy_admin.dispatch.services import pending_dispatch_sweep
from tests.factories import make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def patron(central, general_category) -> Patron:
    return make_patron(
        registered_branch=central,
        category=general_category,
        expires_on=services.today() + dt.timedelta(days=400),
    )


@pytest.fixture
def item(central) -> Item:
    return make_item(home_branch=central, title="星降る町の図書館")


def reserved(patron: Patron, item: Item) -> Reservation:
    return services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )


def assert_left_queued_and_logged(caplog: pytest.LogCaptureFixture, patron: Patron) -> Notice:
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.QUEUED and notice.channel == Notice.Channel.EMAIL
    assert PendingDispatch.objects.filter(task=notices.SEND_TASK, ids=str(notice.pk)).exists()
    failures = [r.getMessage() for r in caplog.records if r.getMessage().startswith("dispatch failed")]
    assert failures == [f"dispatch failed task={notices.SEND_TASK} ids={notice.pk} error=OperationalError"]
    text = caplog.text
    assert patron.card_number not in text and patron.email not in text and "星降る町" not in text
    assert mail.outbox == []
    return notice


def test_api_ready_answers_200_when_the_broker_is_down(
    dead_broker: Any, counter_staff: Any, patron: Patron, item: Item, caplog: pytest.LogCaptureFixture
) -> None:
    reservation = reserved(patron, item)
    api = Client(
        headers={"Authorization": f"Bearer {api_token_create(actor=None, user=counter_staff)}"},
        raise_request_exception=False,
    )
    with caplog.at_level(logging.INFO):
        response = api.post(
            f"/api/v1/reservations/{reservation.pk}/ready",
            json.dumps({"branch": "central"}),
            content_type="application/json",
        )
    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert Reservation.objects.get().status == Reservation.Status.READY
    notice = assert_left_queued_and_logged(caplog, patron)

    dead_broker.back()
    assert pending_dispatch_sweep() == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert len(mail.outbox) == 1
    # Sent once: the sweep finds nothing more, and the task does nothing for a sent notice.
    assert pending_dispatch_sweep() == 0
    notices._send_later(notice.pk)
    assert len(mail.outbox) == 1


def test_counter_capture_answers_success_when_the_broker_is_down(
    dead_broker: Any,
    login: Any,
    counter_staff: Any,
    patron: Patron,
    item: Item,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reserved(patron, item)
    client = login(counter_staff)
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO):
        response = client.post(reverse("loans:capture"), {"branch": "central", "scan": item.barcode})
    assert response.status_code == 200
    assert Reservation.objects.get().status == Reservation.Status.READY
    assert_left_queued_and_logged(caplog, patron)
    dead_broker.back()
    assert pending_dispatch_sweep() == 1
    assert Notice.objects.get().status == Notice.Status.SENT
    assert len(mail.outbox) == 1


def test_the_daily_requeue_stops_at_a_dead_broker(dead_broker: Any, patron: Patron, item: Item) -> None:
    services.reservation_mark_ready(actor=None, reservation=reserved(patron, item))
    Notice.objects.update(created_on=services.today() - dt.timedelta(days=1))
    assert notices.notices_requeue_stuck_emails() == 1
    assert Notice.objects.get().status == Notice.Status.QUEUED
    assert PendingDispatch.objects.count() == 1
