"""``manage.py audit_verify``: passes a clean log; exits 1 naming the altered or missing event."""

from __future__ import annotations

import pytest

from privacy_admin.audit.models import AuditEvent, AuditSeal
from tests.audit.helpers import run_command

pytestmark = pytest.mark.django_db


def test_verify_passes_a_clean_log(record) -> None:
    record(4)
    code, out, _ = run_command("audit_verify")
    assert code == 0
    assert "OK: 4 events verified" in out


def test_verify_exits_1_naming_an_altered_event(record, tamper) -> None:
    events = record(4)
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).update(patron_id=99)
    code, out, err = run_command("audit_verify", "--batch-size", "2")
    assert code == 1
    assert f"event {events[1].seq}" in err and "altered" in err
    assert "OK" not in out


def test_verify_exits_1_naming_the_event_after_a_deleted_one(record, tamper) -> None:
    events = record(4)
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).delete()
        AuditSeal.objects.filter(seq=events[1].seq).delete()
    code, _, err = run_command("audit_verify")
    assert code == 1
    assert f"event {events[2].seq}" in err and "removed" in err


def test_verify_exits_1_when_the_newest_event_is_deleted(record, tamper) -> None:
    events = record(3)
    with tamper():
        AuditEvent.objects.filter(seq=events[-1].seq).delete()
    code, _, err = run_command("audit_verify")
    assert code == 1
    assert f"event {events[-1].seq}" in err
