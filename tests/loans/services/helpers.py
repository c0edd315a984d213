"""Helpers shared by the circulation services' tests (tests/loans/services/): run a service the way
the counter does, check that a refusal changes nothing, read the circulation events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from loans import services
from loans.models import (
    CirculationDailyStat,
    DamageCase,
    Item,
    ItemCirculationStat,
    Loan,
    Notice,
    Reservation,
)
from patrons.models import Patron
from privacy_admin.audit.models import AuditEvent

TODAY = dt.date(2026, 11, 21)


def lend(staff: Any, patron: Patron, item: Item, branch: str = "central", on: dt.date = TODAY) -> Loan:
    return services.loan_lend(
        actor=staff, card_number=patron.card_number, barcode=item.barcode, branch_code=branch, on=on
    )


def reserve(
    staff: Any, patron: Patron, item: Item, pickup: str = "central", on: dt.date = TODAY
) -> Reservation:
    return services.reservation_create(
        actor=staff, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code=pickup, on=on
    )


def give_back(staff: Any, item: Item, branch: str = "central", on: dt.date = TODAY, **kwargs: Any) -> Any:
    return services.loan_return(actor=staff, barcode=item.barcode, branch_code=branch, on=on, **kwargs)


def refused(call: Any) -> dict[str, list[str]]:
    """Run a call that must be refused; answer its messages by field."""
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict


def snapshot() -> tuple[Any, ...]:
    """Everything a circulation service may write."""
    return (
        list(Loan.objects.order_by("pk").values()),
        list(Reservation.objects.order_by("pk").values()),
        list(Item.objects.order_by("pk").values()),
        list(DamageCase.objects.order_by("pk").values()),
        list(Notice.objects.order_by("pk").values()),
        list(CirculationDailyStat.objects.order_by("pk").values()),
        list(ItemCirculationStat.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def unchanged_by(call: Any) -> dict[str, list[str]]:
    before = snapshot()
    messages = refused(call)
    assert snapshot() == before
    return messages


def circulation_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__startswith="circulation.").order_by("seq"))


def assert_never_both() -> None:
    """The invariant: no circulation event names a patron and an item together."""
    for event in circulation_events():
        if event.target_type == "item":
            assert event.patron_id is None, event.action
        else:
            assert event.target_type in ("patron", ""), event.action
            assert "item" not in event.detail and "barcode" not in event.detail
        for key in ("loan", "reservation", "loan_id", "reservation_id"):
            assert key not in event.detail


def xids(sql: str, params: list[Any]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {x for row in cursor.fetchall() for x in row if x and x != "0"}
