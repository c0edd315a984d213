"""Circulation reads scoped to the actor: out of scope looks absent, and the attempt is logged
naming the patron only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from loans import selectors, services
from loans.models import Item, Reservation
from patrons.models import Branch, Patron
from privacy_admin.audit.models import AuditEvent, Outcome
from tests.factories import make_branch, make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def kita(db) -> Branch:
    return make_branch(code="kita", name="北分館", kind=Branch.Kind.BRANCH)


@pytest.fixture
def patron(central, general_category) -> Patron:
    return make_patron(registered_branch=central, category=general_category, expires_on=dt.date(2029, 4, 1))


@pytest.fixture
def other(central, general_category) -> Patron:
    return make_patron(registered_branch=central, category=general_category, expires_on=dt.date(2029, 4, 1))


def lend(patron: Patron, item: Item, on: dt.date = TODAY) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central", on=on
    )


def reserve(
    patron: Patron, item: Item, pickup: str = "central", *, ready_on: dt.date | None = None
) -> Reservation:
    reservation = services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code=pickup, on=TODAY
    )
    if ready_on is not None:
        services.reservation_mark_ready(actor=None, reservation=reservation, on=ready_on)
        reservation.refresh_from_db()
    return reservation


def test_get_reservation_for_staff(counter_staff, patron, central) -> None:
    reservation = reserve(patron, make_item(home_branch=central))
    assert selectors.get_reservation_for(counter_staff, reservation.pk) == reservation


def test_reservation_out_of_scope_is_404_and_logged_by_patron_only(
    contractor_operator, patron, central
) -> None:
    item = make_item(home_branch=central)
    reservation = reserve(patron, item)
    with pytest.raises(Http404):
        selectors.get_reservation_for(contractor_operator, reservation.pk)
    event = AuditEvent.objects.get(action="circulation.out_of_scope")
    assert (event.outcome, event.target_type, event.patron_id) == (Outcome.DENIED, "patron", patron.pk)
    assert event.detail == {"lookup": "reservation"}
    assert event.target_id == str(patron.pk)


def test_unknown_reservation_is_404_without_a_trace(counter_staff) -> None:
    with pytest.raises(Http404):
        selectors.get_reservation_for(counter_staff, 424242)
    assert not AuditEvent.objects.filter(action="circulation.out_of_scope").exists()


def test_loans_of_patron_only_theirs_by_due_date(counter_staff, patron, other, central) -> None:
    later, sooner, theirs = (make_item(home_branch=central) for _n in range(3))
    lend(patron, later, on=TODAY)
    lend(patron, sooner, on=TODAY - dt.timedelta(days=5))
    lend(other, theirs)
    assert [loan.item for loan in selectors.loans_of_patron(counter_staff, patron)] == [sooner, later]


def test_loans_of_patron_are_empty_for_a_contractor(contractor_operator, patron, central) -> None:
    lend(patron, make_item(home_branch=central))
    assert selectors.loans_of_patron(contractor_operator, patron) == []


def test_ready_reservations_at_a_branch(counter_staff, patron, central, kita) -> None:
    here = reserve(patron, make_item(home_branch=central), ready_on=TODAY)
    reserve(patron, make_item(home_branch=central))  # waiting
    reserve(patron, make_item(home_branch=kita), pickup="kita", ready_on=TODAY)  # ready elsewhere
    assert selectors.ready_reservations_of_patron_at(counter_staff, patron, central) == [here]


def test_hold_shelf_lists_ready_items_oldest_hold_first(counter_staff, patron, other, central) -> None:
    newer = reserve(patron, make_item(home_branch=central), ready_on=TODAY)
    older = reserve(other, make_item(home_branch=central), ready_on=TODAY - dt.timedelta(days=3))
    reserve(other, make_item(home_branch=central))
    assert list(selectors.reservations_for_pickup_counter(counter_staff, central)) == [older, newer]


def test_hold_shelf_is_empty_for_a_contractor(contractor_operator, patron, central) -> None:
    reserve(patron, make_item(home_branch=central), ready_on=TODAY)
    assert list(selectors.reservations_for_pickup_counter(contractor_operator, central)) == []


def test_open_damage_cases_by_branch(counter_staff, contractor_operator, patron, central, kita) -> None:
    for branch in ("central", "kita"):
        item = make_item(home_branch=central)
        lend(patron, item)
        services.loan_return(
            actor=None, barcode=item.barcode, branch_code=branch, damaged=True, damage_description="破損"
        )
    assert selectors.damage_cases_open(counter_staff).count() == 2
    assert [c.branch for c in selectors.damage_cases_open(counter_staff, branch=kita)] == [kita]
    assert selectors.damage_cases_open(contractor_operator).count() == 0


def test_damage_case_out_of_scope_is_404_and_logged(
    contractor_operator, counter_staff, patron, central
) -> None:
    item = make_item(home_branch=central)
    lend(patron, item)
    services.loan_return(
        actor=None, barcode=item.barcode, branch_code="central", damaged=True, damage_description="破損"
    )
    case = selectors.damage_cases_open(counter_staff).get()
    assert selectors.get_damage_case_for(counter_staff, case.pk) == case
    with pytest.raises(Http404):
        selectors.get_damage_case_for(contractor_operator, case.pk)
    event = AuditEvent.objects.get(action="circulation.out_of_scope")
    assert (event.patron_id, event.detail) == (patron.pk, {"lookup": "damage_case"})


def test_counter_patron_respects_scope(counter_staff, contractor_operator, patron) -> None:
    assert selectors.get_counter_patron(counter_staff, patron.pk) == patron
    assert selectors.get_counter_patron(contractor_operator, patron.pk) is None


def test_recent_items_newest_first(central: Any) -> None:
    first, second = make_item(home_branch=central), make_item(home_branch=central)
    assert selectors.recent_items(limit=1) == [second]
    assert first not in selectors.recent_items(limit=1)


def test_holds_to_clear_lists_copies_whose_hold_was_cancelled(patron, other, central) -> None:
    kept, cancelled = make_item(home_branch=central), make_item(home_branch=central)
    reserve(patron, kept, ready_on=TODAY)
    services.reservation_cancel(actor=None, reservation=reserve(other, cancelled, ready_on=TODAY))
    assert selectors.holds_to_clear(central) == [cancelled]
