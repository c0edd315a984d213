"""Anonymous circulation statistics (市川市 方針 第3: statistics are kept without the patron).

``CirculationDailyStat`` counts per day, branch, patron category and action (no item);
``ItemCirculationStat`` counts per item (no date, no patron). Every count is one
``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite 3.24+), so concurrent counters add to the
same row atomically instead of reading and writing it back. The erasure module and the counter
services both count through here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection

from .models import CirculationDailyStat, ItemCirculationStat


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def daily_upsert(values_sql: str) -> str:
    """The upsert of ``CirculationDailyStat`` rows given by ``values_sql`` (VALUES … or SELECT …)."""
    table = _qn(CirculationDailyStat._meta.db_table)
    cols = ", ".join(_qn(c) for c in ("day", "branch_id", "category_id", "action", "count"))
    key = ", ".join(_qn(c) for c in ("day", "branch_id", "category_id", "action"))
    count = _qn("count")
    return (
        f"INSERT INTO {table} ({cols}) {values_sql} "
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )


def item_loans_upsert(select_sql: str) -> str:
    """貸出回数 per item is counted when a loan ends: +1 per row of ``select_sql`` (item_id, 1, 0)."""
    table = _qn(ItemCirculationStat._meta.db_table)
    loans = _qn("loans")
    return (
        f"INSERT INTO {table} ({_qn('item_id')}, {loans}, {_qn('reservations')}) {select_sql} "
        f"ON CONFLICT ({_qn('item_id')}) DO UPDATE SET {loans} = {table}.{loans} + excluded.{loans}"
    )


def count_daily(*, day: dt.date, branch_id: int, category_id: int, actions: Iterable[str]) -> None:
    """Count ``actions`` for one day, branch and patron category, in one statement."""
    counts = Counter(str(a) for a in actions)
    if not counts:
        return
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(counts))
    params: list[Any] = []
    for action, n in sorted(counts.items()):
        params += [day, branch_id, category_id, action, n]
    with connection.cursor() as cursor:
        cursor.execute(daily_upsert(f"VALUES {rows}"), params)


def count_item(*, item_id: int, loans: int = 0, reservations: int = 0) -> None:
    """Lifetime counts per item — no date and no patron — with one upsert statement."""
    table = _qn(ItemCirculationStat._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({_qn('item_id')}, {_qn('loans')}, {_qn('reservations')}) VALUES (%s, %s, %s) "  # noqa: S608 - names from the model
        f"ON CONFLICT ({_qn('item_id')}) DO UPDATE SET "
        f"{_qn('loans')} = {table}.{_qn('loans')} + excluded.{_qn('loans')}, "
        f"{_qn('reservations')} = {table}.{_qn('reservations')} + excluded.{_qn('reservations')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [item_id, loans, reservations])
