"""``manage.py backup_keygen``: a private identity file written outside the backups, only the public key
printed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyrage import x25519

from backups import dump

pytestmark = pytest.mark.django_db


def test_keygen_writes_a_private_identity_file_and_prints_only_the_public_key(tmp_path: Path) -> None:
    key_file = tmp_path / "backup-key.txt"
    out = io.StringIO()
    call_command("backup_keygen", "--output", str(key_file), stdout=out)
    text = key_file.read_text()
    secret = next(line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-"))
    identity = x25519.Identity.from_str(secret)
    public = str(identity.to_public())
    assert public in out.getvalue()
    assert dump.fingerprint(public) in out.getvalue()
    assert secret not in out.getvalue()
    assert key_file.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="上書きはしません"):
        call_command("backup_keygen", "--output", str(key_file), stdout=io.StringIO())


def test_keygen_refuses_to_put_the_key_among_the_backups(backup_dir: Path) -> None:
    backup_dir.mkdir(parents=True)
    with pytest.raises(CommandError, match="サーバーの外"):
        call_command("backup_keygen", "--output", str(backup_dir / "key.txt"), stdout=io.StringIO())
    assert not (backup_dir / "key.txt").exists()
