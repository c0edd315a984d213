"""Rows that outlived their loan or reservation, made directly (no service): the safety net's,
the offline returns' and their commands' and task's tests build them here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from loans.models import CirculationDailyStat, Item, Loan, Reservation
from patrons.models import Branch, Patron
from tests.loans.factories import make_item

NOW = timezone.now


def today() -> dt.date:
    return timezone.localdate()


def lend(patron: Patron, item: Item, branch: Branch, *, lent_days_ago: int = 10) -> Loan:
    return Loan.objects.create(
        item=item,
        patron=patron,
        branch=branch,
        lent_at=NOW() - dt.timedelta(days=lent_days_ago),
        due_on=today() + dt.timedelta(days=14 - lent_days_ago),
    )


def reserve(
    patron: Patron,
    item: Item,
    branch: Branch,
    *,
    status: str = Reservation.Status.WAITING,
    hold_until: dt.date | None = None,
) -> Reservation:
    return Reservation.objects.create(
        item=item,
        patron=patron,
        pickup_branch=branch,
        status=status,
        reserved_at=NOW() - dt.timedelta(days=20),
        ready_on=hold_until - dt.timedelta(days=7) if hold_until else None,
        hold_until=hold_until,
    )


def stale_returned_loan(
    patron: Patron, branch: Branch, *, returned_hours_ago: float = 3, at: Branch | None = None
) -> Loan:
    """(b): the item came back (stamped) but its loan survived."""
    item = make_item(home_branch=branch)
    loan = lend(patron, item, branch)
    Item.objects.filter(pk=item.pk).update(
        last_returned_at=NOW() - dt.timedelta(hours=returned_hours_ago),
        status=Item.Status.AVAILABLE,
        current_branch=at or branch,
    )
    return loan


def stat(action: str, **filters: Any) -> int:
    return sum(CirculationDailyStat.objects.filter(action=action, **filters).values_list("count", flat=True))
