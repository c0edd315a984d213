"""The erasure promise holds on an operator's counter too (方針 第3(2)(3); 002).

A pickup-counter operator hands over a reservation and later takes the book back, over HTTP; then the
scan of every column of every table (tests/loans/test_privacy_invariant.py) finds no row that still
ties the patron to the item — outsourcing's own tables (contracts, reports, print attempts) included.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from loans.models import Loan, Reservation
from tests.loans.test_privacy_invariant import item_marks, patron_marks, scan_database

from .scope_world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(central: Any, pickup_counter: Any, general_category: Any) -> World:
    return build_world(central, pickup_counter, general_category)


def test_hand_over_and_return_at_an_operators_counter_leave_no_link(world: World, login: Any) -> None:
    client = login(world.op_east)
    reservation = world.ready_east
    patron, item = world.reader, reservation.item
    first = client.post(reverse("loans:pickup"), {"branch": world.east.code, "scan": patron.card_number})
    token = first.context["patron_token"]
    handed = client.post(
        reverse("loans:pickup"), {"branch": world.east.code, "scan": item.barcode, "patron_token": token}
    )
    assert handed.status_code == 200 and not Reservation.objects.filter(pk=reservation.pk).exists()
    loan = Loan.objects.get(item=item)
    client.post(reverse("operator_print_attempt"), {"view": "loans:pickup"})
    returned = client.post(reverse("loans:return"), {"branch": world.east.code, "scan": item.barcode})
    assert returned.status_code == 200 and not Loan.objects.filter(pk=loan.pk).exists()

    findings = scan_database(
        finished={(patron.pk, item.pk)},
        ended_loans={loan.pk: (patron.pk, item.pk)},
        ended_reservations={reservation.pk: (patron.pk, item.pk)},
        patrons=[patron_marks(patron)],
        items=[item_marks(item)],
        open_damage_cases=set(),
    )
    assert not findings, "privacy invariant broken:\n" + "\n".join(str(f) for f in findings)
