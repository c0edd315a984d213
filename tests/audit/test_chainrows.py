"""privacy_admin.audit.chainrows: events read back in ``seq`` order as the bytes their seals cover, with
their seals, in batches, within a range — the one reading both sealer and verifier use."""

from __future__ import annotations

import pytest
from django.db import transaction

from privacy_admin.audit.chainrows import iter_batches, iter_rows
from privacy_admin.audit.models import AuditSeal
from privacy_admin.audit.sealing import key_bytes, seal

pytestmark = pytest.mark.django_db


def test_rows_come_in_seq_order_within_the_range_with_their_seals(record, settings) -> None:
    sealed = record(3)
    unsealed = record(1, seal=False)
    with transaction.atomic():
        rows = list(
            iter_rows(after_seq=sealed[0].seq, upto_seq=unsealed[0].seq, with_seals=True, batch_size=2)
        )
    assert [r[0] for r in rows] == [sealed[1].seq, sealed[2].seq, unsealed[0].seq]
    assert rows[-1][2:] == (None, None)  # not sealed yet
    seq, canon, prev_seq, hash_ = rows[0]
    stored = AuditSeal.objects.get(seq=seq)
    assert (prev_seq, hash_) == (str(stored.prev_seq).encode(), stored.hash)
    previous = AuditSeal.objects.get(seq=stored.prev_seq)
    assert prev_seq is not None
    assert seal(key_bytes(settings.AUDIT_CHAIN_KEY), previous.hash, prev_seq, canon) == stored.hash
    assert canon.startswith(f"{seq}\t".encode()) and b"patron.view" in canon


def test_batches_hold_at_most_their_size_and_without_seals_only_the_event(record) -> None:
    events = record(5, seal=False)
    with transaction.atomic():
        batches = list(iter_batches(after_seq=events[0].seq - 1, with_seals=False, batch_size=2))
    assert [len(b) for b in batches] == [2, 2, 1]
    assert all(line.count(b"\t") == 13 for batch in batches for line in batch)  # 14 sealed columns
