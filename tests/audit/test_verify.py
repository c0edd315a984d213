from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from privacy_admin.audit.models import AuditEvent, ChainHead
from privacy_admin.audit.retention import audit_purge_expired
from privacy_admin.audit.sealing import seal, sealed_fields
from privacy_admin.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_clean_chain_verifies(record) -> None:
    record(7)
    result = verify_chain(batch_size=3)
    assert result.ok
    assert (result.checked, result.first_bad_seq, result.problem) == (7, None, "")


def test_empty_log_verifies() -> None:
    assert verify_chain().ok


def test_altered_row_is_named(record, tamper) -> None:
    events = record(6)
    with tamper():
        AuditEvent.objects.filter(seq=events[3].seq).update(action="patron.search")
    result = verify_chain(batch_size=2)
    assert not result.ok
    assert result.first_bad_seq == events[3].seq
    assert result.checked == 3
    assert "altered" in result.problem and "改ざん" in result.problem
    assert f"event {events[3].seq}" in result.problem


@pytest.mark.parametrize(
    "change",
    [
        {"detail": {"count": 99}},
        {"patron_id": 12345},
        {"occurred_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
        {"ip": "198.51.100.7"},
        {"actor_username": "someone"},
    ],
)
def test_any_sealed_column_change_is_caught(record, tamper, change) -> None:
    events = record(3, patron_id=1, detail={"count": 1})
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).update(**change)
    assert verify_chain().first_bad_seq == events[1].seq


def test_row_deleted_in_the_middle_names_the_next_event(record, tamper) -> None:
    events = record(5)
    with tamper():
        AuditEvent.objects.filter(seq=events[2].seq).delete()
    result = verify_chain(batch_size=2)
    assert not result.ok
    assert result.first_bad_seq == events[3].seq
    assert "削除" in result.problem


def test_deleted_newest_row_is_caught_through_the_head(record, tamper) -> None:
    events = record(4)
    with tamper():
        AuditEvent.objects.filter(seq=events[-1].seq).delete()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == events[-1].seq
    assert result.checked == 3


def test_truncated_log_is_caught_through_the_head(record, tamper) -> None:
    events = record(3)
    with tamper():
        AuditEvent.objects.all().delete()
    assert verify_chain().first_bad_seq == events[0].seq


def _forge(seq: int, prev_hash: str, **fields: object) -> AuditEvent:
    """An event written straight into the table by someone without the chain key."""
    event = AuditEvent(
        seq=seq, occurred_at=timezone.now(), action="patron.view", prev_hash=prev_hash, **fields
    )
    event.hash = seal("a guessed key", prev_hash, sealed_fields(event))
    event.save(force_insert=True)
    return event


def test_row_inserted_beyond_the_head_is_caught(record, tamper) -> None:
    events = record(3)
    with tamper():
        forged = _forge(events[-1].seq + 1, events[-1].hash)
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == forged.seq
    assert "inserted" in result.problem


def test_row_inserted_with_a_forged_seq_after_a_gap_is_caught(record, tamper) -> None:
    events = record(3)
    with tamper():
        forged = _forge(events[-1].seq + 100, events[-1].hash)
        ChainHead.objects.filter(pk=1).update(last_seq=forged.seq, last_hash=forged.hash)
    assert verify_chain().first_bad_seq == forged.seq


def test_row_replaced_with_a_forged_one_is_caught(record, tamper) -> None:
    events = record(4)
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).delete()
        _forge(events[1].seq, events[0].hash, patron_id=42)
    assert verify_chain().first_bad_seq == events[1].seq


def test_rows_swapped_are_caught(record, tamper) -> None:
    events = record(3, detail={"count": 0})
    a, b = events[0], events[1]
    with tamper():
        AuditEvent.objects.filter(seq=a.seq).update(detail=b.detail, hash=b.hash, prev_hash=b.prev_hash)
    assert verify_chain().first_bad_seq == a.seq


def test_a_different_chain_key_fails_at_the_first_event(record, settings) -> None:
    events = record(2)
    settings.AUDIT_CHAIN_KEY = "not the key the log was sealed with"
    assert verify_chain().first_bad_seq == events[0].seq


def test_after_a_purge_verification_starts_at_the_anchor(record, clock) -> None:
    clock.set(dt.datetime(2019, 1, 10, tzinfo=dt.UTC))
    old = record(3)
    clock.set(dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    record(2)
    assert audit_purge_expired(now=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)) == 3
    head = ChainHead.objects.get(pk=1)
    assert (head.anchor_seq, head.anchor_hash) == (old[-1].seq, old[-1].hash)
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == 3  # two kept events and the audit.purge event


def test_anchor_moved_forward_without_a_purge_is_caught(record) -> None:
    events = record(3)
    ChainHead.objects.filter(pk=1).update(anchor_seq=events[1].seq, anchor_hash=events[1].hash)
    result = verify_chain()
    assert result.first_bad_seq == events[0].seq


def test_missing_chain_head_is_caught(record) -> None:
    events = record(2)
    ChainHead.objects.all().delete()
    assert verify_chain().first_bad_seq == events[0].seq


@pytest.mark.django_db(transaction=True)
def test_verification_outside_a_transaction_reads_one_snapshot(record, tamper) -> None:
    # On PostgreSQL this takes the REPEATABLE READ path that a command or task uses.
    events = record(3)
    assert verify_chain(batch_size=2).ok
    with tamper():
        AuditEvent.objects.filter(seq=events[2].seq).delete()
    assert verify_chain().first_bad_seq == events[2].seq
