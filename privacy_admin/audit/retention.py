"""Retention of the access log: the purge is the only way an event leaves it.

Rule kept: events older than ``AUDIT_RETENTION_YEARS`` calendar years (default 5) are deleted, oldest
first and only as a contiguous prefix of the chain, so the log never has a hole. After each batch the
chain head's anchor moves to the last deleted event, and ``audit_verify`` starts from there. The purge
refuses to delete across a broken chain: that would destroy the evidence of tampering.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent, ChainHead, Outcome
from .sealing import GENESIS
from .services import audit_record
from .verify import ROW_COLUMNS, ChainWalker, read_head

logger = logging.getLogger(__name__)

_SEQ = ROW_COLUMNS.index("seq")
_AT = ROW_COLUMNS.index("occurred_at")
_HASH = ROW_COLUMNS.index("hash")


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


def audit_count_expired(*, now: dt.datetime | None = None, batch_size: int = 5000) -> int:
    """How many events ``audit_purge_expired`` would delete now (for ``audit_purge --dry-run``)."""
    cutoff = _cutoff(now)
    head = read_head()
    last = head.anchor_seq if head else 0
    count = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(seq__gt=last)
            .order_by("seq")
            .values_list("seq", "occurred_at")[:batch_size]
        )
        for seq, occurred_at in batch:
            if occurred_at >= cutoff:
                return count
            count += 1
            last = seq
        if len(batch) < batch_size:
            return count


def audit_purge_expired(*, now: dt.datetime | None = None, batch_size: int = 5000) -> int:
    """Delete the expired prefix of the log in batches, each in its own transaction; return the count.

    One ``audit.purge`` event (detail: count) is written in the transaction of the last batch.
    Running it again deletes nothing and writes nothing (idempotent).
    """
    cutoff = _cutoff(now)
    total = 0
    while True:
        try:
            with transaction.atomic():
                finished, deleted = _purge_batch(cutoff=cutoff, batch_size=batch_size, total_before=total)
        except AuditChainBrokenError:
            audit_record(
                actor=None,
                action="audit.purge",
                target_type="audit_log",
                outcome=Outcome.FAILURE,
                detail={"count": total, "reason": "chain_broken"},
            )
            logger.error("audit purge stopped at a broken chain after %d events", total)
            raise
        total += deleted
        if finished:
            break
    logger.info("audit purge: %d events removed", total)
    return total


def _purge_batch(*, cutoff: dt.datetime, batch_size: int, total_before: int) -> tuple[bool, int]:
    # The head's row lock serialises purges with each other and with writers for one short batch.
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        return True, 0
    anchor_seq = head.anchor_seq
    anchor_hash = head.anchor_hash if anchor_seq and head.anchor_hash else GENESIS
    rows = list(
        AuditEvent.objects.filter(seq__gt=anchor_seq).order_by("seq").values_list(*ROW_COLUMNS)[:batch_size]
    )
    walker = ChainWalker(key=settings.AUDIT_CHAIN_KEY, after_seq=anchor_seq, after_hash=anchor_hash)
    expired: list[tuple[Any, ...]] = []
    for row in rows:
        if row[_AT] >= cutoff:
            break
        if not walker.feed(row):
            raise AuditChainBrokenError(
                f"retention purge refused: {walker.problem} / 連鎖が壊れているため保存期間経過ログを削除しません"
            )
        expired.append(row)
    finished = len(expired) < batch_size
    deleted = 0
    if expired:
        end_seq, end_hash = expired[-1][_SEQ], expired[-1][_HASH]
        deleted = _delete_through(anchor_seq=anchor_seq, end_seq=end_seq, cutoff=cutoff)
        ChainHead.objects.filter(pk=1).update(anchor_seq=end_seq, anchor_hash=end_hash)
    total = total_before + deleted
    if finished and total:
        audit_record(actor=None, action="audit.purge", target_type="audit_log", detail={"count": total})
    return finished, deleted


def _delete_through(*, anchor_seq: int, end_seq: int, cutoff: dt.datetime) -> int:
    if connection.vendor != "postgresql":
        return AuditEvent.objects.filter(seq__gt=anchor_seq, seq__lte=end_seq).delete()[0]
    with connection.cursor() as cursor:
        # The append-only trigger lets a DELETE through only for rows older than this setting. It is
        # cleared right after, because a caller's outer transaction would otherwise keep it alive.
        # A failed DELETE needs no reset: rolling back (to a savepoint, too) undoes set_config.
        cursor.execute("SELECT set_config('audit.purge_before', %s, true)", [cutoff.isoformat()])
        deleted = AuditEvent.objects.filter(seq__gt=anchor_seq, seq__lte=end_seq).delete()[0]
        cursor.execute("SELECT set_config('audit.purge_before', '', true)")
    return deleted
