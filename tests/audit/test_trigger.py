"""The database itself refuses to change or delete access-log rows (PostgreSQL trigger, migration 0002)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from privacy_admin.audit.models import AuditEvent
from privacy_admin.audit.retention import audit_purge_expired

pytestmark = [pytest.mark.django_db, pytest.mark.needs_postgres]

JST = dt.timezone(dt.timedelta(hours=9))


def _refused(sql: str, params: list[int] | None = None) -> DatabaseError:
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    error = caught.value
    assert getattr(error.__cause__, "sqlstate", None) == "42501"  # insufficient_privilege
    assert "append-only" in str(error)
    assert "アクセスログは変更・削除できません" in str(error)
    return error


def test_update_is_refused(record) -> None:
    (event,) = record(1)
    _refused("UPDATE audit_auditevent SET action = 'patron.search' WHERE seq = %s", [event.seq])
    assert AuditEvent.objects.get(seq=event.seq).action == "patron.view"


def test_update_through_the_orm_is_refused(record) -> None:
    (event,) = record(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=event.seq).update(detail={"count": 2})


def test_delete_is_refused(record) -> None:
    (event,) = record(1)
    _refused("DELETE FROM audit_auditevent WHERE seq = %s", [event.seq])
    assert AuditEvent.objects.filter(seq=event.seq).exists()


def test_delete_of_a_row_newer_than_the_purge_cutoff_is_refused(record) -> None:
    (event,) = record(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('audit.purge_before', '2000-01-01T00:00:00+00:00', true)")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [event.seq])


def test_the_purge_may_delete_expired_rows(clock, record) -> None:
    clock.set(dt.datetime(2015, 5, 1, tzinfo=JST))
    old = record(2)
    clock.set(dt.datetime(2026, 5, 1, tzinfo=JST))
    record(1)
    assert audit_purge_expired(now=dt.datetime(2026, 6, 1, tzinfo=JST)) == 2
    assert not AuditEvent.objects.filter(seq__in=[e.seq for e in old]).exists()


def test_purge_permission_ends_with_its_delete(clock, record) -> None:
    # The third event is expired but follows a newer one, so the purge keeps it (no hole in the chain).
    for when in (dt.datetime(2015, 5, 1, tzinfo=JST), dt.datetime(2026, 5, 1, tzinfo=JST)):
        clock.set(when)
        record(1)
    clock.set(dt.datetime(2015, 5, 2, tzinfo=JST))
    (kept,) = record(1)
    # Inside this test's transaction, as inside any caller's: the setting must not linger.
    assert audit_purge_expired(now=dt.datetime(2026, 6, 1, tzinfo=JST)) == 1
    _refused("DELETE FROM audit_auditevent WHERE seq = %s", [kept.seq])
