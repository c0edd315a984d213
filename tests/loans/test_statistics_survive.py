"""Erasing who borrowed what keeps the anonymous statistics (方針 第3; domain §5).

After a return the loan is gone, but ``CirculationDailyStat`` (day, branch, patron category, action)
and ``ItemCirculationStat`` (per item, no date) still count it — also when the safety net erased the
loan, and after the patron's registration itself is erased.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import ForeignKey
from django.utils import timezone

from loans import services
from loans.models import CirculationAction, CirculationDailyStat, Item, ItemCirculationStat, Loan, Reservation
from loans.safety_net import safety_net_run
from patrons import services as patron_services
from patrons.models import Branch, Patron
from patrons.rules import make_card_number
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


@pytest.fixture
def kita(db: None) -> Branch:
    return Branch.objects.create(code="kita", name="北分館", kind=Branch.Kind.BRANCH)


def _item(barcode: str, home: Branch) -> Item:
    return Item.objects.create(
        barcode=barcode, title=f"統計の本 {barcode}", home_branch=home, current_branch=home
    )


def _daily() -> dict[tuple[str, str, str], int]:
    today = timezone.localdate()
    return {
        (s.branch.code, s.category.code, s.action): s.count
        for s in CirculationDailyStat.objects.filter(day=today).select_related("branch", "category")
    }


def _item_loans(item: Item) -> int:
    stat = ItemCirculationStat.objects.filter(item=item).first()
    return stat.loans if stat else 0


def test_statistics_have_no_column_that_names_a_patron() -> None:
    for model in (CirculationDailyStat, ItemCirculationStat):
        targets = {f.related_model for f in model._meta.get_fields() if isinstance(f, ForeignKey)}
        assert Patron not in targets, model
        assert not {f.name for f in model._meta.get_fields()} & {"patron", "patron_id", "card_number"}


def test_returns_are_still_counted_per_day_branch_category_and_item(
    counter_staff, central, kita, general_category, child_category
) -> None:
    adult = make_patron(card_number=make_card_number(5001), category=general_category)
    child = make_patron(
        card_number=make_card_number(5002),
        category=child_category,
        birth_date=timezone.localdate() - dt.timedelta(days=365 * 8),
    )
    a, b, c = _item("S0001", central), _item("S0002", central), _item("S0003", kita)

    for patron, item, branch in ((adult, a, central), (child, b, central), (adult, c, kita)):
        services.loan_lend(
            actor=counter_staff, card_number=patron.card_number, barcode=item.barcode, branch_code=branch.code
        )
    for item, branch in ((a, central), (b, kita), (c, kita)):
        services.loan_return(actor=counter_staff, barcode=item.barcode, branch_code=branch.code)

    assert not Loan.objects.exists()
    daily = _daily()
    assert daily[("central", "general", CirculationAction.LEND)] == 1
    assert daily[("central", "child", CirculationAction.LEND)] == 1
    assert daily[("kita", "general", CirculationAction.LEND)] == 1
    assert daily[("central", "general", CirculationAction.RETURN)] == 1
    assert daily[("kita", "child", CirculationAction.RETURN)] == 1
    assert daily[("kita", "general", CirculationAction.RETURN)] == 1
    assert [_item_loans(i) for i in (a, b, c)] == [1, 1, 1]

    # A second round on the same item adds up, and nothing of the first loan came back.
    services.loan_lend(
        actor=counter_staff, card_number=child.card_number, barcode=a.barcode, branch_code="central"
    )
    services.loan_return(actor=counter_staff, barcode=a.barcode, branch_code="central")
    assert _item_loans(a) == 2
    daily = _daily()
    assert daily[("central", "child", CirculationAction.LEND)] == 2
    assert daily[("central", "child", CirculationAction.RETURN)] == 1
    assert not Loan.objects.exists()

    # Erasing the patron (cancelled, nothing outstanding) leaves every count as it was.
    patron_services.patron_cancel(actor=counter_staff, patron=adult, reason="moved")
    assert patron_services.patron_erase(actor=counter_staff, patron=adult, reason="test")
    assert _daily() == daily
    assert [_item_loans(i) for i in (a, b, c)] == [2, 1, 1]


def test_a_handed_over_reservation_is_still_counted(counter_staff, central, kita, general_category) -> None:
    patron = make_patron(card_number=make_card_number(5101), category=general_category)
    item = _item("S0101", central)
    reservation = services.reservation_create(
        actor=counter_staff, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="kita"
    )
    services.reservation_capture(actor=counter_staff, barcode=item.barcode, branch_code="kita")
    reservation.refresh_from_db()
    services.reservation_lend(actor=counter_staff, reservation=reservation, branch_code="kita")
    assert not Reservation.objects.exists()
    services.loan_return(actor=counter_staff, barcode=item.barcode, branch_code="kita")
    assert not Loan.objects.exists()

    daily = _daily()
    assert daily[("kita", "general", CirculationAction.RESERVE)] == 1
    assert daily[("kita", "general", CirculationAction.RESERVATION_LENT)] == 1
    assert daily[("kita", "general", CirculationAction.LEND)] == 1
    assert daily[("kita", "general", CirculationAction.RETURN)] == 1
    stat = ItemCirculationStat.objects.get(item=item)
    assert (stat.loans, stat.reservations) == (1, 1)


def test_a_loan_erased_by_the_safety_net_is_counted_as_a_return(
    counter_staff, central, kita, general_category
) -> None:
    """An offline return stamped the item but the loan survived: the safety net erases it and counts the day."""
    patron = make_patron(card_number=make_card_number(5201), category=general_category)
    item = _item("S0201", central)
    services.loan_lend(
        actor=counter_staff, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    Item.objects.filter(pk=item.pk).update(
        last_returned_at=timezone.now() + dt.timedelta(seconds=1),
        status=Item.Status.AVAILABLE,
        current_branch=kita,
    )

    result = safety_net_run()

    assert result.loans_erased == 1
    assert not Loan.objects.exists()
    daily = _daily()
    assert daily[("kita", "general", CirculationAction.RETURN)] == 1
    assert daily[("central", "general", CirculationAction.LEND)] == 1
    # The sweep keeps the daily counts only: updating a per-item row for every erased loan halves its
    # rate (loans/safety_net.py SWEEP_COUNTS_ITEM_LOANS); leftovers are rare and counted by the day.
    assert _item_loans(item) == 0
