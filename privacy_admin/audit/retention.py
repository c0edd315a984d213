"""Retention of the access log: the purge is the only way an event leaves it.

Rule kept: events older than ``AUDIT_RETENTION_YEARS`` calendar years (default 5) are deleted, oldest
first and only as a sealed, contiguous prefix of the chain. Each batch records itself in the chain in
its own transaction: an ``audit.purge`` event whose detail says how many events went, up to which one
(``through_seq``) and with which seal (``through_hash``), and the cutoff. ``audit_verify`` starts the
chain from the newest such record, and anything else that removed the oldest events is caught. The
purge refuses to delete across a broken chain: that would destroy the evidence of tampering.

On PostgreSQL the database enforces the age itself (migration 0004): whatever a session sets, a DELETE
of an event younger than the retention fixed at migration time fails (a shorter AUDIT_RETENTION_YEARS
set later makes the purge fail there, loudly, rather than delete).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .chainrows import iter_batches
from .models import AuditEvent, AuditSeal, Outcome
from .sealer import lock_chain
from .sealing import key_bytes
from .services import audit_record
from .verify import ChainStart, ChainWalker, chain_start

logger = logging.getLogger(__name__)


class AuditChainBrokenError(RuntimeError):
    """The chain is broken inside the expired events; nothing was purged past the break."""


def retention_cutoff(now: dt.datetime, years: int) -> dt.datetime:
    """The same wall-clock instant ``years`` calendar years earlier in Asia/Tokyo (2/29 → 2/28)."""
    local = timezone.localtime(now)
    year = local.year - years
    day = 28 if (local.month, local.day) == (2, 29) and not calendar.isleap(year) else local.day
    return local.replace(year=year, day=day)


def _cutoff(now: dt.datetime | None) -> dt.datetime:
    return retention_cutoff(now or timezone.now(), settings.AUDIT_RETENTION_YEARS)


def _expired_prefix(start: ChainStart, cutoff: dt.datetime, limit: int) -> list[tuple[int, dt.datetime]]:
    """(seq, occurred_at) of the sealed events from the chain's start that are older than the cutoff."""
    rows = list(
        AuditEvent.objects.filter(seq__gt=start.prev_seq)
        .order_by("seq")
        .values_list("seq", "occurred_at")[:limit]
    )
    sealed = set(AuditSeal.objects.filter(seq__in=[seq for seq, _ in rows]).values_list("seq", flat=True))
    prefix = []
    for seq, occurred_at in rows:
        if occurred_at >= cutoff or seq not in sealed:
            break
        prefix.append((seq, occurred_at))
    return prefix


def audit_count_expired(*, now: dt.datetime | None = None, batch_size: int = 50000) -> int:
    """How many events ``audit_purge_expired`` would delete now (for ``audit_purge --dry-run``)."""
    start = chain_start()
    if isinstance(start, str):
        return 0
    return len(_expired_prefix(start, _cutoff(now), 10**9))


def audit_purge_expired(*, now: dt.datetime | None = None, batch_size: int = 50000) -> int:
    """Delete the expired prefix of the log in batches, each in its own transaction with its own
    ``audit.purge`` event; return the count. Running it again deletes nothing and writes nothing."""
    cutoff = _cutoff(now)
    total = 0
    while True:
        try:
            with transaction.atomic():
                deleted = _purge_batch(cutoff=cutoff, batch_size=batch_size)
        except AuditChainBrokenError:
            audit_record(
                standalone=True,
                actor=None,
                action="audit.purge",
                target_type="audit_log",
                outcome=Outcome.FAILURE,
                detail={"count": total, "reason": "chain_broken"},
            )
            logger.error("audit purge stopped at a broken chain after %d events", total)
            raise
        total += deleted
        if deleted < batch_size:
            break
    logger.info("audit purge: %d events removed", total)
    return total


def _purge_batch(*, cutoff: dt.datetime, batch_size: int) -> int:
    lock_chain()  # with the sealer: the chain's start does not move under it
    start = chain_start()
    if isinstance(start, str):
        raise AuditChainBrokenError(f"retention purge refused: {start}")
    prefix = _expired_prefix(start, cutoff, batch_size)
    if not prefix:
        return 0
    through_seq = prefix[-1][0]
    walker = ChainWalker(
        key=key_bytes(settings.AUDIT_CHAIN_KEY), prev_seq=start.prev_seq, prev_hash=start.prev_hash
    )
    if not walker.feed_batches(iter_batches(after_seq=start.prev_seq, upto_seq=through_seq, with_seals=True)):
        raise AuditChainBrokenError(
            f"retention purge refused: {walker.problem} / 連鎖が壊れているため保存期間経過ログを削除しません"
        )
    events = AuditEvent.objects.filter(seq__gt=start.prev_seq, seq__lte=through_seq)
    deleted = events._raw_delete(events.db)
    seals = AuditSeal.objects.filter(seq__lte=through_seq)
    seals._raw_delete(seals.db)
    audit_record(
        actor=None,
        action="audit.purge",
        target_type="audit_log",
        detail={
            "count": deleted,
            "through_seq": through_seq,
            "through_hash": walker.last_hash,
            "cutoff": cutoff.astimezone(dt.UTC).isoformat(),
        },
    )
    return deleted
