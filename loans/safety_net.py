"""The safety net: erase every loan or reservation that should no longer exist (方針 第3(2)(3)(4)).

The services erase a loan at return and a reservation when it is lent, cancelled or expires, in the
same transaction. This job is the second net, run every 15 minutes, for whatever slipped past them.
What it looks for is not written here: each sweeping rule of the erasure module (``loans.erasure``)
says what should be gone, why, and how it is counted; this module runs them in order, records the
run and tells the dashboard how healthy things are.

A run: the regular expiry first, when the backlog of expired holds is small (it routes each item to
the next reservation); then every sweeping rule, set-based in keyset batches, each batch its own
short transaction. Each batch writes its counts — on the ``SafetyNetRun`` row and as an access-log
event — in its own transaction, so a run killed mid-sweep (``kill -9``) has recorded exactly what its
committed batches erased. A run that never finished is marked interrupted by the next run, which
holds a lock (PostgreSQL: an advisory lock) so that two runs never sweep at once; the dashboard
shows it. Log lines, the run row and the access-log events carry counts only: no patron, no item.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from privacy_admin.audit.services import audit_record

from . import erasure
from .models import Loan, Reservation, SafetyNetRun

logger = logging.getLogger(__name__)

EXPIRED = erasure.EXPIRED_RESERVATION.code
RETURNED = erasure.RETURNED_LOAN.code
LENT = erasure.LENT_RESERVATION.code
CANCELLED = erasure.CANCELLED_PATRON_RESERVATION.code
WITHDRAWN = erasure.WITHDRAWN_ITEM_RESERVATION.code

KIND_LABELS: dict[str, str] = {rule.code: str(rule.label) for rule in erasure.SWEEP_RULES}
DEFAULT_BATCH_SIZE = 10_000
# Up to this many expired holds go through the regular expiry first (item by item, routing each
# item to the next reservation). A larger backlog (the job was down) is swept set-based at once:
# erasing promptly comes first (方針 第3(3)); staff then route the items by scanning them.
ROUTED_EXPIRY_LIMIT = 2_000
# 貸出回数 per item (ItemCirculationStat.loans) is counted when a loan ends. The offline-return
# import counts it; the sweep does not by default: updating one statistics row per erased loan is
# half a batch's time (58,000 rows/s against ≥ 100,000 required on the city-scale benchmark;
# without it, 104,000). The loans the sweep erases are few in normal operation (an interrupted
# import), so the per-item counts miss exactly those, as recorded per run. True counts them too.
SWEEP_COUNTS_ITEM_LOANS = False
# PostgreSQL advisory lock key: one safety-net run at a time ("SAFE" in ASCII).
_LOCK_KEY = 0x53414645

Progress = Callable[[str, int, int], None]  # (kind, erased in this batch, erased so far of that kind)


@dataclass
class SafetyNetResult:
    dry_run: bool
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    erased: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KIND_LABELS, 0))
    batches: int = 0
    routed_expiries: int = 0  # expired by the regular service before the sweep (not counted as caught)
    interrupted_runs: int = 0  # earlier runs found unfinished and marked interrupted
    skipped: bool = False  # another run holds the lock: this one did nothing
    run_id: int | None = None

    def _of(self, model: type) -> int:
        return sum(n for code, n in self.erased.items() if erasure.BY_CODE[code].model is model)

    @property
    def loans_erased(self) -> int:
        return self._of(Loan)

    @property
    def reservations_erased(self) -> int:
        return self._of(Reservation)

    @property
    def total(self) -> int:
        return sum(self.erased.values())

    @property
    def seconds(self) -> float:
        end = self.finished_at or timezone.now()
        return (end - self.started_at).total_seconds()


@contextmanager
def _single_run() -> Iterator[bool]:
    """Yields whether this process may run (no other run holds the lock). SQLite: one process."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_KEY])
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])


def _mark_interrupted(now: dt.datetime) -> int:
    """Runs that never finished: no run holds the lock now, so none of them is still going."""
    return SafetyNetRun.objects.filter(finished_at__isnull=True, interrupted_at__isnull=True).update(
        interrupted_at=now
    )


def safety_net_run(
    *,
    dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on: dt.date | None = None,
    progress: Progress | None = None,
) -> SafetyNetResult:
    """Find and erase every loan and reservation that should no longer exist (the sweeping rules of
    ``loans.erasure``).

    ``dry_run`` counts what would be erased and changes nothing (no regular expiry either); the
    run is still recorded (``SafetyNetRun.dry_run``). ``on`` is the calendar day holds are measured
    against (default: today). ``progress(kind, erased_in_batch, erased_so_far)`` is called after each
    batch. Each batch records its counts in its own transaction (the run row and a
    "circulation.safety_net_batch" event); the run ends with one "circulation.safety_net" event.
    Counts only. Idempotent: a second run finds nothing. When another run is in progress, returns at
    once with ``skipped``.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    on = on or timezone.localdate()
    result = SafetyNetResult(dry_run=dry_run, started_at=timezone.now())
    with _single_run() as may_run:
        if not may_run:
            result.skipped = True
            logger.info("safety net: another run is in progress; skipped")
            return result
        result.interrupted_runs = _mark_interrupted(result.started_at)
        if result.interrupted_runs:
            logger.warning("safety net: runs marked interrupted count=%d", result.interrupted_runs)
        run = SafetyNetRun.objects.create(started_at=result.started_at, dry_run=dry_run)
        result.run_id = run.pk
        if not dry_run:
            result.routed_expiries = _routed_expiry(on=on)

        def on_batch(rule: erasure.Rule, n: int) -> None:
            # Inside the batch's transaction: what a committed batch erased is recorded with it.
            result.erased[rule.code] += n
            result.batches += 1
            run.erased = dict(result.erased)
            run.batches = result.batches
            run.save(update_fields=["erased", "batches"])
            if not dry_run:
                audit_record(
                    actor=None,
                    action="circulation.safety_net_batch",
                    target_type="safety_net",
                    target_id=run.pk,
                    detail={"kind": rule.code, "erased": n},
                )
            if progress is not None:
                progress(rule.code, n, result.erased[rule.code])

        for rule in erasure.SWEEP_RULES:
            erased, batches = erasure.sweep(
                rule,
                on=on,
                dry_run=dry_run,
                batch_size=batch_size,
                on_batch=on_batch,
                item_loans=SWEEP_COUNTS_ITEM_LOANS,
            )
            logger.info(
                "safety net: kind=%s %s=%d batches=%d",
                rule.code,
                "found" if dry_run else "erased",
                erased,
                batches,
            )
        result.finished_at = timezone.now()
        with transaction.atomic():
            SafetyNetRun.objects.filter(pk=run.pk).update(
                finished_at=result.finished_at, erased=dict(result.erased), batches=result.batches
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
                    "interrupted_runs": result.interrupted_runs,
                    **dict(result.erased),
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

    backlog = Reservation.objects.filter(erasure.EXPIRED_RESERVATION.predicate(on=on)).count()
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
    """How long the oldest record that should already be gone has been waiting; zero when healthy
    (each sweeping rule's predicate and its "since", see ``loans.erasure``)."""
    return erasure.oldest_overdue_age(on)


def safety_net_last_run() -> SafetyNetRun | None:
    """The last finished run that erased (dry runs change nothing, so they do not count for health)."""
    return (
        SafetyNetRun.objects.filter(dry_run=False, finished_at__isnull=False).order_by("-finished_at").first()
    )


def safety_net_last_interrupted() -> SafetyNetRun | None:
    """The newest run that never finished and was marked interrupted, if it is newer than the last
    finished run (the dashboard warns about it until a run completes)."""
    last = safety_net_last_run()
    runs = SafetyNetRun.objects.filter(interrupted_at__isnull=False)
    if last is not None:
        runs = runs.filter(started_at__gt=last.started_at)
    return runs.order_by("-started_at").first()
