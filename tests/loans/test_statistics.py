"""loans.statistics: anonymous counts — per day, branch, category and action, and per item for its
lifetime — each added with one upsert statement, so concurrent counters never lose a count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loans import statistics
from loans.models import CirculationDailyStat, ItemCirculationStat

from .factories import make_item

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 21)


def test_daily_counts_add_up_per_action_in_one_statement(central, general_category) -> None:
    with CaptureQueriesContext(connection) as queries:
        statistics.count_daily(
            day=DAY, branch_id=central.pk, category_id=general_category.pk, actions=["lend", "lend", "return"]
        )
    assert len(queries) == 1
    statistics.count_daily(day=DAY, branch_id=central.pk, category_id=general_category.pk, actions=["lend"])
    counts = dict(CirculationDailyStat.objects.filter(day=DAY).values_list("action", "count"))
    assert counts == {"lend": 3, "return": 1}


def test_no_actions_write_nothing(central, general_category) -> None:
    with CaptureQueriesContext(connection) as queries:
        statistics.count_daily(day=DAY, branch_id=central.pk, category_id=general_category.pk, actions=[])
    assert len(queries) == 0


def test_item_counts_accumulate_without_a_date_or_a_patron(central) -> None:
    item = make_item(home_branch=central)
    statistics.count_item(item_id=item.pk, loans=1)
    statistics.count_item(item_id=item.pk, loans=1, reservations=2)
    row = ItemCirculationStat.objects.get(item_id=item.pk)
    assert (row.loans, row.reservations) == (2, 2)
    assert {f.name for f in ItemCirculationStat._meta.get_fields()} >= {"item", "loans", "reservations"}
    assert not {"patron", "day"} & {f.name for f in ItemCirculationStat._meta.get_fields()}
