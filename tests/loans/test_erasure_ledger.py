"""loans.erasure_ledger: ids and times only, batched and pruned after the backup retention, kept outside
the main database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection

from loans import erasure_ledger as ledger

pytestmark = pytest.mark.django_db


def test_ledger_keeps_ids_and_times_only_and_prunes_after_the_backup_retention(settings) -> None:
    old = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ledger.append("loans_loan", [1, 2], at=old.timestamp())
    ledger.append("loans_reservation", [3])
    assert ledger.count() == 3
    assert [(t, list(ids)) for batch in ledger.batches(size=2) for t, ids in batch] == [
        ("loans_loan", [1, 2]),
        ("loans_reservation", [3]),
    ]
    assert ledger.max_ids() == {"loans_loan": 2, "loans_reservation": 3}
    settings.BACKUP_RETENTION_DAYS = 35
    assert ledger.prune(now=old + dt.timedelta(days=34)) == 0
    assert ledger.prune() == 2
    assert ledger.count() == 1


def test_the_ledger_lives_outside_the_main_database() -> None:
    tables = connection.introspection.table_names()
    assert "erasure_ledger" not in tables
    assert str(settings.ERASURE_LEDGER_PATH) != str(settings.DATABASES["default"]["NAME"])
