"""loans.offline_returns: the mobile library's returns imported — loans erased, returns counted, a newer
loan never ended by an old return; an interrupted import leaves what the safety net erases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from loans import offline_returns, safety_net
from loans.models import Item, ItemCirculationStat, Loan
from patrons.models import Branch, Patron
from privacy_admin.audit.models import AuditEvent
from tests.loans.factories import make_item
from tests.loans.stale_rows import NOW, lend, stat

pytestmark = pytest.mark.django_db


def _offline(central: Branch, patron: Patron) -> dict[str, Any]:
    a, b, relent = (make_item(home_branch=central) for _ in range(3))
    for item in (a, b):
        lend(patron, item, central)
    relent_loan = lend(patron, relent, central, lent_days_ago=0)  # lent again after the offline return
    rows = [
        offline_returns.OfflineReturn(a.barcode, NOW() - dt.timedelta(hours=2)),
        offline_returns.OfflineReturn(b.barcode, NOW() - dt.timedelta(hours=1)),
        offline_returns.OfflineReturn("9999999999", NOW() - dt.timedelta(hours=1)),
        offline_returns.OfflineReturn(relent.barcode, NOW() - dt.timedelta(days=2)),
    ]
    return {"items": (a, b), "relent_loan": relent_loan, "rows": rows}


def test_offline_returns_erase_their_loans_and_count_returns(central, mobile, patron) -> None:
    data = _offline(central, patron)
    result = offline_returns.loans_import_offline_returns(actor=None, rows=data["rows"], branch=mobile)
    assert (result.rows, result.stamped, result.unknown, result.loans_erased) == (4, 3, 1, 2)
    assert not Loan.objects.filter(item__in=data["items"]).exists()
    assert Loan.objects.filter(
        pk=data["relent_loan"].pk
    ).exists()  # a newer loan is never ended by an old return
    for item in data["items"]:
        item.refresh_from_db()
        assert item.status == Item.Status.AVAILABLE and item.current_branch == mobile
    assert stat("return", branch=mobile, category=patron.category) == 2
    assert sorted(ItemCirculationStat.objects.values_list("loans", flat=True)) == [1, 1]
    event = AuditEvent.objects.get(action="circulation.offline_return_import")
    assert event.patron_id is None and event.target_id == ""
    assert event.detail["loans"] == 2 and event.detail["unknown"] == 1
    # Importing the same file again changes nothing.
    again = offline_returns.loans_import_offline_returns(actor=None, rows=data["rows"], branch=mobile)
    assert again.loans_erased == 0 and again.older == 3


def test_an_interrupted_import_leaves_what_the_safety_net_erases(
    central, mobile, patron, monkeypatch
) -> None:
    data = _offline(central, patron)

    def crash(**kwargs: Any) -> int:
        raise RuntimeError("worker killed between the steps")

    monkeypatch.setattr(offline_returns, "_erase_returned_loans", crash)
    with pytest.raises(RuntimeError):
        offline_returns.loans_import_offline_returns(actor=None, rows=data["rows"], branch=mobile)
    assert Loan.objects.filter(item__in=data["items"]).count() == 2  # step 1 done, step 2 not
    assert safety_net.safety_net_oldest_overdue_age() > dt.timedelta(0)
    monkeypatch.undo()
    result = safety_net.safety_net_run()
    assert result.erased[safety_net.RETURNED] == 2
    assert not Loan.objects.filter(item__in=data["items"]).exists()
    assert Loan.objects.filter(pk=data["relent_loan"].pk).exists()
    assert stat("return", branch=mobile, category=patron.category) == 2  # counted once, by the net
    assert safety_net.safety_net_oldest_overdue_age() == dt.timedelta(0)
