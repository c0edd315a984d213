from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from privacy_admin.audit.context import audit_context
from privacy_admin.audit.models import AuditEvent, ChainHead, Outcome
from privacy_admin.audit.sealing import GENESIS, canonical, seal, sealed_fields
from privacy_admin.audit.services import AuditDetailError, audit_record

pytestmark = pytest.mark.django_db


def _head() -> ChainHead:
    return ChainHead.objects.get(pk=1)


def test_seal_depends_on_key_previous_seal_and_every_field() -> None:
    fields = {"seq": 1, "action": "patron.view", "detail": {"count": 1}}
    base = seal("key", GENESIS, fields)
    assert base == seal("key", GENESIS, dict(reversed(fields.items())))
    assert len(base) == 64
    assert seal("other-key", GENESIS, fields) != base
    assert seal("key", "1" * 64, fields) != base
    assert seal("key", GENESIS, {**fields, "action": "patron.erase"}) != base
    assert seal("key", GENESIS, {**fields, "detail": {"count": 2}}) != base


def test_canonical_writes_datetimes_in_utc_to_the_microsecond() -> None:
    tokyo = dt.datetime(2026, 4, 1, 9, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert canonical({"at": tokyo}) == b'{"at":"2026-04-01T00:00:00.123456Z"}'


def test_canonical_refuses_values_it_cannot_seal_faithfully() -> None:
    with pytest.raises(TypeError):
        canonical({"x": {1, 2}})


def test_each_event_follows_the_seal_of_the_one_before(record) -> None:
    first, second, third = record(3)
    assert (second.seq, third.seq) == (first.seq + 1, first.seq + 2)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = _head()
    assert (head.last_seq, head.last_hash) == (third.seq, third.hash)


def test_stored_event_reseals_to_its_hash(record) -> None:
    (event,) = record(
        1, action="patron.update", target_type="patron", target_id=7, patron_id=7, detail={"n": 1}
    )
    stored = AuditEvent.objects.get(seq=event.seq)
    assert seal(settings.AUDIT_CHAIN_KEY, stored.prev_hash, sealed_fields(stored)) == stored.hash


def test_event_takes_ip_request_id_and_channel_from_the_context(record) -> None:
    with audit_context(ip="192.0.2.10", request_id="req-12345678"):
        (event,) = record(1)
    assert (event.ip, event.request_id) == ("192.0.2.10", "req-12345678")


def test_event_of_a_user_names_them_and_their_role(counter_staff) -> None:
    event = audit_record(actor=counter_staff, action="patron.search")
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
        audit_record(actor=None, action="patron.view", detail={key: "x"})
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("key", ["Name", "card-number", "1st", "x" * 42, ""])
def test_detail_refuses_keys_that_are_not_codes(key: str) -> None:
    with pytest.raises(AuditDetailError):
        audit_record(actor=None, action="patron.view", detail={key: 1})


def test_detail_refuses_long_strings() -> None:
    with pytest.raises(AuditDetailError, match="too long"):
        audit_record(actor=None, action="patron.view", detail={"note": "あ" * 81})


@pytest.mark.parametrize("value", [{"family_name": "山田"}, [{"a": 1}], [[1]], dt.date(2026, 4, 1)])
def test_detail_refuses_nested_or_non_scalar_values(value: object) -> None:
    with pytest.raises(AuditDetailError):
        audit_record(actor=None, action="patron.view", detail={"data": value})


def test_detail_accepts_scalars_and_lists_of_scalars(record) -> None:
    detail = {"count": 3, "ok": True, "ratio": 0.5, "code": "renewal", "ids": [1, 2], "none": None}
    (event,) = record(1, detail=detail)
    assert AuditEvent.objects.get(seq=event.seq).detail == detail


def test_event_rolls_back_with_the_change_it_records(record) -> None:
    (before,) = record(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(1)
        raise RuntimeError("the change failed")
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [before.seq]
    assert _head().last_seq == before.seq
    (after,) = record(1)
    assert (after.seq, after.prev_hash) == (before.seq + 1, before.hash)


def test_migration_creates_the_chain_head_once() -> None:
    migration = importlib.import_module("privacy_admin.audit.migrations.0002_append_only_trigger")
    ChainHead.objects.all().delete()
    editor = SimpleNamespace(connection=connection)
    migration.create_chain_head(apps, editor)
    migration.create_chain_head(apps, editor)
    head = _head()
    assert (head.last_seq, head.last_hash, head.anchor_seq) == (0, GENESIS, 0)


def test_first_event_starts_from_genesis_without_a_head_row() -> None:
    ChainHead.objects.all().delete()
    event = audit_record(actor=None, action="patron.view")
    assert (event.seq, event.prev_hash) == (1, GENESIS)
