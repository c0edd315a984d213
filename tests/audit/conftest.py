"""Helpers for the access-log tests: a settable clock for new events, and a way to tamper with rows."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction

from privacy_admin.audit import services
from privacy_admin.audit.models import AuditEvent
from privacy_admin.audit.sealer import audit_seal_committed
from privacy_admin.audit.services import audit_record

JST = dt.timezone(dt.timedelta(hours=9))


class Clock:
    """Stands in for ``timezone.now`` inside ``audit_record`` only."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 4, 1, 10, 0, tzinfo=JST)

    def set(self, when: dt.datetime) -> None:
        self.now = when

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: clock.now))
    return clock


@pytest.fixture(autouse=True)
def _checkpoint_dir(settings: Any, tmp_path: Any) -> None:
    # Checkpoints and the sealed-head file of each test stay in its own directory.
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "audit-checkpoints")
    settings.AUDIT_CHECKPOINT_DEFAULT_KEY_FILE = tmp_path / "audit_checkpoint_key"
    settings.AUDIT_CHECKPOINT_KEY = ""


@pytest.fixture
def record(db: None, django_capture_on_commit_callbacks: Any) -> Any:
    """``record(n, seal=True, **fields)`` appends n system events, seals them, and returns them."""

    def _record(n: int = 1, *, seal: bool = True, **fields: Any) -> list[AuditEvent]:
        fields.setdefault("actor", None)
        fields.setdefault("action", "patron.view")
        # Each event is written as a service writes it: inside its own transaction.
        with transaction.atomic():
            events = [audit_record(**fields) for _ in range(n)]
        if seal:
            # The sealed-head file is written after commit: run those callbacks as a commit would.
            with django_capture_on_commit_callbacks(execute=True):
                audit_seal_committed()
        return events

    return _record


@contextlib.contextmanager
def _tampering() -> Iterator[None]:
    # Simulates someone with direct database access. The table owner may switch its own triggers off.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_auditseal DISABLE TRIGGER USER")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
                cursor.execute("ALTER TABLE audit_auditseal ENABLE TRIGGER USER")
    else:
        yield


@pytest.fixture
def tamper(db: None) -> Any:
    return _tampering
