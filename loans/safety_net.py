"""The safety net: erase every loan or reservation that should no longer exist (方針 第3(2)(3)(4)).

The services erase a loan at return and a reservation when it is lent, cancelled or expires, in the
same transaction. This job is the second net, run every 15 minutes, for whatever slipped past them:

(a) ``expired_reservations`` — READY reservations whose ``hold_until`` has passed. The regular
    expiry (``loans.services.reservations_expire``, which also routes each item to the next
    reservation) runs first when the backlog is small; the set-based sweep erases what is left.
(b) ``returned_loans`` — loans whose item came back after they were made
    (``item.last_returned_at >= loan.lent_at``): an offline-return import from the mobile library
    interrupted between stamping the items and deleting the loans.
(c) ``cancelled_patron_reservations`` — reservations of a patron whose registration is cancelled
    (方針 第3(4): erased promptly; it also lets ``patrons_purge_cancelled`` erase the patron).
(d) ``withdrawn_item_reservations`` — reservations of a withdrawn item (除籍).

What is deleted: the rows above, nothing else — no patron, no item. What is kept: anonymous counts.
Each erasure is counted into ``CirculationDailyStat`` as the ending it stands for — (a) reservation
expired, (b) return (on the day and at the place the item came back, as ``loan_return`` counts it),
(c)(d) reservation cancelled — so that the daily statistics agree with what the regular services
would have counted. The per-item 貸出回数 (``ItemCirculationStat.loans``, counted when a loan ends)
is counted by the offline-return import but not by the sweep, for speed: see
``SWEEP_COUNTS_ITEM_LOANS``. On SQLite each batch counts in its own transaction. On PostgreSQL the
daily count, which needs each patron's category, is noted as (day, branch, patron) in a
session-temporary table and counted once at the end of the kind's sweep (``_count_erased``: one
pass over the patrons instead of one random read per erased row). A run killed mid-sweep loses those daily counts, never an erasure; its
``SafetyNetRun`` then has no ``finished_at``. No item is rerouted by the sweep: an item whose
expired hold it erased stays on the hold shelf until staff scan it (``reservation_capture`` sends it
to the next reservation).

How: set-based, in keyset batches by primary key, each batch its own short transaction. PostgreSQL
does a batch in one statement (``WITH p AS (SELECT id … WHERE id > %s ORDER BY id LIMIT %s),
d AS (DELETE … WHERE id = ANY(ARRAY(SELECT id FROM p)) RETURNING id), … SELECT max(id), count(*)
FROM d``); other databases (SQLite) find the batch's last id and size, count, then delete the same
id range. No row is ever loaded into Python — only the batch's last id and its size come back — so
memory stays flat however many rows there are. Log lines, the ``SafetyNetRun`` row and the
access-log event carry counts only: no patron, no item.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from patrons.models import Branch, Patron, PatronStatus
from privacy_admin.audit.services import audit_record

from .models import (
    CirculationAction,
    CirculationDailyStat,
    Item,
    ItemCirculationStat,
    Loan,
    Reservation,
    SafetyNetRun,
)

logger = logging.getLogger(__name__)

EXPIRED = "expired_reservations"
RETURNED = "returned_loans"
CANCELLED = "cancelled_patron_reservations"
WITHDRAWN = "withdrawn_item_reservations"

KIND_LABELS: dict[str, str] = {
    EXPIRED: "取置期限切れの予約",
    RETURNED: "返却済み資料の貸出記録",
    CANCELLED: "登録取消者の予約",
    WITHDRAWN: "除籍資料の予約",
}
DEFAULT_BATCH_SIZE = 10_000
# Up to this many expired holds go through the regular expiry first (item by item, routing each
# item to the next reservation). A larger backlog (the job was down) is swept set-based at once:
# erasing promptly comes first (方針 第3(3)); staff then route the items by scanning them.
ROUTED_EXPIRY_LIMIT = 2_000

Progress = Callable[[str, int, int], None]  # (kind, erased in this batch, erased so far of that kind)


@dataclass
class SafetyNetResult:
    dry_run: bool
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    erased: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KIND_LABELS, 0))
    batches: int = 0
    routed_expiries: int = 0  # expired by the regular service before the sweep (not counted as caught)
    run_id: int | None = None

    @property
    def loans_erased(self) -> int:
        return self.erased[RETURNED]

    @property
    def reservations_erased(self) -> int:
        return self.erased[EXPIRED] + self.erased[CANCELLED] + self.erased[WITHDRAWN]

    @property
    def total(self) -> int:
        return self.loans_erased + self.reservations_erased

    @property
    def seconds(self) -> float:
        end = self.finished_at or timezone.now()
        return (end - self.started_at).total_seconds()


# --- SQL ----------------------------------------------------------------------------------------


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


@dataclass(frozen=True)
class _Kind:
    code: str
    model: type[Loan] | type[Reservation]
    action: str

    def where(self, t: str, *, on: dt.date) -> tuple[str, str, list[Any]]:
        """Joins and condition true for a row (alias ``t``) that should no longer exist.

        Returns (joins after ``FROM <table> t``, WHERE condition, params); joined tables are ``si``
        (the item) and ``sp`` (the patron, for (c)).
        """
        item, patron = _qn(Item._meta.db_table), _qn(Patron._meta.db_table)
        if self.code == EXPIRED:
            # hold_until is the last day to pick up: the hold ends at the end of that day.
            return (
                "",
                f"{t}.status = %s AND {t}.hold_until < %s",
                [Reservation.Status.READY.value, connection.ops.adapt_datefield_value(on)],
            )
        if self.code == CANCELLED:
            return (
                f"JOIN {patron} sp ON sp.id = {t}.patron_id",
                "sp.status = %s",
                [PatronStatus.CANCELLED.value],
            )
        joins = f"JOIN {item} si ON si.id = {t}.item_id"
        if self.code == RETURNED:
            return joins, f"si.last_returned_at >= {t}.lent_at", []
        return joins, "si.status = %s", [Item.Status.WITHDRAWN.value]

    def exists(self, t: str, *, on: dt.date) -> tuple[str, list[Any]]:
        """The same condition without joins, for a DELETE on databases that cannot join in one."""
        item, patron = _qn(Item._meta.db_table), _qn(Patron._meta.db_table)
        joins, condition, params = self.where(t, on=on)
        if not joins:
            return condition, params
        if self.code == CANCELLED:
            return (
                f"EXISTS (SELECT 1 FROM {patron} sp WHERE sp.id = {t}.patron_id AND {condition})",  # noqa: S608 - names from the models
                params,
            )
        return (
            f"EXISTS (SELECT 1 FROM {item} si WHERE si.id = {t}.item_id AND {condition})",  # noqa: S608 - names from the models
            params,
        )

    def counted_as(self, t: str, *, on: dt.date, postgres: bool) -> tuple[str, list[Any], str]:
        """(day SQL, its params, branch SQL): how an erased row is counted in the statistics."""
        if self.code == RETURNED:
            # A return, on the day and at the place the item came back (as loan_return counts it).
            day, params = connection.ops.datetime_cast_date_sql(
                "si.last_returned_at", (), timezone.get_current_timezone_name()
            )
            return day, list(params), f"COALESCE(si.current_branch_id, {t}.branch_id)"
        # The end of a reservation is counted on the day it is erased, at its pickup place.
        day = "CAST(%s AS date)" if postgres else "%s"
        return day, [connection.ops.adapt_datefield_value(on)], f"{t}.pickup_branch_id"


_KINDS = (
    _Kind(EXPIRED, Reservation, CirculationAction.RESERVATION_EXPIRED.value),
    _Kind(RETURNED, Loan, CirculationAction.RETURN.value),
    _Kind(CANCELLED, Reservation, CirculationAction.RESERVATION_CANCELLED.value),
    _Kind(WITHDRAWN, Reservation, CirculationAction.RESERVATION_CANCELLED.value),
)
_BY_CODE = {k.code: k for k in _KINDS}
# PostgreSQL: what a sweep erased, (day, branch, patron), until it is counted at the end of the sweep.
# A session's own temporary table: never shared, never kept, and it names no item.
_ERASED = "loans_safety_net_erased"
# A batch (one transaction) runs as statements of at most this many rows: measured on PostgreSQL,
# two statements of 5,000 erase ~25% faster than one of 10,000 (1,000,000 stale loans, 10,000 a batch).
_STATEMENT_ROWS = 5_000
# 貸出回数 per item (ItemCirculationStat.loans) is counted when a loan ends. The import's step 2 counts
# it; the sweep does not by default: updating one statistics row per erased loan is half a batch's
# time, and with it the city-scale benchmark (1,000,000 stale loans, fresh database, shared 2-core
# machine) measured 58,000 rows/s against ≥ 100,000 required; without it, 104,000. The loans the
# sweep erases are few in normal operation (an interrupted import), so the per-item counts miss
# exactly those, as recorded per run (SafetyNetRun.loans_erased). True counts them too.
SWEEP_COUNTS_ITEM_LOANS = False


def _stat_insert(select_sql: str) -> str:
    stat = _qn(CirculationDailyStat._meta.db_table)
    cols = ", ".join(_qn(c) for c in ("day", "branch_id", "category_id", "action", "count"))
    key = ", ".join(_qn(c) for c in ("day", "branch_id", "category_id", "action"))
    count = _qn("count")
    # One upsert: concurrent counters add to the same row atomically.
    return (
        f"INSERT INTO {stat} ({cols}) {select_sql} "
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {stat}.{count} + excluded.{count}"
    )


def _item_loans_insert(select_sql: str) -> str:
    """貸出回数 per item is counted when a loan ends (as loan_return does): +1 per erased loan."""
    stat = _qn(ItemCirculationStat._meta.db_table)
    loans = _qn("loans")
    return (
        f"INSERT INTO {stat} ({_qn('item_id')}, {loans}, {_qn('reservations')}) {select_sql} "
        f"ON CONFLICT ({_qn('item_id')}) DO UPDATE SET {loans} = {stat}.{loans} + excluded.{loans}"
    )


def _batch(
    kind: _Kind,
    *,
    after: int,
    limit: int,
    on: dt.date,
    dry_run: bool,
    deferred: bool = False,
    item_loans: bool = False,
    extra: tuple[str, list[Any]] | None = None,
) -> tuple[int | None, int, int]:
    """One batch: (last id of the batch or None, rows matched, rows erased). Caller holds a transaction."""
    table = _qn(kind.model._meta.db_table)
    patron = _qn(Patron._meta.db_table)
    postgres = connection.vendor == "postgresql"
    joins, where, params = kind.where("t", on=on)
    if extra is not None:
        where, params = f"{where} AND {extra[0].format(t='t')}", [*params, *extra[1]]
    day, day_params, branch = kind.counted_as("t", on=on, postgres=postgres)
    with connection.cursor() as cursor:
        if postgres and not dry_run:
            # The batch's commit need not wait for its WAL flush: a crash can lose only the last
            # batches, whose rows are then still there (and stale) for the next run; the run's
            # closing transaction (its record and access-log event) is synchronous and flushes all.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # One statement. p: the batch by primary key, with what its count needs (the item read
            # once); d: its deletion by the rows' ctid (a TID scan: no second index descent; a row
            # changed meanwhile has a new ctid, is left alone and is found by the next run); then the rows
            # actually deleted are noted for counting at the end of the sweep (see _count_erased),
            # or, without a session of our own, counted now.
            if deferred:
                counted = (
                    f"e AS (INSERT INTO {_ERASED} (day, branch_id, patron_id) "  # noqa: S608 - names from the models
                    "SELECT p.day, p.branch_id, p.patron_id FROM d JOIN p ON p.id = d.id) "
                )
                count_params: list[Any] = []
            else:
                counted = (
                    "e AS ("  # noqa: S608 - names from the models
                    + _stat_insert(
                        "SELECT p.day, p.branch_id, pc.category_id, %s, COUNT(*) FROM d JOIN p ON p.id = d.id "  # noqa: S608 - names from the models
                        f"JOIN {patron} pc ON pc.id = p.patron_id GROUP BY 1, 2, 3"
                    )
                    + ") "
                )
                count_params = [kind.action]
            if item_loans and kind.model is Loan:  # one loan per item: each item once in a batch
                counted += (
                    ", i AS ("  # noqa: S608 - names from the models
                    + _item_loans_insert("SELECT p.item_id, 1, 0 FROM d JOIN p ON p.id = d.id")
                    + ") "
                )
            cursor.execute(
                f"WITH p AS MATERIALIZED (SELECT t.id, t.ctid AS tid, {day} AS day, {branch} AS branch_id, "  # noqa: S608 - names from the models
                f"t.patron_id, t.item_id FROM {table} t {joins} WHERE t.id > %s AND {where} ORDER BY t.id LIMIT %s), "
                f"d AS (DELETE FROM {table} x WHERE x.ctid = ANY(ARRAY(SELECT p.tid FROM p)) RETURNING x.id), "
                f"{counted}SELECT MAX(d.id), COUNT(*) FROM d",
                [*day_params, after, *params, limit, *count_params],
            )
            last, erased = cursor.fetchone()
            return last, erased, erased
        pick = f"SELECT t.id FROM {table} t {joins} WHERE t.id > %s AND {where} ORDER BY t.id LIMIT %s"  # noqa: S608 - names from the models
        cursor.execute(f"SELECT MAX(b.id), COUNT(*) FROM ({pick}) b", [after, *params, limit])  # noqa: S608 - names from the models
        last, matched = cursor.fetchone()
        if last is None or dry_run:
            return last, matched, 0
        # Elsewhere (SQLite): count, then delete, the same id range in the same transaction.
        cursor.execute(
            _stat_insert(
                f"SELECT {day}, {branch}, pc.category_id, %s, COUNT(*) FROM {table} t {joins} "  # noqa: S608 - names from the models
                f"JOIN {patron} pc ON pc.id = t.patron_id "
                f"WHERE t.id > %s AND t.id <= %s AND {where} GROUP BY 1, 2, 3"
            ),
            [*day_params, kind.action, after, last, *params],
        )
        if item_loans and kind.model is Loan:
            cursor.execute(
                _item_loans_insert(
                    f"SELECT t.item_id, 1, 0 FROM {table} t {joins} "  # noqa: S608 - names from the models
                    f"WHERE t.id > %s AND t.id <= %s AND {where}"
                ),
                [after, last, *params],
            )
        condition, condition_params = kind.exists(table, on=on)
        if extra is not None:
            condition, condition_params = (
                f"{condition} AND {extra[0].format(t=table)}",
                [*condition_params, *extra[1]],
            )
        cursor.execute(
            f"DELETE FROM {table} WHERE id > %s AND id <= %s AND {condition}",  # noqa: S608 - names from the models
            [after, last, *condition_params],
        )
        return last, matched, cursor.rowcount


def _count_erased(kind: _Kind) -> None:
    """PostgreSQL: count what the sweep erased into ``CirculationDailyStat``, in one statement.

    The patron's category is what a count needs; reading it row by row in each batch (one random
    read per erased row) cut a 1,000,000-row sweep from ≥ 100,000 to ~60,000 rows/s. Noted in a
    temporary table and joined once here, it is one pass over the patrons.
    """
    patron = _qn(Patron._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the join hashes in memory, not in batches on disk
        cursor.execute(
            _stat_insert(
                f"SELECT e.day, e.branch_id, pc.category_id, %s, COUNT(*) FROM {_ERASED} e "  # noqa: S608 - names from the models
                f"JOIN {patron} pc ON pc.id = e.patron_id GROUP BY 1, 2, 3"
            ),
            [kind.action],
        )
        cursor.execute(f"TRUNCATE {_ERASED}")


def _sweep(
    kind: _Kind,
    *,
    on: dt.date,
    dry_run: bool,
    batch_size: int,
    progress: Progress | None,
    item_loans: bool = False,
    extra: tuple[str, list[Any]] | None = None,
) -> tuple[int, int]:
    """Every batch of one kind, oldest id first. Returns (rows erased or, dry, found; batches)."""
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
            # One batch, one transaction, in statements of at most _STATEMENT_ROWS rows.
            last: int | None = None
            matched = erased = 0
            with transaction.atomic():
                while matched < batch_size:
                    step = min(_STATEMENT_ROWS, batch_size - matched)
                    part_last, part_matched, part_erased = _batch(
                        kind,
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
                    erased += part_erased
                    if part_matched < step:
                        break
            if last is None:
                break
            batches += 1
            total += matched if dry_run else erased
            after = last
            if progress is not None:
                progress(kind.code, matched if dry_run else erased, total)
            if matched < batch_size:
                break
    finally:
        # Counted even when a later batch fails: what was erased and committed is counted.
        if deferred and total:
            _count_erased(kind)
    return total, batches


# --- the job --------------------------------------------------------------------------------------


def safety_net_run(
    *,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on: dt.date | None = None,
    progress: Progress | None = None,
) -> SafetyNetResult:
    """Find and erase every loan and reservation that should no longer exist (see the module docstring).

    ``dry_run`` counts what would be erased and changes nothing (no regular expiry either); the
    run is still recorded (``SafetyNetRun.dry_run``). ``on`` is the calendar day holds are measured
    against (default: today). ``progress(kind, erased_in_batch, erased_so_far)`` is called after each
    batch. Writes one ``SafetyNetRun`` row and one access-log event ("circulation.safety_net"), both
    with counts only. Idempotent: a second run finds nothing.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    on = on or timezone.localdate()
    result = SafetyNetResult(dry_run=dry_run, started_at=timezone.now())
    run = SafetyNetRun.objects.create(started_at=result.started_at, dry_run=dry_run)
    result.run_id = run.pk
    if not dry_run:
        result.routed_expiries = _routed_expiry(on=on)
    for kind in _KINDS:
        erased, batches = _sweep(
            kind,
            on=on,
            dry_run=dry_run,
            batch_size=batch_size,
            progress=progress,
            item_loans=SWEEP_COUNTS_ITEM_LOANS,
        )
        result.erased[kind.code] = erased
        result.batches += batches
        logger.info(
            "safety net: kind=%s %s=%d batches=%d",
            kind.code,
            "found" if dry_run else "erased",
            erased,
            batches,
        )
    result.finished_at = timezone.now()
    with transaction.atomic():
        SafetyNetRun.objects.filter(pk=run.pk).update(
            finished_at=result.finished_at,
            loans_erased=result.loans_erased,
            reservations_erased=result.reservations_erased,
        )
        audit_record(
            actor=None,
            action="circulation.safety_net",
            target_type="safety_net",
            target_id=run.pk,
            detail={
                "dry_run": dry_run,
                "loans": result.loans_erased,
                "reservations": result.reservations_erased,
                "routed_expiries": result.routed_expiries,
                "batches": result.batches,
                **{code: n for code, n in result.erased.items()},
            },
        )
    logger.info(
        "safety net finished: dry_run=%s loans=%d reservations=%d routed_expiries=%d seconds=%.2f",
        dry_run,
        result.loans_erased,
        result.reservations_erased,
        result.routed_expiries,
        result.seconds,
    )
    return result


def _routed_expiry(*, on: dt.date) -> int:
    """The regular expiry, when the backlog is small enough to route item by item."""
    from .services import reservations_expire  # services import notices; keep the import local

    backlog = Reservation.objects.filter(status=Reservation.Status.READY, hold_until__lt=on).count()
    if not backlog or backlog > ROUTED_EXPIRY_LIMIT:
        return 0
    try:
        return reservations_expire(on=on)
    except Exception as exc:
        # The sweep behind it erases whatever the regular expiry left: the net must not fail with it.
        # The class name only: an exception's text is not trusted to be free of personal data.
        logger.error("safety net: regular expiry failed error=%s; sweeping instead", type(exc).__name__)
        return 0


def safety_net_oldest_overdue_age(on: dt.datetime | None = None) -> dt.timedelta:
    """How long the oldest record that should already be gone has been waiting; zero when healthy.

    "Should be gone since": (a) the end of the hold's last day (midnight after ``hold_until``),
    (b) ``item.last_returned_at``, (c) the start of ``patron.cancelled_on``. (d) has no date — an item
    does not record when it was withdrawn — so it does not count here; the next run erases it.
    """
    now = on or timezone.now()
    today = timezone.localdate(now)
    since: list[dt.datetime] = []
    tz = timezone.get_current_timezone()
    expired = Reservation.objects.filter(status=Reservation.Status.READY, hold_until__lt=today).aggregate(
        m=Min("hold_until")
    )["m"]
    if expired is not None:
        since.append(dt.datetime.combine(expired + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    returned = Loan.objects.filter(item__last_returned_at__gte=F("lent_at")).aggregate(
        m=Min("item__last_returned_at")
    )["m"]
    if returned is not None:
        since.append(returned)
    cancelled = Reservation.objects.filter(
        patron__status=PatronStatus.CANCELLED, patron__cancelled_on__isnull=False
    ).aggregate(m=Min("patron__cancelled_on"))["m"]
    if cancelled is not None:
        since.append(dt.datetime.combine(cancelled, dt.time.min, tzinfo=tz))
    if not since:
        return dt.timedelta(0)
    return max(now - min(since), dt.timedelta(0))


def safety_net_last_run() -> SafetyNetRun | None:
    """The last finished run that erased (dry runs change nothing, so they do not count for health)."""
    return (
        SafetyNetRun.objects.filter(dry_run=False, finished_at__isnull=False).order_by("-finished_at").first()
    )


# --- the mobile library's offline returns ----------------------------------------------------------


@dataclass(frozen=True)
class OfflineReturn:
    barcode: str
    returned_at: dt.datetime  # aware


@dataclass
class OfflineImportResult:
    rows: int = 0
    stamped: int = 0
    unknown: int = 0
    older: int = 0  # a later return of the item was already recorded
    loans_erased: int = 0
    waiting_reservations: int = 0  # items that someone waits for: staff scan them (予約資料の確保)


_IMPORT_CHUNK = 1000


OFFLINE_MAX_ROWS = 100_000
_FUTURE_SLACK = dt.timedelta(minutes=5)


def parse_offline_returns(lines: Iterable[str]) -> tuple[list[OfflineReturn], list[str]]:
    """CSV rows ``barcode,returned_at`` (ISO 8601; a time without zone is local; a header is optional).

    Returns the rows and Japanese error messages naming line numbers only — never a barcode.
    """
    from .services import is_barcode_shape, normalize_barcode

    rows: list[OfflineReturn] = []
    errors: list[str] = []
    now = timezone.now()
    for line_no, record in enumerate(csv.reader(lines), start=1):
        if not record or not any(cell.strip() for cell in record):
            continue
        if line_no == 1 and record[0].strip().lower() in ("barcode", "資料番号"):
            continue
        if len(rows) + len(errors) >= OFFLINE_MAX_ROWS:
            errors.append(
                _("%(n)d行目以降: 1回に取り込めるのは%(max)d行までです。")
                % {"n": line_no, "max": OFFLINE_MAX_ROWS}
            )
            break
        if len(record) < 2:
            errors.append(_("%(n)d行目: 資料番号と返却日時の2列が必要です。") % {"n": line_no})
            continue
        barcode = normalize_barcode(record[0])
        try:
            at = dt.datetime.fromisoformat(record[1].strip())
        except ValueError:
            errors.append(
                _("%(n)d行目: 返却日時の形式が正しくありません（例: 2026-11-20 14:05）。") % {"n": line_no}
            )
            continue
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        if not is_barcode_shape(barcode):
            errors.append(_("%(n)d行目: 資料番号の形式が正しくありません。") % {"n": line_no})
        elif at > now + _FUTURE_SLACK:
            errors.append(_("%(n)d行目: 返却日時が未来になっています。") % {"n": line_no})
        else:
            rows.append(OfflineReturn(barcode=barcode, returned_at=at))
    return rows, errors


def loans_import_offline_returns(
    *, actor: Any, rows: Iterable[OfflineReturn], branch: Branch | None = None
) -> OfflineImportResult:
    """Record returns made offline at the mobile library and erase their loans (方針 第3(2)).

    Step 1 stamps the items in bulk (``last_returned_at``, and for the item whose current loan this
    return ends: status 在架 and, given ``branch``, the place), one transaction per 1,000 items.
    Step 2 deletes those loans by join (``item.last_returned_at >= loan.lent_at``) with the return
    counted into the anonymous statistics — the safety net's own kind (b), restricted to these items.
    An interruption between the steps leaves exactly the loans the safety net erases (and counts)
    on its next run.
    A return older than the item's current loan (the item was lent again) stamps nothing of that loan.
    The access-log event carries counts only: no patron, no item.
    """
    from .services import is_barcode_shape, normalize_barcode

    latest: dict[str, dt.datetime] = {}
    result = OfflineImportResult()
    for row in rows:
        result.rows += 1
        code = normalize_barcode(row.barcode)
        if not is_barcode_shape(code) or timezone.is_naive(row.returned_at):
            raise ValidationError({"rows": [_("資料番号または返却日時の形式が正しくない行があります。")]})
        if code not in latest or row.returned_at > latest[code]:
            latest[code] = row.returned_at
    ended: list[int] = []
    codes = sorted(latest)
    for chunk in _chunks(codes, _IMPORT_CHUNK):
        with transaction.atomic():
            items = list(
                Item.objects.select_for_update()
                .filter(barcode__in=chunk)
                .only("id", "barcode", "status", "last_returned_at", "current_branch_id")
            )
            result.unknown += len(chunk) - len(items)
            lent_at = dict(
                Loan.objects.filter(item_id__in=[i.pk for i in items]).values_list("item_id", "lent_at")
            )
            changed = []
            for item in items:
                at = latest[item.barcode]
                if item.last_returned_at is not None and item.last_returned_at >= at:
                    result.older += 1
                    continue
                item.last_returned_at = at
                loan_started = lent_at.get(item.pk)
                if loan_started is not None and loan_started <= at:
                    ended.append(item.pk)
                    if item.status != Item.Status.WITHDRAWN:
                        item.status = Item.Status.AVAILABLE
                    if branch is not None:
                        item.current_branch = branch
                changed.append(item)
            Item.objects.bulk_update(changed, ["last_returned_at", "status", "current_branch"])
            result.stamped += len(changed)
    result.loans_erased = _erase_returned_loans(item_ids=ended)
    result.waiting_reservations = (
        Reservation.objects.filter(item_id__in=ended, status=Reservation.Status.WAITING)
        .values("item_id")
        .distinct()
        .count()
        if ended
        else 0
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="circulation.offline_return_import",
            target_type="import",
            branch_code=branch.code if branch is not None else None,
            detail={
                "rows": result.rows,
                "stamped": result.stamped,
                "unknown": result.unknown,
                "older": result.older,
                "loans": result.loans_erased,
                "waiting": result.waiting_reservations,
            },
        )
    logger.info(
        "offline returns imported: rows=%d stamped=%d unknown=%d loans=%d",
        result.rows,
        result.stamped,
        result.unknown,
        result.loans_erased,
    )
    return result


def _erase_returned_loans(*, item_ids: Sequence[int]) -> int:
    """Step 2 of the import: kind (b) of the safety net, restricted to ``item_ids``."""
    kind = _BY_CODE[RETURNED]
    on = timezone.localdate()
    erased = 0
    for chunk in _chunks(sorted(item_ids), _IMPORT_CHUNK):
        placeholders = ", ".join(["%s"] * len(chunk))
        extra = (f"{{t}}.item_id IN ({placeholders})", list(chunk))
        n, _batches = _sweep(
            kind, on=on, dry_run=False, batch_size=len(chunk), progress=None, item_loans=True, extra=extra
        )
        erased += n
    return erased


def _chunks(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
