"""The one place that erases a record linking a patron to an item (市川市 方針 第3(2)(3), 第2(4)).

Every row that ties a patron to an item — a loan, a reservation, a damage case — is deleted here and
nowhere else (``tests/loans/test_erasure.py`` fails on a delete of those models in any other module).
Each kind of ending is a **rule**: a class whose docstring says what is deleted, what is kept, why,
and the rule of the library's policy it applies. A rule that can tell from the data alone that a row
should already be gone also gives

- ``predicate(on)``: that condition for the ORM (the dashboard's health, tests),
- ``where(t, on)``: the same condition in SQL for the safety net's set-based sweep, and
- ``since(rows, on)``: since when the oldest such row should have been gone (the dashboard).

A hypothesis test proves each rule's ORM predicate and its SQL select the same rows.

Two ways to erase, both here, both counting the anonymous statistics and noting the erased ids in
the erasure ledger (``loans.erasure_ledger``) once the transaction has committed:

- ``erase(rule, pk=…)`` — one row, in the caller's transaction (the counter services);
- ``sweep(rule, …)`` — every row the rule finds, set-based in keyset batches, each batch its own
  transaction (the safety net, the offline-return import).

``erasure_replay`` deletes again, from a restored backup, every row the ledger names; until it has
run, ``restore_pending()`` is true and the counter pages refuse to open.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from django.db import connection, models, transaction
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from patrons.models import Patron, PatronStatus
from privacy_admin.core import hooks

from . import erasure_ledger as ledger
from .models import CirculationAction, DamageCase, Item, Loan, Reservation
from .statistics import count_daily, daily_upsert, item_loans_upsert

logger = logging.getLogger(__name__)


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


class NoCondition(TypeError):
    """Asked for the condition of a rule that ends only by an event (a cancellation, a settlement)."""


class Rule:
    """One kind of ending of a patron–item record. Subclasses say which, in their docstring."""

    code: ClassVar[str]
    model: ClassVar[type[models.Model]]
    label: ClassVar[str | Promise]
    # What the end is counted as in CirculationDailyStat (None: not a circulation count).
    action: ClassVar[str | None]
    # True when the data alone tells that a row should be gone: the safety net sweeps it.
    sweeps: ClassVar[bool] = False

    def predicate(self, *, on: dt.date) -> Q:
        raise NoCondition(f"{self.code} has no condition: it ends only by an event")

    def where(self, t: str, *, on: dt.date) -> tuple[str, str, list[Any]]:
        """(joins after ``FROM <table> t``, condition, params): the predicate in SQL. Joined tables
        are ``si`` (the item) and ``sp`` (the patron)."""
        raise NoCondition(f"{self.code} has no condition: it ends only by an event")

    def since(self, rows: QuerySet[Any], *, on: dt.date) -> dt.datetime | None:
        """Since when the oldest of ``rows`` (the predicate's rows) should have been gone."""
        return None

    def before_erase(self, pk: int, *, on: dt.date) -> None:
        """Runs in ``erase``'s transaction just before row ``pk`` is deleted. Default: nothing."""

    def counted_as(self, t: str, *, on: dt.date) -> tuple[str, list[Any], str]:
        """(day SQL, its params, branch SQL): how a swept row is counted. Default: the end of a
        reservation, counted on the day it is erased at its pickup place."""
        day = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
        return day, [connection.ops.adapt_datefield_value(on)], f"{t}.pickup_branch_id"

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def __repr__(self) -> str:
        return f"<erasure rule {self.code}>"


class ReturnedLoan(Rule):
    """A loan whose item has come back (市川市 方針 第3(2): the record of who borrowed an item is
    erased when it is returned).

    Deleted: the ``Loan`` row. Kept: the item's last return time and place (``Item.last_returned_at``,
    the evidence this rule reads), the anonymous daily count (返却) and the item's 貸出回数.
    Condition: ``item.last_returned_at >= loan.lent_at`` — a return recorded after the loan began
    (an offline return batch interrupted between stamping the items and deleting their loans).
    Counted on the day and at the place the item came back, as the return counter counts it.

    Before the row goes, the hook ``LOAN_RETURNED`` lets the patron's own reading history (where the
    library offers it and the patron opted in) add the title and the return date, sealed to the
    patron's public key (issue 16; JLA 2019: only with the patron's consent). Nothing readable is kept.
    Returns swept by the safety net or imported offline do not reach it.
    """

    code = "returned_loans"
    model = Loan
    label = _("返却済み資料の貸出記録")
    action = CirculationAction.RETURN.value
    sweeps = True

    def predicate(self, *, on: dt.date) -> Q:
        return Q(item__last_returned_at__gte=F("lent_at"))

    def where(self, t: str, *, on: dt.date) -> tuple[str, str, list[Any]]:
        return (
            f"JOIN {_qn(Item._meta.db_table)} si ON si.id = {t}.item_id",
            f"si.last_returned_at >= {t}.lent_at",
            [],
        )

    def since(self, rows: QuerySet[Any], *, on: dt.date) -> dt.datetime | None:
        return rows.aggregate(m=Min("item__last_returned_at"))["m"]

    def before_erase(self, pk: int, *, on: dt.date) -> None:
        hooks.call(hooks.LOAN_RETURNED, pk, on)

    def counted_as(self, t: str, *, on: dt.date) -> tuple[str, list[Any], str]:
        day, params = connection.ops.datetime_cast_date_sql(
            "si.last_returned_at", (), timezone.get_current_timezone_name()
        )
        return day, list(params), f"COALESCE(si.current_branch_id, {t}.branch_id)"


class LentReservation(Rule):
    """A reservation whose item has been lent to the patron who reserved it (方針 第3(3): the
    reservation record is erased when the item is handed over).

    Deleted: the ``Reservation`` row, in the transaction that creates the loan. Kept: the count
    予約資料の貸出. Condition: the patron has the reserved item on loan — a reservation can never
    be placed for an item one has on loan, so such a row is always a leftover.
    """

    code = "lent_reservations"
    model = Reservation
    label = _("貸出済みの予約")
    action = CirculationAction.RESERVATION_LENT.value
    sweeps = True

    def predicate(self, *, on: dt.date) -> Q:
        return Q(Exists(Loan.objects.filter(item_id=OuterRef("item_id"), patron_id=OuterRef("patron_id"))))

    def where(self, t: str, *, on: dt.date) -> tuple[str, str, list[Any]]:
        loan = _qn(Loan._meta.db_table)
        return (
            "",
            f"EXISTS (SELECT 1 FROM {loan} sl WHERE sl.item_id = {t}.item_id AND sl.patron_id = {t}.patron_id)",  # noqa: S608 - names from the models
            [],
        )

    def since(self, rows: QuerySet[Any], *, on: dt.date) -> dt.datetime | None:
        lent = Loan.objects.filter(item_id=OuterRef("item_id"), patron_id=OuterRef("patron_id")).values(
            "lent_at"
        )
        return rows.annotate(lent=Subquery(lent[:1])).aggregate(m=Min("lent"))["m"]


class CancelledReservation(Rule):
    """A reservation the patron (or staff at the patron's request) cancelled (方針 第3(3)).

    Deleted: the ``Reservation`` row, at once. Kept: the count 予約取消. No condition: a cancellation
    is the patron's wish, not something the data shows, so only the event erases it.
    """

    code = "cancelled_reservations"
    model = Reservation
    label = _("取り消された予約")
    action = CirculationAction.RESERVATION_CANCELLED.value


class ExpiredReservation(Rule):
    """A reservation whose hold ended without pickup (方針 第3(3)).

    Deleted: the ``Reservation`` row. Kept: the count 取置期限切れ. Condition: ready on the hold shelf
    and ``hold_until`` (the last day to pick up) before ``on``; it should be gone from the midnight
    after ``hold_until``.
    """

    code = "expired_reservations"
    model = Reservation
    label = _("取置期限切れの予約")
    action = CirculationAction.RESERVATION_EXPIRED.value
    sweeps = True

    def predicate(self, *, on: dt.date) -> Q:
        return Q(status=Reservation.Status.READY, hold_until__lt=on)

    def where(self, t: str, *, on: dt.date) -> tuple[str, str, list[Any]]:
        return (
            "",
            f"{t}.status = %s AND {t}.hold_until < %s",
            [Reservation.Status.READY.value, connection.ops.adapt_datefield_value(on)],
        )

    def since(self, rows: QuerySet[Any], *, on: dt.date) -> dt.datetime | None:
        oldest = rows.aggregate(m=Min("hold_until"))["m"]
        return None if oldest is None else _midnight(oldest + dt.timedelta(days=1))


class CancelledPatronReservation(Rule):
    """A reservation of a patron whose registration is cancelled (方針 第3(4): erased promptly; it
    also lets ``patrons_purge_cancelled`` erase the patron, whom the reservation would protect).

    Deleted: the ``Reservation`` row. Kept: the count 予約取消. Condition: the patron's status is
    cancelled; it should be gone from the start of the day of cancellation.
    """

    code = "cancelled_patron_reservations"
    model = Reservation
    label = _("登録取消者の予約")
    action = CirculationAction.RESERVATION_CANCELLED.value
    sweeps = True

    def predicate(self, *, on: dt.date) -> Q:
        return Q(patron__status=PatronStatus.CANCELLED)

    def where(self, t: str, *, on: dt.date) -> tuple[str, str, list[Any]]:
        return (
            f"JOIN {_qn(Patron._meta.db_table)} sp ON sp.id = {t}.patron_id",
            "sp.status = %s",
            [PatronStatus.CANCELLED.value],
        )

    def since(self, rows: QuerySet[Any], *, on: dt.date) -> dt.datetime | None:
        oldest = rows.aggregate(m=Min("patron__cancelled_on"))["m"]
        return None if oldest is None else _midnight(oldest)


class WithdrawnItemReservation(Rule):
    """A reservation of an item that has been withdrawn (除籍): it can never be fulfilled (方針 第3(3)).

    Deleted: the ``Reservation`` row. Kept: the count 予約取消. Condition: the item's status is
    withdrawn. An item does not record when it was withdrawn, so this rule has no "since": the next
    run of the safety net erases it.
    """

    code = "withdrawn_item_reservations"
    model = Reservation
    label = _("除籍資料の予約")
    action = CirculationAction.RESERVATION_CANCELLED.value
    sweeps = True

    def predicate(self, *, on: dt.date) -> Q:
        return Q(item__status=Item.Status.WITHDRAWN)

    def where(self, t: str, *, on: dt.date) -> tuple[str, str, list[Any]]:
        return (
            f"JOIN {_qn(Item._meta.db_table)} si ON si.id = {t}.item_id",
            "si.status = %s",
            [Item.Status.WITHDRAWN.value],
        )


class SettledDamageCase(Rule):
    """A damage case (汚破損) that has been settled (方針 第2(4)).

    Deleted: the ``DamageCase`` row, the last record of who had the damaged item. Kept: the access-log
    event of the settlement, naming the item only. No count and no condition: settling is a decision
    of staff, so only the event erases it.
    """

    code = "settled_damage_cases"
    model = DamageCase
    label = _("処理済みの汚破損案件")
    action = None


RETURNED_LOAN = ReturnedLoan()
LENT_RESERVATION = LentReservation()
CANCELLED_RESERVATION = CancelledReservation()
EXPIRED_RESERVATION = ExpiredReservation()
CANCELLED_PATRON_RESERVATION = CancelledPatronReservation()
WITHDRAWN_ITEM_RESERVATION = WithdrawnItemReservation()
SETTLED_DAMAGE_CASE = SettledDamageCase()

RULES: tuple[Rule, ...] = (
    EXPIRED_RESERVATION,
    RETURNED_LOAN,
    LENT_RESERVATION,
    CANCELLED_PATRON_RESERVATION,
    WITHDRAWN_ITEM_RESERVATION,
    CANCELLED_RESERVATION,
    SETTLED_DAMAGE_CASE,
)
SWEEP_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.sweeps)
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
# Every model that links a patron to an item: the privacy-invariant test scans for each of them.
LINK_MODELS: tuple[type[models.Model], ...] = tuple(dict.fromkeys(r.model for r in RULES))


# --- one row, in the caller's transaction ---------------------------------------------------------


def erase(
    rule: Rule,
    *,
    pk: int,
    day: dt.date | None = None,
    branch_id: int | None = None,
    category_id: int | None = None,
) -> bool:
    """Delete row ``pk`` under ``rule`` in the caller's transaction; count it (``rule.action`` on
    ``day`` at ``branch_id`` for ``category_id``, when given) and note it in the erasure ledger once
    the transaction commits. Returns False when the row was already gone (nothing counted)."""
    counted = (
        rule.action is not None and day is not None and branch_id is not None and category_id is not None
    )
    rule.before_erase(pk, on=day or timezone.localdate())
    if counted and connection.vendor == "postgresql":
        # The return counter's hot path: the deletion and its count in one statement (one round trip);
        # the count is added only when a row was deleted. Nothing points at these rows (no cascade, no
        # delete signal), so the plain DELETE is what the ORM's delete runs too.
        pk_column = _qn(rule.model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH d AS (DELETE FROM {_qn(rule.table)} WHERE {pk_column} = %s RETURNING {pk_column}) "  # noqa: S608 - names from the models
                + daily_upsert("SELECT %s, %s, %s, %s, 1 FROM d")
                + " RETURNING 1",
                [pk, day, branch_id, category_id, rule.action],
            )
            deleted = cursor.fetchone() is not None
    else:
        deleted = bool(rule.model._default_manager.filter(pk=pk).delete()[0])
        if deleted and counted:
            assert rule.action is not None and day is not None and branch_id is not None
            assert category_id is not None
            count_daily(day=day, branch_id=branch_id, category_id=category_id, actions=[rule.action])
    if not deleted:
        return False
    transaction.on_commit(partial(ledger.append_safely, rule.table, [pk]))
    return True


# --- set-based, for the safety net ----------------------------------------------------------------

# PostgreSQL: what a sweep erased, (day, branch, patron), until it is counted at the end of the sweep.
# A session's own temporary table: never shared, never kept, and it names no item.
_ERASED = "loans_erasure_swept"
# A batch (one transaction) runs as statements of at most this many rows: measured on PostgreSQL,
# two statements of 5,000 erase ~25% faster than one of 10,000 (1,000,000 stale loans, 10,000 a batch).
_STATEMENT_ROWS = 5_000

OnBatch = Callable[[Rule, int], None]  # (rule, rows erased in the batch): runs inside its transaction


def select_ids(rule: Rule, *, on: dt.date) -> set[int]:
    """The ids the sweep of ``rule`` would erase (its SQL condition), for dry runs and tests."""
    joins, where, params = rule.where("t", on=on)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.id FROM {_qn(rule.table)} t {joins} WHERE {where}", params)  # noqa: S608 - names from the models
        return {int(r[0]) for r in cursor.fetchall()}


def _batch(
    rule: Rule,
    *,
    after: int,
    limit: int,
    on: dt.date,
    dry_run: bool,
    deferred: bool,
    item_loans: bool,
    extra: tuple[str, list[Any]] | None,
) -> tuple[int | None, int, list[int]]:
    """One statement's worth: (last id or None, rows matched, ids erased). Caller holds a transaction."""
    table = _qn(rule.table)
    patron = _qn(Patron._meta.db_table)
    postgres = connection.vendor == "postgresql"
    joins, where, params = rule.where("t", on=on)
    if extra is not None:
        where, params = f"{where} AND {extra[0].format(t='t')}", [*params, *extra[1]]
    day, day_params, branch = rule.counted_as("t", on=on)
    assert rule.action is not None
    with connection.cursor() as cursor:
        if postgres and not dry_run:
            # The batch's commit need not wait for its WAL flush: a crash can lose only the last
            # batches, whose rows are then still there (and stale) for the next run.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # One statement. p: the batch by primary key, with what its count needs; d: its deletion by
            # the rows' ctid (a TID scan; a row changed meanwhile has a new ctid, is left alone and is
            # found by the next run); then the rows deleted are noted for counting at the end of the
            # sweep (see _count_swept), or, without a session of our own, counted now.
            if deferred:
                counted = (
                    f"e AS (INSERT INTO {_ERASED} (day, branch_id, patron_id) "  # noqa: S608 - names from the models
                    "SELECT p.day, p.branch_id, p.patron_id FROM d JOIN p ON p.id = d.id) "
                )
                count_params: list[Any] = []
            else:
                counted = (
                    "e AS ("  # noqa: S608 - names from the models
                    + daily_upsert(
                        "SELECT p.day, p.branch_id, pc.category_id, %s, COUNT(*) FROM d JOIN p ON p.id = d.id "  # noqa: S608 - names from the models
                        f"JOIN {patron} pc ON pc.id = p.patron_id GROUP BY 1, 2, 3"
                    )
                    + ") "
                )
                count_params = [rule.action]
            if item_loans and rule.model is Loan:  # one loan per item: each item once in a batch
                counted += (
                    ", i AS ("  # noqa: S608 - names from the models
                    + item_loans_upsert("SELECT p.item_id, 1, 0 FROM d JOIN p ON p.id = d.id")
                    + ") "
                )
            cursor.execute(
                f"WITH p AS MATERIALIZED (SELECT t.id, t.ctid AS tid, {day} AS day, {branch} AS branch_id, "  # noqa: S608 - names from the models
                f"t.patron_id, t.item_id FROM {table} t {joins} WHERE t.id > %s AND {where} ORDER BY t.id LIMIT %s), "
                f"d AS (DELETE FROM {table} x WHERE x.ctid = ANY(ARRAY(SELECT p.tid FROM p)) RETURNING x.id), "
                f"{counted}SELECT (SELECT MAX(p.id) FROM p), COUNT(*), COALESCE(array_agg(d.id), '{{}}') FROM d",
                [*day_params, after, *params, limit, *count_params],
            )
            last, matched, ids = cursor.fetchone()
            return last, matched, list(ids)
        pick = f"SELECT t.id FROM {table} t {joins} WHERE t.id > %s AND {where} ORDER BY t.id LIMIT %s"  # noqa: S608 - names from the models
        cursor.execute(f"SELECT MAX(b.id), COUNT(*) FROM ({pick}) b", [after, *params, limit])  # noqa: S608 - names from the models
        last, matched = cursor.fetchone()
        if last is None or dry_run:
            return last, matched, []
        # Elsewhere (SQLite): count, then delete, the same id range in the same transaction.
        cursor.execute(
            daily_upsert(
                f"SELECT {day}, {branch}, pc.category_id, %s, COUNT(*) FROM {table} t {joins} "  # noqa: S608 - names from the models
                f"JOIN {patron} pc ON pc.id = t.patron_id "
                f"WHERE t.id > %s AND t.id <= %s AND {where} GROUP BY 1, 2, 3"
            ),
            [*day_params, rule.action, after, last, *params],
        )
        if item_loans and rule.model is Loan:
            cursor.execute(
                item_loans_upsert(
                    f"SELECT t.item_id, 1, 0 FROM {table} t {joins} "  # noqa: S608 - names from the models
                    f"WHERE t.id > %s AND t.id <= %s AND {where}"
                ),
                [after, last, *params],
            )
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT t.id FROM {table} t {joins} "  # noqa: S608 - names from the models
            f"WHERE t.id > %s AND t.id <= %s AND {where}) RETURNING id",
            [after, last, *params],
        )
        return last, matched, [int(r[0]) for r in cursor.fetchall()]


def _count_swept(rule: Rule) -> None:
    """PostgreSQL: count what the sweep erased into ``CirculationDailyStat``, in one statement.

    The patron's category is what a count needs; reading it row by row in each batch (one random
    read per erased row) cut a 1,000,000-row sweep from ≥ 100,000 to ~60,000 rows/s. Noted in a
    temporary table and joined once here, it is one pass over the patrons.
    """
    patron = _qn(Patron._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the join hashes in memory, not in batches on disk
        cursor.execute(
            daily_upsert(
                f"SELECT e.day, e.branch_id, pc.category_id, %s, COUNT(*) FROM {_ERASED} e "  # noqa: S608 - names from the models
                f"JOIN {patron} pc ON pc.id = e.patron_id GROUP BY 1, 2, 3"
            ),
            [rule.action],
        )
        cursor.execute(f"TRUNCATE {_ERASED}")


def sweep(
    rule: Rule,
    *,
    on: dt.date,
    dry_run: bool = False,
    batch_size: int = 10_000,
    on_batch: OnBatch | None = None,
    item_loans: bool = False,
    extra: tuple[str, list[Any]] | None = None,
) -> tuple[int, int]:
    """Erase every row ``rule`` finds, oldest id first, in keyset batches of ``batch_size``, each its
    own transaction; count them and note them in the ledger after each commit. ``on_batch(rule, n)``
    runs inside each batch's transaction (the safety net writes its counts there, so a run killed
    mid-sweep has recorded what its committed batches erased). ``extra``: a further SQL condition on
    ``{t}`` with its params. No row is loaded into Python — only ids come back — so memory stays flat.
    Returns (rows erased or, when dry, found; batches)."""
    if not rule.sweeps:
        raise ValueError(f"{rule.code} has no condition to sweep by")
    # Deferred counting needs the session's temporary table to outlive each batch's transaction;
    # behind a transaction-pooling proxy (pgbouncer; Django then disables server-side cursors)
    # each batch counts its own rows instead.
    deferred = (
        connection.vendor == "postgresql"
        and not dry_run
        and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    )
    if deferred:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {_ERASED} "
                "(day date NOT NULL, branch_id bigint NOT NULL, patron_id bigint NOT NULL)"
            )
            cursor.execute(f"TRUNCATE {_ERASED}")
    after = 0
    total = batches = 0
    try:
        while True:
            last: int | None = None
            matched = 0
            erased: list[int] = []
            with transaction.atomic():
                while matched < batch_size:
                    step = min(_STATEMENT_ROWS, batch_size - matched)
                    part_last, part_matched, part_ids = _batch(
                        rule,
                        after=last if last is not None else after,
                        limit=step,
                        on=on,
                        dry_run=dry_run,
                        deferred=deferred,
                        item_loans=item_loans,
                        extra=extra,
                    )
                    if part_last is None:
                        break
                    last = part_last
                    matched += part_matched
                    erased += part_ids
                    if part_matched < step:
                        break
                if last is not None:
                    if erased:
                        transaction.on_commit(partial(ledger.append_safely, rule.table, erased))
                    if on_batch is not None:
                        on_batch(rule, matched if dry_run else len(erased))
            if last is None:
                break
            batches += 1
            total += matched if dry_run else len(erased)
            after = last
            if matched < batch_size:
                break
    finally:
        # Counted even when a later batch fails: what was erased and committed is counted.
        if deferred and total:
            _count_swept(rule)
    return total, batches


# --- the dashboard's health -----------------------------------------------------------------------


def oldest_overdue_age(now: dt.datetime | None = None) -> dt.timedelta:
    """How long the oldest record that should already be gone has been waiting; zero when healthy.
    Derived from each sweeping rule's predicate and its ``since``."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    since = [
        s
        for rule in SWEEP_RULES
        if (s := rule.since(rule.model._default_manager.filter(rule.predicate(on=on)), on=on)) is not None
    ]
    if not since:
        return dt.timedelta(0)
    return max(now - min(since), dt.timedelta(0))


# --- a restored backup ------------------------------------------------------------------------------

_REPLAY_BATCH = 100_000
# The newest entries per table checked for rows a restore brought back.
_PROBE = 50
_pending_cache: dict[str, tuple[float, bool]] = {}
_PENDING_TTL = 30.0


@dataclass
class ReplayResult:
    ledger_rows: int = 0
    deleted: dict[str, int] | None = None
    seconds: float = 0.0

    @property
    def total_deleted(self) -> int:
        return sum((self.deleted or {}).values())


def _tables() -> dict[str, type[models.Model]]:
    # Plus the tables an app above registers (the patron's sealed reading history, issue 16).
    extra = hooks.call(hooks.ERASURE_EXTRA_MODELS, default=()) or ()
    return {m._meta.db_table: m for m in (*LINK_MODELS, *extra)}


def _delete_ids(table: str, ids: Sequence[int]) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {_qn(table)} WHERE id = ANY(%s)", [list(ids)])  # noqa: S608 - names from the models
        else:
            import json

            cursor.execute(
                f"DELETE FROM {_qn(table)} WHERE id IN (SELECT value FROM json_each(%s))",  # noqa: S608 - names from the models
                [json.dumps(list(ids))],
            )
        return max(cursor.rowcount, 0)


def _advance_sequences(max_ids: dict[str, int]) -> None:
    """Move each table's id sequence past every erased id, so that a new row of the restored
    database never takes an id the ledger names (a later replay would delete it)."""
    tables = {m._meta.db_table: m for m in LINK_MODELS}  # random-id tables have no sequence
    with connection.cursor() as cursor:
        for table, top in max_ids.items():
            if table not in tables:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM {_qn(table)})))",  # noqa: S608 - names from the models
                    [table, top],
                )
            else:
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                if row is None:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top])
                elif int(row[0]) < top:
                    cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top, table])


def replay(*, batch_size: int = _REPLAY_BATCH) -> ReplayResult:
    """Delete from this (restored) database every row the erasure ledger names. Idempotent: rows
    already gone are skipped. Counts only, in the result, the log and the access log."""
    from privacy_admin.audit.services import audit_record

    started = time.perf_counter()
    tables = _tables()
    result = ReplayResult(deleted=dict.fromkeys(tables, 0))
    assert result.deleted is not None
    for chunk in ledger.batches(size=batch_size):
        by_table: dict[str, list[int]] = {}
        for table, row_ids in chunk:
            result.ledger_rows += len(row_ids)
            by_table.setdefault(table, []).extend(row_ids)
        with transaction.atomic():
            for table, ids in by_table.items():
                if table in tables:
                    result.deleted[table] += _delete_ids(table, ids)
    with transaction.atomic():
        _advance_sequences(ledger.max_ids())
        audit_record(
            actor=None,
            action="circulation.erasure_replay",
            target_type="erasure_ledger",
            detail={"ledger_rows": result.ledger_rows, "deleted": result.total_deleted},
        )
    result.seconds = time.perf_counter() - started
    _pending_cache.clear()
    logger.info(
        "erasure replay: ledger_rows=%d deleted=%d seconds=%.2f",
        result.ledger_rows,
        result.total_deleted,
        result.seconds,
    )
    return result


def restore_pending(*, fresh: bool = False) -> bool:
    """True when this database holds rows the ledger says were erased: a backup was restored and
    ``manage.py erasure_replay`` has not run. In normal operation an id reaches the ledger only after
    its deletion committed, so none of them exists. Checks the newest entries of each table; the
    answer is kept for 30 seconds per process (the counter pages ask on every load)."""
    key = connection.alias
    cached = _pending_cache.get(key)
    if cached is not None and not fresh and time.monotonic() - cached[0] < _PENDING_TTL:
        return cached[1]
    pending = False
    try:
        for table, model in _tables().items():
            ids = ledger.newest(table, _PROBE)
            if ids and model._default_manager.filter(pk__in=ids).exists():
                pending = True
                break
    except Exception as exc:
        # An unreadable ledger must not close the counter: say so in the log (no data in it).
        logger.error("erasure ledger: check failed error=%s", type(exc).__name__)
        pending = False
    _pending_cache[key] = (time.monotonic(), pending)
    return pending
