"""``manage.py audit_purge``: a dry run deletes nothing; a purge keeps the chain verifiable; a broken chain stops it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from privacy_admin.audit.models import AuditEvent
from tests.audit.helpers import run_command

pytestmark = pytest.mark.django_db


def test_purge_dry_run_counts_and_deletes_nothing(clock, record) -> None:
    clock.set(dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    record(3)
    code, out, _ = run_command("audit_purge", "--dry-run")
    assert code == 0
    assert "3 events older than 5 years would be deleted" in out
    assert AuditEvent.objects.count() == 3


def test_purge_deletes_and_verification_still_passes(clock, record) -> None:
    clock.set(dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    record(3)
    clock.set(dt.datetime.now(dt.UTC))
    record(1)
    code, out, _ = run_command("audit_purge")
    assert (code, "3 events older than 5 years deleted" in out) == (0, True)
    assert AuditEvent.objects.filter(action="audit.purge").get().detail["count"] == 3
    assert run_command("audit_seal")[0] == 0
    assert run_command("audit_verify")[0] == 0


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
