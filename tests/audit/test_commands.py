from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from privacy_admin.audit.models import AuditEvent, AuditSeal

pytestmark = pytest.mark.django_db


def _run(name: str, *args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_verify_passes_a_clean_log(record) -> None:
    record(4)
    code, out, _ = _run("audit_verify")
    assert code == 0
    assert "OK: 4 events verified" in out


def test_seal_command_seals_what_is_committed(record) -> None:
    events = record(3, seal=False)
    code, out, _ = _run("audit_seal", "--timeout", "1")
    assert code == 0
    assert f"3 events sealed; sealed through event {events[-1].seq}" in out
    assert AuditSeal.objects.count() == 3


def test_verify_exits_1_naming_an_altered_event(record, tamper) -> None:
    events = record(4)
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).update(patron_id=99)
    code, out, err = _run("audit_verify", "--batch-size", "2")
    assert code == 1
    assert f"event {events[1].seq}" in err and "altered" in err
    assert "OK" not in out


def test_verify_exits_1_naming_the_event_after_a_deleted_one(record, tamper) -> None:
    events = record(4)
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).delete()
        AuditSeal.objects.filter(seq=events[1].seq).delete()
    code, _, err = _run("audit_verify")
    assert code == 1
    assert f"event {events[2].seq}" in err and "removed" in err


def test_verify_exits_1_when_the_newest_event_is_deleted(record, tamper) -> None:
    events = record(3)
    with tamper():
        AuditEvent.objects.filter(seq=events[-1].seq).delete()
    code, _, err = _run("audit_verify")
    assert code == 1
    assert f"event {events[-1].seq}" in err


def test_purge_dry_run_counts_and_deletes_nothing(clock, record) -> None:
    clock.set(dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    record(3)
    code, out, _ = _run("audit_purge", "--dry-run")
    assert code == 0
    assert "3 events older than 5 years would be deleted" in out
    assert AuditEvent.objects.count() == 3


def test_purge_deletes_and_verification_still_passes(clock, record) -> None:
    clock.set(dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    record(3)
    clock.set(dt.datetime.now(dt.UTC))
    record(1)
    code, out, _ = _run("audit_purge")
    assert (code, "3 events older than 5 years deleted" in out) == (0, True)
    assert AuditEvent.objects.filter(action="audit.purge").get().detail["count"] == 3
    assert _run("audit_seal")[0] == 0
    assert _run("audit_verify")[0] == 0


def test_purge_stops_with_an_error_at_a_broken_chain(clock, record, tamper) -> None:
    from django.core.management.base import CommandError

    clock.set(dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    events = record(2)
    with tamper():
        AuditEvent.objects.filter(seq=events[0].seq).update(action="auth.login")
    with pytest.raises(CommandError, match=f"event {events[0].seq}") as caught:
        call_command("audit_purge", stdout=StringIO())
    assert caught.value.returncode == 1
    assert AuditEvent.objects.filter(seq__in=[e.seq for e in events]).count() == 2
