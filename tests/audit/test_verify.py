from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from privacy_admin.audit.models import AuditEvent, AuditSeal, AuditSealState
from privacy_admin.audit.retention import audit_purge_expired
from privacy_admin.audit.sealer import audit_seal_committed
from privacy_admin.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _hash(seq: int) -> str:
    return AuditSeal.objects.get(seq=seq).hash


def test_clean_chain_verifies(record) -> None:
    record(7)
    result = verify_chain(batch_size=3)
    assert result.ok, result.problem
    assert (result.checked, result.first_bad_seq, result.problem) == (7, None, "")


def test_empty_log_verifies() -> None:
    assert verify_chain().ok


def test_seals_follow_each_other_in_seq_order(record) -> None:
    events = record(3)
    seals = list(AuditSeal.objects.order_by("seq").values_list("seq", "prev_seq"))
    assert seals == [(events[0].seq, 0), (events[1].seq, events[0].seq), (events[2].seq, events[1].seq)]


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
        {"target_id": "7\t8"},
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
        AuditSeal.objects.filter(seq=events[2].seq).delete()
    result = verify_chain(batch_size=2)
    assert not result.ok
    assert result.first_bad_seq == events[3].seq
    assert "removed" in result.problem and "削除" in result.problem


def test_row_deleted_with_its_seal_kept_is_caught(record, tamper) -> None:
    events = record(4)
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).delete()
    assert verify_chain().first_bad_seq == events[2].seq


def test_deleted_newest_row_is_caught_by_its_remaining_seal(record, tamper) -> None:
    events = record(4)
    with tamper():
        AuditEvent.objects.filter(seq=events[-1].seq).delete()
    result = verify_chain()
    assert (result.ok, result.first_bad_seq, result.checked) == (False, events[-1].seq, 3)


def test_deleted_newest_rows_and_rewound_head_are_caught_by_the_sealed_head_file(record, tamper) -> None:
    # The attack of issue 12: delete the newest events and rewind whatever the database keeps.
    events = record(5)
    with tamper():
        AuditEvent.objects.filter(seq__gte=events[3].seq).delete()
        AuditSeal.objects.filter(seq__gte=events[3].seq).delete()
        AuditSealState.objects.update(last_seq=events[2].seq, last_hash=_hash(events[2].seq))
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == events[4].seq
    assert "sealed-head file" in result.problem and "tail was cut" in result.problem


def test_truncated_log_is_caught_by_the_sealed_head_file(record, tamper) -> None:
    events = record(3)
    with tamper():
        AuditEvent.objects.all().delete()
        AuditSeal.objects.all().delete()
    assert verify_chain().first_bad_seq == events[-1].seq


def test_event_without_a_seal_amid_sealed_ones_is_caught(record, tamper) -> None:
    events = record(3)
    with tamper():
        AuditSeal.objects.filter(seq=events[1].seq).delete()
    result = verify_chain()
    assert result.first_bad_seq == events[1].seq
    assert "inserted" in result.problem


def test_row_inserted_with_a_forged_seal_is_caught(record, tamper) -> None:
    events = record(3)
    with tamper():
        forged = AuditEvent.objects.create(occurred_at=timezone.now(), action="patron.view")
        AuditSeal.objects.create(seq=forged.seq, prev_seq=events[-1].seq, hash="f" * 64)
    assert verify_chain().first_bad_seq == forged.seq


def test_rows_swapped_are_caught(record, tamper) -> None:
    events = record(3, detail={"count": 0})
    a, b = events[0], events[1]
    with tamper():
        AuditEvent.objects.filter(seq=a.seq).update(action="auth.login")
        AuditEvent.objects.filter(seq=b.seq).update(action="patron.view")
    assert verify_chain().first_bad_seq == a.seq


def test_a_different_chain_key_fails_at_the_first_event(record, settings) -> None:
    events = record(2)
    settings.AUDIT_CHAIN_KEY = "not the key the log was sealed with"
    assert verify_chain().first_bad_seq == events[0].seq


def test_unsealed_events_pass_until_they_are_older_than_the_limit(record, settings) -> None:
    record(2)
    (late,) = record(1, seal=False)
    result = verify_chain()
    assert (result.ok, result.unsealed) == (True, 1)
    later = timezone.now() + dt.timedelta(seconds=settings.AUDIT_MAX_UNSEALED_SECONDS + 1)
    result = verify_chain(now=later)
    assert (result.ok, result.first_bad_seq) == (False, late.seq)
    assert "not sealed" in result.problem and "封印されていません" in result.problem
    audit_seal_committed()
    assert verify_chain(now=later).ok


def test_after_a_purge_verification_starts_at_the_recorded_purge(record, clock) -> None:
    clock.set(dt.datetime(2019, 1, 10, tzinfo=dt.UTC))
    old = record(3)
    clock.set(timezone.now())
    record(2)
    assert audit_purge_expired() == 3
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.detail["through_seq"] == old[-1].seq
    assert purge.detail["count"] == 3
    audit_seal_committed()
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == 3  # two kept events and the audit.purge event


def test_oldest_events_removed_without_a_purge_are_caught(record, tamper) -> None:
    # The attack of issue 12: delete the oldest events (all recent) and move whatever marks the start.
    events = record(6)
    with tamper():
        AuditEvent.objects.filter(seq__lte=events[2].seq).delete()
        AuditSeal.objects.filter(seq__lte=events[2].seq).delete()
    result = verify_chain()
    assert not result.ok
    assert result.first_bad_seq == events[3].seq
    assert "without a retention purge" in result.problem


@pytest.mark.django_db(transaction=True)
def test_verification_outside_a_transaction_reads_one_snapshot(record, tamper) -> None:
    # On PostgreSQL this takes the REPEATABLE READ path that a command or task uses.
    events = record(3)
    assert verify_chain(batch_size=2).ok
    with tamper():
        AuditEvent.objects.filter(seq=events[2].seq).delete()
    assert verify_chain().first_bad_seq == events[2].seq
