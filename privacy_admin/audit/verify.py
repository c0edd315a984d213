"""Checking the access log's seal chain (tamper evidence).

Rule kept: every event from the purge anchor to the chain head is present, in order, unaltered and
sealed with the chain key. The walk starts at ``ChainHead.anchor_seq`` (0 until the first retention
purge) and names the FIRST event where the chain breaks:

- altered content: the event's seal does not match its columns;
- a removed event: a gap in ``seq``, or a ``prev_hash`` that is not the previous event's seal;
- an inserted or reordered event: a ``prev_hash`` or seal that does not fit;
- removed newest events: the chain head names a later event (or another seal) than the last row;
- events beyond the head: rows that no sealed write accounts for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max

from .models import AuditEvent, ChainHead
from .sealing import GENESIS, SEALED_COLUMNS, seal

ROW_COLUMNS = (*SEALED_COLUMNS, "prev_hash", "hash")
_SEQ = ROW_COLUMNS.index("seq")
_PREV = ROW_COLUMNS.index("prev_hash")
_HASH = ROW_COLUMNS.index("hash")
_N_SEALED = len(SEALED_COLUMNS)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


@dataclass(frozen=True)
class HeadState:
    last_seq: int
    last_hash: str
    anchor_seq: int
    anchor_hash: str

    @property
    def start_hash(self) -> str:
        """The seal the first remaining event must follow."""
        return self.anchor_hash if self.anchor_seq else GENESIS


def read_head() -> HeadState | None:
    row = (
        ChainHead.objects.filter(pk=1)
        .values_list("last_seq", "last_hash", "anchor_seq", "anchor_hash")
        .first()
    )
    if row is None:
        return None
    last_seq, last_hash, anchor_seq, anchor_hash = row
    return HeadState(last_seq, last_hash or GENESIS, anchor_seq, anchor_hash or GENESIS)


def problem_text(seq: int, english: str, japanese: str) -> str:
    return f"event {seq}: {english} / ログ {seq}: {japanese}"


class ChainWalker:
    """Checks rows fed in ``seq`` order against the chain; remembers the first break.

    Rows are tuples in ``ROW_COLUMNS`` order, with the Python types the model gives (``values_list``
    runs the same field converters as model instances, so the seal is computed over equal values).
    """

    def __init__(self, *, key: str, after_seq: int, after_hash: str) -> None:
        self.key = key
        self.expected_seq = after_seq + 1
        self.expected_prev = after_hash
        self.checked = 0
        self.first_bad_seq: int | None = None
        self.problem = ""

    def _fail(self, seq: int, english: str, japanese: str) -> bool:
        self.first_bad_seq = seq
        self.problem = problem_text(seq, english, japanese)
        return False

    def feed(self, row: tuple[Any, ...]) -> bool:
        """Check one row; False (and the problem recorded) at the first break."""
        seq = row[_SEQ]
        if seq > self.expected_seq:
            return self._fail(
                seq,
                f"the event(s) before it are missing (removed from {self.expected_seq})",
                f"直前のログ（{self.expected_seq} から）が削除されています",
            )
        if seq < self.expected_seq:
            return self._fail(
                seq,
                "lies before the start of the chain (inserted, or the anchor was moved)",
                "連鎖の起点より前にあります（挿入または起点の改ざん）",
            )
        if row[_PREV] != self.expected_prev:
            return self._fail(
                seq,
                "does not follow the event before it (inserted, reordered or removed)",
                "直前のログとつながりません（挿入・並べ替え・削除）",
            )
        fields = dict(zip(SEALED_COLUMNS, row[:_N_SEALED], strict=True))
        if seal(self.key, row[_PREV], fields) != row[_HASH]:
            return self._fail(seq, "seal does not match its contents (altered)", "内容が改ざんされています")
        self.checked += 1
        self.expected_seq = seq + 1
        self.expected_prev = row[_HASH]
        return True


def iter_rows(*, after_seq: int, up_to_seq: int | None, batch_size: int) -> Iterator[tuple[Any, ...]]:
    """Rows in ``seq`` order in keyset batches (no OFFSET, constant cost per batch at any depth)."""
    last = after_seq
    while True:
        qs = AuditEvent.objects.filter(seq__gt=last)
        if up_to_seq is not None:
            qs = qs.filter(seq__lte=up_to_seq)
        batch = list(qs.order_by("seq").values_list(*ROW_COLUMNS)[:batch_size])
        yield from batch
        if len(batch) < batch_size:
            return
        last = batch[-1][_SEQ]


def verify_chain(*, batch_size: int = 5000) -> VerifyResult:
    """Walk the whole chain from the purge anchor to the head; name the first bad event."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # One snapshot for the head and every batch, so events written (or purged) while the walk
        # runs are never mistaken for tampering.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return _verify(batch_size)
    return _verify(batch_size)


def _verify(batch_size: int) -> VerifyResult:
    head = read_head()
    if head is None:
        first = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
        if first is None:
            return VerifyResult(ok=True, checked=0)
        return VerifyResult(
            ok=False,
            checked=0,
            first_bad_seq=first,
            problem=problem_text(first, "the chain head is missing", "ログ連鎖の先頭情報がありません"),
        )

    # The first remaining event may lie before the anchor only if someone moved the anchor.
    lowest = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
    start = min(head.anchor_seq, lowest - 1) if lowest is not None else head.anchor_seq
    walker = ChainWalker(key=settings.AUDIT_CHAIN_KEY, after_seq=head.anchor_seq, after_hash=head.start_hash)
    last_seq, last_hash = head.anchor_seq, head.start_hash
    for row in iter_rows(after_seq=start, up_to_seq=head.last_seq, batch_size=batch_size):
        if not walker.feed(row):
            return VerifyResult(
                ok=False, checked=walker.checked, first_bad_seq=walker.first_bad_seq, problem=walker.problem
            )
        last_seq, last_hash = row[_SEQ], row[_HASH]

    if last_seq < head.last_seq:
        missing = last_seq + 1
        return VerifyResult(
            ok=False,
            checked=walker.checked,
            first_bad_seq=missing,
            problem=problem_text(
                missing,
                f"removed (the chain head names event {head.last_seq} as the newest)",
                f"削除されています（最新は {head.last_seq} のはずです）",
            ),
        )
    if last_hash != head.last_hash:
        return VerifyResult(
            ok=False,
            checked=walker.checked,
            first_bad_seq=last_seq,
            problem=problem_text(
                last_seq, "does not match the seal kept in the chain head", "連鎖の先頭情報と一致しません"
            ),
        )

    # Read the newest row before re-reading the head: a genuine write commits both together, so a row
    # beyond a head read afterwards was not written by audit_record.
    newest = AuditEvent.objects.aggregate(newest=Max("seq"))["newest"]
    head_now = read_head()
    if newest is not None and head_now is not None and newest > head_now.last_seq:
        extra = (
            AuditEvent.objects.filter(seq__gt=head_now.last_seq)
            .order_by("seq")
            .values_list("seq", flat=True)
            .first()
        )
        bad = extra if extra is not None else newest
        return VerifyResult(
            ok=False,
            checked=walker.checked,
            first_bad_seq=bad,
            problem=problem_text(
                bad, "lies beyond the chain head (inserted)", "連鎖の先頭より後に挿入されています"
            ),
        )
    return VerifyResult(ok=True, checked=walker.checked)
