"""Checking the access log's seal chain (tamper evidence).

Rule kept: every sealed event, from the start of the chain to its head, is present, in order and
unaltered; the start is either the first event ever or the end of a retention purge recorded *in* the
chain; the head is no older than the sealed-head file and every signed checkpoint says; and no event
stays unsealed longer than AUDIT_MAX_UNSEALED_SECONDS. The walk names the FIRST problem:

- altered content: the event's seal does not match its columns;
- a removed event: the next seal names an event that is not there (or a seal outlives its event);
- an inserted event: an event without a seal amid sealed ones, or a seal that does not fit;
- the oldest events removed without a purge: the first seal follows an event no purge accounts for;
- the tail cut (and the database's head rewound): the sealed-head file or a checkpoint names an event
  that is missing, or a different seal for it — the checkpoint is named;
- a rewrite by someone holding the database and the HMAC key: caught against any checkpoint from
  before the rewrite (in the directory, or given with ``audit_verify --checkpoint FILE``).
"""

from __future__ import annotations

import binascii
import datetime as dt
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .chainrows import iter_batches
from .checkpoints import (
    Checkpoint,
    CheckpointError,
    load_checkpoint_file,
    read_sealed_head,
    stored_checkpoints,
    trusted_keys,
)
from .models import AuditEvent, AuditSeal
from .sealing import GENESIS, key_bytes


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    unsealed: int = 0
    checkpoints: int = 0
    last_seq: int = 0
    notes: tuple[str, ...] = field(default=())


def problem_text(seq: int, english: str, japanese: str) -> str:
    return f"event {seq}: {english} / ログ {seq}: {japanese}"


@dataclass(frozen=True)
class ChainStart:
    prev_seq: int
    prev_hash: str
    purge_cutoff: dt.datetime | None = None


def chain_start() -> ChainStart | str:
    """Where the chain starts: genesis, or the end of a recorded purge. A problem text otherwise."""
    first = AuditSeal.objects.order_by("seq").values_list("seq", "prev_seq").first()
    if first is None or first[1] == 0:
        return ChainStart(0, GENESIS)
    seq, prev_seq = first
    purge = (
        AuditEvent.objects.filter(action="audit.purge", detail__through_seq=prev_seq)
        .order_by("-seq")
        .values_list("detail", flat=True)
        .first()
    )
    if not purge or not purge.get("through_hash"):
        return problem_text(
            seq,
            f"the events before it were removed without a retention purge (nothing records purging through {prev_seq})",
            _("それより前のログが保存期間経過による削除の記録なしに削除されています（%(prev_seq)s まで）")
            % {"prev_seq": prev_seq},
        )
    cutoff = dt.datetime.fromisoformat(purge["cutoff"]) if purge.get("cutoff") else None
    return ChainStart(prev_seq, str(purge["through_hash"]), cutoff)


class ChainWalker:
    """Checks rows (``chainrows.Row``) fed in ``seq`` order; remembers the first break."""

    def __init__(self, *, key: bytes, prev_seq: int, prev_hash: str, wanted: Iterable[int] = ()) -> None:
        self.key = key
        self.last_seq = prev_seq
        self.last_hash = prev_hash
        self.checked = 0
        self.first_unsealed: int | None = None
        self.unsealed = 0
        self.wanted = set(wanted)
        self.found: dict[int, str] = {}
        self.first_bad_seq: int | None = None
        self.problem = ""

    def _fail(self, seq: int, english: str, japanese: str) -> bool:
        self.first_bad_seq = seq
        self.problem = problem_text(seq, english, japanese)
        return False

    def feed_batches(self, batches: Iterable[list[bytes]]) -> bool:
        """Check lines from ``chainrows.iter_batches(with_seals=True)``; False at the first break.

        The hot loop of ``audit_verify``: bytes only, one HMAC per line, the next message's prefix
        (previous seal and seq) built once per event.
        """
        key, wanted, found = self.key, {str(seq).encode() for seq in self.wanted}, self.found
        digest, hexlify = hmac.digest, binascii.hexlify
        last_seq_b = str(self.last_seq).encode()
        last_hash_b = self.last_hash.encode()
        prefix = last_hash_b + b"|" + last_seq_b + b"|"
        checked = 0
        try:
            for lines in batches:
                for line in lines:
                    canon, prev_b, hash_b = line.rsplit(b"\t", 2)
                    if hash_b == b"\\N":
                        if self.first_unsealed is None:
                            self.first_unsealed = int(canon[: canon.index(b"\t")])
                        self.unsealed += 1
                        continue
                    if self.first_unsealed is not None:
                        return self._unsealed_amid_sealed()
                    seq_b = canon[: canon.index(b"\t")]
                    if prev_b != last_seq_b:
                        return self._link_broken(int(seq_b), int(prev_b), int(last_seq_b))
                    if hexlify(digest(key, prefix + canon, "sha256")) != hash_b:
                        return self._fail(
                            int(seq_b),
                            "seal does not match its contents (altered)",
                            _("内容が改ざんされています"),
                        )
                    if seq_b in wanted:
                        found[int(seq_b)] = hash_b.decode()
                    checked += 1
                    last_seq_b, last_hash_b = seq_b, hash_b
                    prefix = hash_b + b"|" + seq_b + b"|"
            return True
        finally:
            self.checked += checked
            self.last_seq, self.last_hash = int(last_seq_b), last_hash_b.decode()

    def _unsealed_amid_sealed(self) -> bool:
        assert self.first_unsealed is not None
        return self._fail(
            self.first_unsealed,
            "has no seal although later events are sealed (inserted)",
            _("封印がないまま後のログが封印されています（挿入）"),
        )

    def _link_broken(self, seq: int, prev: int, last_seq: int) -> bool:
        if prev > last_seq:
            return self._fail(
                seq,
                f"the event(s) before it are missing (removed: event {prev})",
                _("直前のログ（%(prev)s）が削除されています") % {"prev": prev},
            )
        return self._fail(
            seq,
            "does not follow the event before it (inserted or reordered)",
            _("直前のログとつながりません（挿入・並べ替え）"),
        )


def _load_checkpoints(extra: Iterable[str | Path]) -> tuple[list[Checkpoint], str]:
    try:
        stored = stored_checkpoints()
        given = [load_checkpoint_file(Path(p)) for p in extra]
    except CheckpointError as exc:
        return [], str(exc)
    everything = stored + given
    trusted = trusted_keys(everything)
    for cp in everything:
        if cp.public_key not in trusted:
            return (
                [],
                f"checkpoint {cp.name}: signed by an unknown key / 登録されていない鍵で署名されています",
            )
    own = [cp for cp in everything if cp.data.get("database") in (None, _db_name())]
    return own, ""


def _db_name() -> str:
    from .checkpoints import database_name

    return database_name()


def verify_chain(
    *, batch_size: int = 50000, checkpoint_files: Iterable[str | Path] = (), now: dt.datetime | None = None
) -> VerifyResult:
    """Walk the whole chain and check it against the head file and the checkpoints."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # One snapshot for every read, so events written, sealed or purged meanwhile are never
        # mistaken for tampering.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return _verify(batch_size, list(checkpoint_files), now)
    with transaction.atomic():
        return _verify(batch_size, list(checkpoint_files), now)


def _verify(batch_size: int, extra: list[str | Path], now: dt.datetime | None) -> VerifyResult:
    checkpoints, bad_checkpoint = _load_checkpoints(extra)
    if bad_checkpoint:
        return VerifyResult(ok=False, checked=0, problem=bad_checkpoint)
    head_file = read_sealed_head()
    references: list[tuple[str, int, str, Checkpoint | None]] = [
        (f"checkpoint {cp.name}", cp.seq, cp.hash, cp) for cp in checkpoints
    ]
    if head_file is not None:
        references.append(("the sealed-head file", head_file[0], head_file[1], None))

    start = chain_start()
    if isinstance(start, str):
        first = AuditSeal.objects.order_by("seq").values_list("seq", flat=True).first()
        return VerifyResult(ok=False, checked=0, first_bad_seq=first, problem=start)
    walker = ChainWalker(
        key=key_bytes(settings.AUDIT_CHAIN_KEY),
        prev_seq=start.prev_seq,
        prev_hash=start.prev_hash,
        wanted=[seq for _, seq, _, _ in references],
    )
    ok = walker.feed_batches(iter_batches(after_seq=start.prev_seq, with_seals=True, batch_size=batch_size))
    # Events below the chain's start can only be there if someone put them back.
    if ok and AuditEvent.objects.filter(seq__lte=start.prev_seq).exists():
        bad = (
            AuditEvent.objects.filter(seq__lte=start.prev_seq)
            .order_by("seq")
            .values_list("seq", flat=True)[0]
        )
        walker._fail(
            bad, "lies before the start of the chain (inserted)", _("連鎖の起点より前にあります（挿入）")
        )
        ok = False
    if not ok:
        return VerifyResult(False, walker.checked, walker.first_bad_seq, walker.problem, walker.unsealed)

    last_seq = walker.last_seq
    orphan = AuditSeal.objects.filter(seq__gt=last_seq).order_by("seq").values_list("seq", flat=True).first()
    if orphan is not None:
        return VerifyResult(
            False,
            walker.checked,
            orphan,
            problem_text(orphan, "removed (its seal remains)", _("削除されています（封印が残っています）")),
            walker.unsealed,
        )

    for label, seq, hash_, cp in references:
        problem = _check_reference(label, seq, hash_, cp, walker, start)
        if problem:
            return VerifyResult(
                False, walker.checked, seq, problem, walker.unsealed, len(checkpoints), last_seq
            )

    if walker.first_unsealed is not None:
        oldest = (
            AuditEvent.objects.filter(seq=walker.first_unsealed).values_list("occurred_at", flat=True).first()
        )
        limit = dt.timedelta(seconds=settings.AUDIT_MAX_UNSEALED_SECONDS)
        if oldest is not None and (now or timezone.now()) - oldest > limit:
            return VerifyResult(
                False,
                walker.checked,
                walker.first_unsealed,
                problem_text(
                    walker.first_unsealed,
                    f"not sealed for more than {settings.AUDIT_MAX_UNSEALED_SECONDS} s (is the sealer running?)",
                    _(
                        "%(audit_max_unsealed_seconds)s 秒を超えて封印されていません（封印処理が止まっていませんか）"
                    )
                    % {"audit_max_unsealed_seconds": settings.AUDIT_MAX_UNSEALED_SECONDS},
                ),
                walker.unsealed,
                len(checkpoints),
                last_seq,
            )
    notes = () if head_file is not None else ("no sealed-head file yet",)
    return VerifyResult(True, walker.checked, None, "", walker.unsealed, len(checkpoints), last_seq, notes)


def _check_reference(
    label: str, seq: int, hash_: str, cp: Checkpoint | None, walker: ChainWalker, start: ChainStart
) -> str:
    if seq <= start.prev_seq:
        # Purged since: allowed only if the event was older than the retention when it was purged.
        cutoff = start.purge_cutoff
        if cp is not None and cp.event_at is not None and cutoff is not None and cp.event_at >= cutoff:
            return problem_text(
                seq,
                f"{label} shows it was newer than the retention period, yet it was purged",
                _("%(label)s によれば保存期間内のログが削除されています") % {"label": label},
            )
        if seq == start.prev_seq and hash_ != start.prev_hash:
            return problem_text(
                seq,
                f"{label} records another seal (rewritten)",
                _("%(label)s と封印が異なります（書き換え）") % {"label": label},
            )
        return ""
    if seq > walker.last_seq:
        return problem_text(
            seq,
            f"missing: {label} names it, but the sealed log ends at event {walker.last_seq} (the tail was cut)",
            _("%(label)s にあるログがありません（末尾が削除されています。封印済みの最後は %(last_seq)s）")
            % {"label": label, "last_seq": walker.last_seq},
        )
    found = walker.found.get(seq)
    if found is None:
        return problem_text(
            seq,
            f"missing: {label} names it (removed)",
            _("%(label)s にあるログがありません（削除）") % {"label": label},
        )
    if found != hash_:
        return problem_text(
            seq,
            f"{label} records another seal (the log was rewritten)",
            _("%(label)s と封印が異なります（書き換え）") % {"label": label},
        )
    return ""
