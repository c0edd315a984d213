"""Appending takes no lock shared between writers; the sealer seals every committed event once, in order.

The PostgreSQL tests use real connections (psycopg, each its own transaction) next to Django's, so
transactions really interleave: an event with a lower seq commits after one with a higher seq.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest
from django.db import connection

from privacy_admin.audit.models import AuditEvent, AuditSeal
from privacy_admin.audit.sealer import audit_seal_all, audit_seal_committed
from privacy_admin.audit.services import audit_record
from privacy_admin.audit.verify import verify_chain

INSERT = (
    "INSERT INTO audit_auditevent (occurred_at, actor_username, role, action, target_type, target_id,"
    " branch_code, outcome, request_id, detail) VALUES (now(), '', 'system', %s, '', '', '', 'success', '', '{}')"
    " RETURNING seq"
)


def _dsn() -> str:
    params = connection.get_connection_params()
    return psycopg.conninfo.make_conninfo(
        **{k: v for k, v in params.items() if k in {"host", "port", "user", "password", "dbname"}}
    )


def _writer() -> psycopg.Connection[Any]:
    return psycopg.connect(_dsn(), autocommit=False)


def _write(conn: psycopg.Connection[Any], action: str = "patron.view") -> int:
    row = conn.execute(INSERT, [action]).fetchone()
    assert row is not None
    return int(row[0])


def _sealed() -> list[int]:
    return list(AuditSeal.objects.order_by("seq").values_list("seq", flat=True))


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_writer_does_not_wait_for_another_writers_open_transaction() -> None:
    a = _writer()
    try:
        _write(a)  # A's transaction stays open with its event written
        done: list[float] = []

        def b() -> None:
            # B goes through audit_record on its own Django connection, in a transaction of its own.
            from django.db import connection as b_connection
            from django.db import transaction

            started = time.monotonic()
            try:
                with transaction.atomic():
                    audit_record(actor=None, action="patron.view")
                done.append(time.monotonic() - started)
            finally:
                b_connection.close()

        thread = threading.Thread(target=b)
        thread.start()
        thread.join(timeout=5)
        assert done and done[0] < 1.0, "the second writer waited for the first one's open transaction"
    finally:
        a.rollback()
        a.close()


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_lower_seq_committing_after_a_higher_one_is_neither_skipped_nor_sealed_twice() -> None:
    a, b = _writer(), _writer()
    try:
        low = _write(a)
        high = _write(b)
        assert low < high
        b.commit()
        # The higher event is committed, the lower one is not: sealing must wait for it.
        assert audit_seal_committed().sealed == 0
        assert _sealed() == []
        a.commit()
        result = audit_seal_committed()
        assert result.sealed == 2
        assert _sealed() == [low, high]
        assert audit_seal_committed().sealed == 0  # nothing twice
        assert verify_chain().ok
    finally:
        a.close()
        b.close()


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_a_gap_the_chain_steps_over() -> None:
    a, b = _writer(), _writer()
    try:
        lost = _write(a)
        kept = _write(b)
        b.commit()
        a.rollback()
        audit_seal_committed()
        assert _sealed() == [kept]
        assert AuditSeal.objects.get(seq=kept).prev_seq == 0
        assert not AuditEvent.objects.filter(seq=lost).exists()
        assert verify_chain().ok
    finally:
        a.close()
        b.close()


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_interleaved_writers_and_sealers_seal_every_committed_event_exactly_once() -> None:
    committed: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(k: int) -> None:
        conn = _writer()
        try:
            for i in range(40):
                seqs = [_write(conn) for _ in range(1 + (i + k) % 3)]
                if (i + k) % 5 == 0:
                    conn.rollback()  # leaves gaps
                else:
                    time.sleep(0.001 * ((i * 7 + k) % 4))  # commit late, after others
                    conn.commit()
                    with lock:
                        committed.extend(seqs)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    def sealer() -> None:
        from django.db import connection as own

        try:
            while not stop.is_set():
                audit_seal_committed()
                time.sleep(0.002)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            own.close()

    writers = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    sealers = [threading.Thread(target=sealer) for _ in range(2)]
    for thread in writers + sealers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in sealers:
        thread.join()
    assert not errors, errors
    audit_seal_all(timeout=5)
    assert _sealed() == sorted(committed)
    seals = list(AuditSeal.objects.order_by("seq").values_list("seq", "prev_seq"))
    assert [prev for _, prev in seals] == [0] + [seq for seq, _ in seals[:-1]]
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == len(committed)


@pytest.mark.django_db
def test_sealing_in_the_writers_transaction_seals_its_own_events(record) -> None:
    events = record(3)
    assert _sealed() == [e.seq for e in events]
    assert audit_seal_committed().sealed == 0
