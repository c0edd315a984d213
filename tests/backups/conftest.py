"""Fixtures of the backup tests: a throw-away age identity and media in each state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from pyrage import x25519

from backups.models import BackupMedium


@pytest.fixture
def identity() -> Any:
    """The private key a restore would use; in production it never reaches the server."""
    return x25519.Identity.generate()


@pytest.fixture
def public_key(identity: Any) -> str:
    return str(identity.to_public())


@pytest.fixture
def backup_dir(tmp_path: Any, settings: Any) -> Any:
    directory = tmp_path / "backups"
    settings.BACKUP_DIR = directory
    return directory


def make_medium(*, days_ago: int = 0, retain_days: int = 35, **fields: Any) -> BackupMedium:
    taken_at = timezone.now() - dt.timedelta(days=days_ago)
    values: dict[str, Any] = {
        "medium": f"/srv/backups/privacy-admin-{days_ago}.dump.age",
        "kind": BackupMedium.Kind.ENCRYPTED_FILE,
        "taken_at": taken_at,
        "retain_until": timezone.localdate(taken_at) + dt.timedelta(days=retain_days),
    }
    values.update(fields)
    return BackupMedium.objects.create(**values)


@pytest.fixture
def kept_medium(db: Any) -> BackupMedium:
    return make_medium(days_ago=1, medium="/srv/backups/kept.dump.age")


@pytest.fixture
def overdue_medium(db: Any) -> BackupMedium:
    return make_medium(days_ago=40, medium="TAPE-2026-007", kind=BackupMedium.Kind.TAPE)
