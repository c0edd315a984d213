"""privacy_admin.audit.models: the access log is append-only — the database itself refuses to change or
delete its rows (PostgreSQL triggers, migration 0004), the retention purge excepted."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from privacy_admin.audit.models import AuditEvent, AuditSeal
from privacy_admin.audit.retention import audit_purge_expired

pytestmark = [pytest.mark.django_db, pytest.mark.needs_postgres]

JST = dt.timezone(dt.timedelta(hours=9))
guards = importlib.import_module("privacy_admin.audit.migrations.0004_sequence_and_guards")


def _refused(sql: str, params: list[int | str] | None = None) -> DatabaseError:
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


def test_a_session_setting_does_not_open_the_delete(record) -> None:
    # The attack of issue 12: BEGIN; SET LOCAL audit.purge_before = '2100-01-01'; DELETE ...
    (event,) = record(1)
    for setting in ("audit.purge_before", "pgtrigger.ignore"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {setting} = '2100-01-01'")
            cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [event.seq])
    assert AuditEvent.objects.filter(seq=event.seq).exists()


def test_seal_update_and_delete_are_refused(record) -> None:
    (event,) = record(1)
    _refused("UPDATE audit_auditseal SET hash = %s WHERE seq = %s", ["0" * 64, event.seq])
    _refused("DELETE FROM audit_auditseal WHERE seq = %s", [event.seq])
    assert AuditSeal.objects.filter(seq=event.seq).exists()


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditseal"])
def test_truncate_is_refused_by_the_production_trigger(record, table) -> None:
    record(2)
    production = guards.guard_sql(
        retention_years=settings.AUDIT_RETENTION_YEARS, time_zone=settings.TIME_ZONE, allow_truncate=False
    )
    with transaction.atomic():  # the DDL below is undone with this block
        with connection.cursor() as cursor:
            cursor.execute(production)
        _refused(f"TRUNCATE {table} CASCADE")
        transaction.set_rollback(True)
    assert AuditEvent.objects.count() == 2


def test_the_purge_may_delete_expired_rows(clock, record) -> None:
    clock.set(dt.datetime(2015, 5, 1, tzinfo=JST))
    old = record(2)
    clock.set(dt.datetime.now(JST))
    record(1)
    assert audit_purge_expired() == 2
    assert not AuditEvent.objects.filter(seq__in=[e.seq for e in old]).exists()
    assert not AuditSeal.objects.filter(seq__in=[e.seq for e in old]).exists()


def test_the_purge_cannot_be_talked_into_deleting_recent_rows(record, settings) -> None:
    # Whatever the settings say, the trigger keeps the retention fixed at migration time.
    events = record(2)
    settings.AUDIT_RETENTION_YEARS = 0
    with pytest.raises(DatabaseError):
        audit_purge_expired(now=dt.datetime.now(JST) + dt.timedelta(days=1))
    assert AuditEvent.objects.filter(seq__in=[e.seq for e in events]).count() == 2
