"""privacy_admin.core.scope_fields: what each contract kind reaches (patrons, loans, reservations) and which
values it is shown (the contracts and their operators come from tests/outsourcing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from loans import selectors as loan_selectors
from patrons.selectors import patrons_visible_to
from privacy_admin.core.dataitems import PERSONAL_FIELDS, DataItem
from privacy_admin.core.scope import NOTHING, UNRESTRICTED, Scope, scope_for
from privacy_admin.core.scope_fields import (
    Capability,
    allowed_items,
    capabilities,
    counter_patron,
    patron_api_values,
    patron_fields,
    sees_loans,
    sees_reservations,
    shown_loan,
    shown_reservation,
)
from tests.outsourcing.factories import PICKUP_ITEMS, SCHOOL_ITEMS, make_contract, make_operator
from tests.outsourcing.scope_world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(central: Any, pickup_counter: Any, general_category: Any) -> World:
    return build_world(central, pickup_counter, general_category)


TODAY = dt.date(2026, 11, 21)


def _scope(items: list[DataItem]) -> Scope:
    return Scope(branch_ids=frozenset({1}), data_items=frozenset(str(i) for i in items), contract_id=1)


# --- items and functions --------------------------------------------------------------------------


def test_learning_loans_is_the_loan_record_and_nothing_more() -> None:
    items = allowed_items(_scope(SCHOOL_ITEMS))
    assert items == {"name", "learning_loans", "loan_item_number", "loan_item_title", "due_date"}


def test_unrestricted_scope_allows_every_item() -> None:
    assert allowed_items(UNRESTRICTED) is None


def test_pickup_contract_may_find_lend_return_hand_over_and_capture() -> None:
    assert capabilities(_scope(PICKUP_ITEMS)) == {
        Capability.FIND_PATRON,
        Capability.LEND,
        Capability.RETURN,
        Capability.HAND_OVER,
        Capability.CAPTURE,
    }


def test_school_contract_may_find_lend_and_return_only() -> None:
    assert capabilities(_scope(SCHOOL_ITEMS)) == {Capability.FIND_PATRON, Capability.LEND, Capability.RETURN}
    assert not sees_reservations(_scope(SCHOOL_ITEMS))


def test_kana_search_is_for_library_staff_only() -> None:
    every_item = _scope(list(DataItem))
    assert Capability.KANA_SEARCH not in capabilities(every_item)
    assert Capability.KANA_SEARCH in capabilities(UNRESTRICTED)


@pytest.mark.parametrize(
    "scope",
    [
        NOTHING,
        Scope(branch_ids=frozenset(), data_items=frozenset({"name"})),
        Scope(frozenset({1}), frozenset()),
    ],
)
def test_an_empty_scope_has_no_function(scope: Scope) -> None:
    assert capabilities(scope) == frozenset()
    assert not sees_loans(scope) and not sees_reservations(scope)


def test_a_contract_without_loan_items_sees_no_loans() -> None:
    scope = _scope([DataItem.NAME, DataItem.RESERVATION_ITEM_NUMBER])
    assert not sees_loans(scope) and sees_reservations(scope)
    assert Capability.LEND not in capabilities(scope)


# --- who is within reach --------------------------------------------------------------------------


def test_pickup_operator_reaches_the_patrons_of_their_counter_only(world: World) -> None:
    assert set(patrons_visible_to(world.op_east)) == {world.reader}
    assert set(patrons_visible_to(world.op_west)) == set()
    assert set(patrons_visible_to(world.op_school)) == {world.student}


def test_pickup_operator_reaches_a_patron_through_a_reservation_alone(world: World) -> None:
    world.loan_east.delete()
    assert set(patrons_visible_to(world.op_east)) == {world.reader}
    world.ready_east.delete()
    assert set(patrons_visible_to(world.op_east)) == set()


def test_loans_and_reservations_follow_the_counter_not_the_patron(world: World) -> None:
    assert set(loan_selectors.loans_visible_to(world.op_east)) == {world.loan_east}
    assert set(loan_selectors.reservations_visible_to(world.op_east)) == {world.ready_east}
    assert set(loan_selectors.loans_visible_to(world.op_school)) == {world.loan_school}
    assert set(loan_selectors.reservations_visible_to(world.op_school)) == set()
    assert set(loan_selectors.loans_visible_to(world.op_west)) == set()


def test_library_staff_still_reach_everything(world: World, counter_staff) -> None:
    assert patrons_visible_to(counter_staff).count() == 3
    assert loan_selectors.loans_visible_to(counter_staff).count() == 4
    assert loan_selectors.reservations_visible_to(counter_staff).count() == 2


def test_operator_counters_are_the_contracts_branches(world: World, counter_staff) -> None:
    assert [b.code for b in loan_selectors.counter_branches_for(world.op_east)] == ["pickup-east"]
    assert [b.code for b in loan_selectors.counter_branches_for(world.op_school)] == ["school-1"]
    assert len(loan_selectors.counter_branches_for(counter_staff)) == 4


def test_untrained_operator_reaches_nobody(world: World) -> None:
    contract = make_contract(branches=[world.east], data_items=PICKUP_ITEMS)
    untrained = make_operator(contract, "op_untrained", trained=False)
    assert scope_for(untrained) == NOTHING
    assert not patrons_visible_to(untrained).exists()
    assert not loan_selectors.loans_visible_to(untrained).exists()
    assert loan_selectors.counter_branches_for(untrained) == []


# --- what is shown --------------------------------------------------------------------------------


def test_school_operator_is_shown_the_name_only(world: World) -> None:
    scope = scope_for(world.op_school)
    rows = patron_fields(scope, world.student)
    assert [(r.key, r.value) for r in rows] == [("name", world.student.full_name)]


def test_pickup_operator_is_shown_the_contracts_items(world: World) -> None:
    rows = {r.key for r in patron_fields(scope_for(world.op_east), world.reader)}
    assert rows == {
        "card_number",
        "name",
        "birth_date",
        "gender",
        "address",
        "phone",
        "email",
        "registered_branch",
    }


def test_staff_are_shown_every_line(world: World, counter_staff) -> None:
    rows = patron_fields(scope_for(counter_staff), world.reader)
    assert len(rows) == 14


def test_api_values_withhold_the_card_number_from_the_school(world: World) -> None:
    values = patron_api_values(scope_for(world.op_school), world.student)
    assert {k for k, v in values.items() if v is not None} == {"family_name", "given_name", "status"}


def test_api_values_cover_every_declared_patron_field_but_internal_ones() -> None:
    from privacy_admin.core.scope_fields import _API_FIELDS

    declared = {name for (label, name) in PERSONAL_FIELDS if label == "patrons.Patron"}
    assert declared - set(_API_FIELDS.values()) == {"duplicate_key"}


def test_counter_patron_for_the_school_has_no_card_number_and_no_expiry(world: World) -> None:
    shown = counter_patron(scope_for(world.op_school), world.student, today=TODAY)
    assert (shown.card_masked, shown.expires_on) == (None, None)
    assert not shown.cancelled


def test_counter_patron_for_the_pickup_counter_is_masked(world: World) -> None:
    shown = counter_patron(scope_for(world.op_east), world.reader, today=TODAY)
    assert shown.card_masked == "****" + world.reader.card_number[-4:]
    assert shown.expires_on is None  # 有効期限 is not one of 002's 17 items


def test_school_sees_its_loan_records(world: World) -> None:
    shown = shown_loan(scope_for(world.op_school), world.loan_school, today=TODAY)
    assert (shown.title, shown.barcode, shown.due_on) == (
        "学校で借りた本",
        world.loan_school.item.barcode,
        world.loan_school.due_on,
    )


def test_a_contract_without_titles_sees_no_title() -> None:
    scope = _scope([DataItem.LOAN_ITEM_NUMBER])
    loan = type(
        "L", (), {"item_id": 1, "due_on": TODAY, "item": type("I", (), {"title": "t", "barcode": "b"})}
    )
    shown = shown_loan(scope, loan, today=TODAY)
    assert (shown.title, shown.barcode, shown.due_on, shown.overdue) == (None, "b", None, False)


def test_hold_shelf_line_never_carries_the_full_card_number(world: World) -> None:
    shown = shown_reservation(scope_for(world.op_east), world.ready_east, with_card=True)
    assert shown.card_masked == "****" + world.reader.card_number[-4:]
    assert world.reader.card_number not in repr(shown)
    assert shown.title == "東口で受け取る本" and shown.pickup_branch == "東口受取窓口"
