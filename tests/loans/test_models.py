"""loans.models: the database keeps the reservation rules — one reservation per patron and item, one held
copy per item, a hold with its last day — and a safety-net run reports what it erased by kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from loans import erasure
from loans.models import Reservation, SafetyNetRun
from tests.factories import make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db


def reservation(item, patron, branch, **fields) -> Reservation:
    fields.setdefault("reserved_at", timezone.now())
    return Reservation.objects.create(item=item, patron=patron, pickup_branch=branch, **fields)


def test_a_patron_reserves_an_item_once(central, general_category) -> None:
    item, patron = (
        make_item(home_branch=central),
        make_patron(registered_branch=central, category=general_category),
    )
    reservation(item, patron, central)
    with pytest.raises(IntegrityError), transaction.atomic():
        reservation(item, patron, central)


def test_one_copy_is_held_for_one_patron_at_a_time(central, general_category) -> None:
    item = make_item(home_branch=central)
    first, second = (make_patron(registered_branch=central, category=general_category) for _ in range(2))
    hold = {"status": Reservation.Status.READY, "hold_until": dt.date(2026, 12, 1)}
    reservation(item, first, central, **hold)
    with pytest.raises(IntegrityError), transaction.atomic():
        reservation(item, second, central, **hold)
    reservation(item, second, central)  # waiting behind is fine


def test_a_ready_hold_has_its_last_day(central, general_category) -> None:
    item, patron = (
        make_item(home_branch=central),
        make_patron(registered_branch=central, category=general_category),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        reservation(item, patron, central, status=Reservation.Status.READY)


def test_a_safety_net_run_counts_loans_and_reservations_by_rule() -> None:
    run = SafetyNetRun.objects.create(
        started_at=timezone.now(),
        erased={
            erasure.RETURNED_LOAN.code: 3,
            erasure.EXPIRED_RESERVATION.code: 2,
            erasure.WITHDRAWN_ITEM_RESERVATION.code: 1,
        },
    )
    assert (run.loans_erased, run.reservations_erased) == (3, 3)


def test_a_run_from_before_the_rules_had_codes_counts_its_reservations() -> None:
    run = SafetyNetRun.objects.create(started_at=timezone.now(), erased={"reservations": 4})
    assert (run.loans_erased, run.reservations_erased) == (0, 4)


def test_names_say_the_kind_and_the_id_only(central, general_category) -> None:
    item = make_item(home_branch=central)
    assert str(item) == f"資料 #{item.pk}"
    held = reservation(item, make_patron(registered_branch=central, category=general_category), central)
    assert str(held) == f"予約 #{held.pk}"
    assert item.title not in str(held)
