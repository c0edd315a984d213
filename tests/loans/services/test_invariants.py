"""The invariants every stage of loans.services keeps together (loans/services/__init__.py): no card
number, barcode or title in a log line; once a loan, reservation or damage case has ended, no row naming
the patron shares a transaction id with a row naming the item (PostgreSQL).
"""

from __future__ import annotations

import logging

import pytest

from loans import services
from loans.models import (
    DamageCase,
    Loan,
    Notice,
    Reservation,
)
from patrons.models import Branch, Patron
from tests.factories import BranchFactory, make_patron
from tests.loans.factories import make_item
from tests.loans.services.helpers import TODAY, give_back, lend, reserve, xids

pytestmark = pytest.mark.django_db


# --- logs -----------------------------------------------------------------------------------------


def test_log_lines_carry_no_card_number_barcode_or_title(staff, patron, item, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    reservation = reserve(staff, patron, item)
    services.reservation_cancel(actor=staff, reservation=reservation)
    lend(staff, patron, item)
    give_back(staff, item)
    services.reservations_expire(on=TODAY)
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (patron.card_number, item.barcode, item.title):
        assert secret not in text


# --- transaction ids (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_finished_pairs_share_no_transaction_id(counter_staff, central, general_category) -> None:
    """PostgreSQL keeps the writing (xmin) and locking (xmax) transaction in every row: once a loan,
    reservation or damage case has ended, no row naming the patron may share one with a row naming
    the item — also when the ready notice goes by postcard and is never touched again."""
    BranchFactory(code="kita", name="北分館", kind=Branch.Kind.BRANCH)
    people = [make_patron(registered_branch=central, category=general_category) for _n in range(5)]
    Patron.objects.filter(pk=people[4].pk).update(email="", phone="")  # a postcard notice
    books = [make_item(home_branch=central) for _n in range(5)]
    today = services.today()
    # 0: lend and return.
    lend(counter_staff, people[0], books[0], on=today)
    give_back(counter_staff, books[0], on=today)
    # 1: reserve and cancel while waiting.
    services.reservation_cancel(actor=counter_staff, reservation=reserve(counter_staff, people[1], books[1]))
    # 2: a hold cancelled on the shelf, then scanned back.
    hold = reserve(counter_staff, people[2], books[2])
    services.reservation_mark_ready(actor=counter_staff, reservation=hold)
    services.reservation_cancel(actor=counter_staff, reservation=hold)
    services.reservation_capture(actor=counter_staff, barcode=books[2].barcode, branch_code="central")
    # 3: a damaged return, settled.
    lend(counter_staff, people[3], books[3], on=today)
    give_back(counter_staff, books[3], on=today, damaged=True, damage_description="破れ")
    services.damage_case_settle(actor=counter_staff, case=DamageCase.objects.get())
    # 4: ready (postcard notice), handed over, returned.
    reserve(counter_staff, people[4], books[4])
    services.reservation_capture(actor=counter_staff, barcode=books[4].barcode, branch_code="central")
    services.reservation_lend(
        actor=counter_staff, reservation=Reservation.objects.get(), branch_code="central"
    )
    give_back(counter_staff, books[4], on=today)
    assert Notice.objects.filter(patron=people[4], channel=Notice.Channel.POSTCARD).exists()
    assert not Loan.objects.exists() and not Reservation.objects.exists() and not DamageCase.objects.exists()
    for patron, item in zip(people, books, strict=True):
        patron_side = (
            xids("SELECT xmin::text, xmax::text FROM patrons_patron WHERE id = %s", [patron.pk])
            | xids("SELECT xmin::text, xmax::text FROM audit_auditevent WHERE patron_id = %s", [patron.pk])
            | xids("SELECT xmin::text, xmax::text FROM loans_notice WHERE patron_id = %s", [patron.pk])
        )
        item_side = (
            xids("SELECT xmin::text, xmax::text FROM loans_item WHERE id = %s", [item.pk])
            | xids(
                "SELECT xmin::text, xmax::text FROM loans_itemcirculationstat WHERE item_id = %s", [item.pk]
            )
            | xids(
                "SELECT xmin::text, xmax::text FROM audit_auditevent WHERE target_type = 'item' AND target_id = %s",
                [str(item.pk)],
            )
        )
        assert not patron_side & item_side, (patron.pk, item.pk, patron_side & item_side)
