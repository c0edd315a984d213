from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from privacy_admin.audit.chainrows import iter_rows
from privacy_admin.audit.context import audit_context
from privacy_admin.audit.models import AuditEvent, AuditSeal, Outcome
from privacy_admin.audit.sealing import GENESIS, canonical_from_values, seal
from privacy_admin.audit.services import AuditDetailError, AuditOutsideTransaction, audit_record

pytestmark = pytest.mark.django_db


def test_seal_depends_on_key_previous_seal_previous_event_and_contents() -> None:
    canon = canonical_from_values((1, "2026-04-01", None, "patron.view", '{"count": 1}'))
    base = seal(b"key", GENESIS, 0, canon)
    assert len(base) == 64
    assert seal(b"other-key", GENESIS, 0, canon) != base
    assert seal(b"key", "1" * 64, 0, canon) != base
    assert seal(b"key", GENESIS, 7, canon) != base
    assert seal(b"key", GENESIS, 0, canon.replace(b"view", b"vie")) != base


def test_canonical_form_cannot_shift_text_between_columns() -> None:
    assert canonical_from_values(("a\tb", "c")) != canonical_from_values(("a", "b\tc"))
    assert canonical_from_values(("a\tb",)) == b"a\\tb"
    assert canonical_from_values((None, "")) == b"\\N\t"


def test_events_take_rising_numbers_without_a_seal_until_the_sealer_runs(record) -> None:
    first, second, third = record(3, seal=False)
    assert first.seq < second.seq < third.seq
    assert not AuditSeal.objects.exists()


def test_canonical_rows_read_back_what_was_written(record) -> None:
    (event,) = record(
        1, seal=False, action="patron.update", target_type="patron", target_id=7, patron_id=7, detail={"n": 1}
    )
    with transaction.atomic():
        ((seq, canon, _, _),) = list(iter_rows(after_seq=event.seq - 1, with_seals=False))
    assert seq == event.seq
    assert b"patron.update" in canon and b"\t7\t" in canon


def test_event_takes_ip_request_id_and_channel_from_the_context(record) -> None:
    with audit_context(ip="192.0.2.10", request_id="req-12345678"):
        (event,) = record(1)
    assert (event.ip, event.request_id) == ("192.0.2.10", "req-12345678")


def test_event_of_a_user_names_them_and_their_role(counter_staff) -> None:
    event = audit_record(standalone=True, actor=counter_staff, action="patron.search")
    assert (event.actor_id, event.actor_username, event.role) == (
        counter_staff.pk,
        "counter",
        "counter_staff",
    )
    assert event.branch_code == "central"
    assert event.outcome == Outcome.SUCCESS


def test_system_event_has_no_actor(record) -> None:
    (event,) = record(1)
    assert (event.actor_id, event.actor_username, event.role) == (None, "", "system")


@pytest.mark.parametrize("key", ["family_name", "title", "card_number", "address", "email", "birth_date"])
def test_detail_refuses_personal_keys(key: str) -> None:
    with pytest.raises(AuditDetailError):
        audit_record(standalone=True, actor=None, action="patron.view", detail={key: "x"})
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("key", ["Name", "card-number", "1st", "x" * 42, ""])
def test_detail_refuses_keys_that_are_not_codes(key: str) -> None:
    with pytest.raises(AuditDetailError):
        audit_record(standalone=True, actor=None, action="patron.view", detail={key: 1})


def test_detail_refuses_long_strings() -> None:
    with pytest.raises(AuditDetailError, match="too long"):
        audit_record(standalone=True, actor=None, action="patron.view", detail={"note": "あ" * 81})


@pytest.mark.parametrize("value", [{"family_name": "山田"}, [{"a": 1}], [[1]], dt.date(2026, 4, 1)])
def test_detail_refuses_nested_or_non_scalar_values(value: object) -> None:
    with pytest.raises(AuditDetailError):
        audit_record(standalone=True, actor=None, action="patron.view", detail={"data": value})


def test_detail_accepts_scalars_and_lists_of_scalars(record) -> None:
    detail = {"count": 3, "ok": True, "ratio": 0.5, "code": "renewal", "ids": [1, 2], "none": None}
    (event,) = record(1, detail=detail)
    assert AuditEvent.objects.get(seq=event.seq).detail == detail


def test_event_of_a_change_outside_a_transaction_is_refused_and_writes_nothing() -> None:
    # Architecture rule 3: the event of a change is written in the change's own transaction.
    with pytest.raises(AuditOutsideTransaction, match=r"patron\.update"):
        audit_record(actor=None, action="patron.update", target_type="patron", target_id=1)
    assert not AuditEvent.objects.exists()


def test_event_of_a_change_inside_a_transaction_is_written() -> None:
    with transaction.atomic():
        event = audit_record(actor=None, action="patron.update", target_type="patron", target_id=1)
    assert list(AuditEvent.objects.values_list("seq", "action")) == [(event.seq, "patron.update")]


def test_standalone_event_is_written_outside_a_transaction() -> None:
    event = audit_record(standalone=True, actor=None, action="patron.view", target_type="patron", target_id=1)
    assert list(AuditEvent.objects.values_list("seq", "action")) == [(event.seq, "patron.view")]


def test_event_rolls_back_with_the_change_it_records(record) -> None:
    (before,) = record(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(1, seal=False)
        raise RuntimeError("the change failed")
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [before.seq]
    (after,) = record(1)
    # The rolled-back number is a gap; the seal of the next event names the one before it.
    assert after.seq > before.seq
    assert AuditSeal.objects.get(seq=after.seq).prev_seq == before.seq
