"""The sealer: chains committed events into ``AuditSeal`` rows, in ``seq`` order, after they commit.

Writers never lock anything shared (``services.audit_record`` only INSERTs), so an event with a lower
``seq`` may commit after one with a higher ``seq``. The sealer therefore seals only up to a *horizon*
below which no event can still appear:

- On PostgreSQL every event takes its transaction id *before* its ``seq`` (``audit_next_seq()``,
  migration 0004). The sealer reads the sequence's last value ``c``, then the ids of the transactions
  of this database running at that point (``pg_stat_activity.backend_xid``; the sealer's own
  transaction excepted: its events and its seals commit or vanish together). Every transaction still
  holding an uncommitted ``seq <= c`` is among them; once none of them is running, every
  ``seq <= c`` is final, committed or rolled back. A candidate that is not yet safe is kept in
  ``AuditSealState`` and tried by later runs, so a long transaction only delays sealing.
- On SQLite a writer holds the database's only write lock until it commits and AUTOINCREMENT never
  hands out a value below a committed one, so every committed event is final.

Events up to the horizon are sealed in ``seq`` order, each naming the event sealed before it; a seq
that never committed is simply not in the chain. Sealers are serialised with each other (an advisory
transaction lock, taken by sealers and the retention purge only), and ``AuditSeal.seq`` is the primary
key, so no event is sealed twice. After commit the new head is written to the sealed-head file outside
the database (``checkpoints.write_sealed_head``).
"""

from __future__ import annotations

import binascii
import datetime as dt
import hmac
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .chainrows import iter_batches
from .models import AuditSeal, AuditSealState
from .sealing import GENESIS, key_bytes

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key shared by the sealer and the retention purge ("audit" in ASCII).
SEAL_LOCK_KEY = 0x6175646974


@dataclass(frozen=True)
class SealResult:
    sealed: int
    last_seq: int
    last_hash: str
    horizon: int


def lock_chain() -> None:
    """Serialise sealers and the purge (never writers). Held until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])


def _state() -> AuditSealState:
    state = AuditSealState.objects.filter(pk=1).first()
    if state is None:
        state = AuditSealState.objects.create(pk=1)
    return state


def chain_tail(state: AuditSealState) -> tuple[int, str]:
    """The last sealed event and its seal (after a purge of everything sealed: the state's copy)."""
    last = AuditSeal.objects.order_by("-seq").values_list("seq", "hash").first()
    if last is not None:
        return last[0], last[1]
    if state.last_seq:
        return state.last_seq, state.last_hash
    return 0, GENESIS


def _pg_horizon(state: AuditSealState) -> int:
    """The highest seq that is final now; updates the state's pending candidate."""
    with connection.cursor() as cursor:
        # In this order: the sequence first, then the transactions running after it was read.
        cursor.execute(
            "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM audit_auditevent_seq"
        )
        c = int(cursor.fetchone()[0])
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT backend_xid::text FROM pg_stat_activity"
            " WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
        running = {row[0] for row in cursor.fetchall()}
    # Whoever holds an uncommitted seq <= c took its transaction id before that seq, so it is in
    # ``running``; once all of those have ended, every seq <= c is final.
    horizon = 0
    pending = set(filter(None, state.pending_xids.split(",")))
    if state.pending_seq and not (pending & running):
        horizon = state.pending_seq
    if not running:
        horizon = max(horizon, c)
        state.pending_seq, state.pending_xids = 0, ""
    elif horizon or not state.pending_seq:
        state.pending_seq, state.pending_xids = c, ",".join(sorted(running))
    return horizon


def _sqlite_horizon() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(seq), 0) FROM audit_auditevent")
        return int(cursor.fetchone()[0])


def audit_seal_committed(*, batch_size: int = 50000, max_events: int | None = None) -> SealResult:
    """Seal every event that is final now, in ``seq`` order; return how many were sealed.

    Runs in its own transaction (or the caller's: events the caller wrote are sealed with it).
    """
    with transaction.atomic():
        lock_chain()
        state = _state()
        horizon = _pg_horizon(state) if connection.vendor == "postgresql" else _sqlite_horizon()
        last_seq, last_hash = chain_tail(state)
        key = key_bytes(settings.AUDIT_CHAIN_KEY)
        sealed = 0
        if horizon > last_seq:
            digest, hexlify = hmac.digest, binascii.hexlify
            last_seq_b, last_hash_b = str(last_seq).encode(), last_hash.encode()
            for lines in iter_batches(
                after_seq=last_seq, upto_seq=horizon, with_seals=False, batch_size=batch_size
            ):
                out: list[bytes] = []
                for canon in lines:
                    seq_b = canon[: canon.index(b"\t")]
                    hash_b = hexlify(digest(key, last_hash_b + b"|" + last_seq_b + b"|" + canon, "sha256"))
                    out.append(seq_b + b"\t" + last_seq_b + b"\t" + hash_b + b"\n")
                    last_seq_b, last_hash_b = seq_b, hash_b
                _insert_seals(out)
                sealed += len(out)
                if max_events is not None and sealed >= max_events:
                    break
            last_seq, last_hash = int(last_seq_b), last_hash_b.decode()
        state.last_seq, state.last_hash = last_seq, last_hash
        if sealed or state.sealed_at is None:
            state.sealed_at = timezone.now()
        state.save()
        if sealed:
            head = (last_seq, last_hash)
            transaction.on_commit(lambda: _after_commit(*head))
    return SealResult(sealed=sealed, last_seq=last_seq, last_hash=last_hash, horizon=horizon)


def _after_commit(seq: int, hash_: str) -> None:
    from .checkpoints import write_sealed_head

    try:
        write_sealed_head(seq=seq, hash_=hash_)
    except OSError:
        # The seals are committed; the file catches up with the next run. Never an error for writers.
        logger.exception("could not write the sealed-head file")


def _insert_seals(lines: list[bytes]) -> None:
    """Insert seals given as COPY text lines ``seq\\tprev_seq\\thash\\n``."""
    if not lines:
        return
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as wrapper,
            wrapper.cursor.copy("COPY audit_auditseal (seq, prev_seq, hash) FROM STDIN") as copy,
        ):
            copy.write(b"".join(lines))
        return
    seals = []
    for line in lines:
        seq, prev, hash_ = line.rstrip(b"\n").split(b"\t")
        seals.append(AuditSeal(seq=int(seq), prev_seq=int(prev), hash=hash_.decode()))
    AuditSeal.objects.bulk_create(seals)


def audit_seal_all(*, timeout: float = 10.0) -> SealResult:
    """``manage.py audit_seal``: seal everything committed before the call, waiting up to ``timeout``
    seconds for transactions still open at that moment (their events may precede committed ones)."""
    target = _committed_max()
    deadline = time.monotonic() + timeout
    total = 0
    while True:
        result = audit_seal_committed()
        total += result.sealed
        if result.last_seq >= target or time.monotonic() >= deadline:
            return SealResult(total, result.last_seq, result.last_hash, result.horizon)
        time.sleep(0.05)


def _committed_max() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(seq), 0) FROM audit_auditevent")
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class SealLag:
    unsealed: int
    oldest_unsealed_at: dt.datetime | None
    last_sealed_seq: int
    sealed_at: dt.datetime | None

    @property
    def lag_seconds(self) -> float:
        if self.oldest_unsealed_at is None:
            return 0.0
        return max(0.0, (timezone.now() - self.oldest_unsealed_at).total_seconds())


def seal_lag() -> SealLag:
    """How far sealing lags: events not yet sealed and the oldest of them (for the log page)."""
    from django.db.models import Count, Min

    from .models import AuditEvent

    last = AuditSeal.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    pending = AuditEvent.objects.filter(seq__gt=last).aggregate(n=Count("seq"), oldest=Min("occurred_at"))
    sealed_at = AuditSealState.objects.filter(pk=1).values_list("sealed_at", flat=True).first()
    return SealLag(
        unsealed=pending["n"], oldest_unsealed_at=pending["oldest"], last_sealed_seq=last, sealed_at=sealed_at
    )
