"""``manage.py backup``: an encrypted dump the server cannot read, recorded in the register; a clear
refusal without a key."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pyrage
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pyrage import x25519

from backups import dump
from backups.models import BackupMedium
from privacy_admin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _decrypt(path: Path, identity: Any) -> bytes:
    out = io.BytesIO()
    with path.open("rb") as reader:
        pyrage.decrypt_io(reader, out, [identity])
    return out.getvalue()


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("backup", *args, stdout=out)
    return out.getvalue()


def test_refuses_without_a_recipient_and_records_nothing(backup_dir: Path, settings: Any) -> None:
    settings.BACKUP_AGE_RECIPIENTS = ""
    with pytest.raises(CommandError, match="暗号化の宛先（age の公開鍵）が設定されていない"):
        _run()
    assert not BackupMedium.objects.exists()
    assert not backup_dir.exists() or list(backup_dir.iterdir()) == []


def test_refuses_a_bad_retention() -> None:
    with pytest.raises(CommandError, match="--retention-days"):
        _run("--retention-days", "-1", "--recipient", str(x25519.Identity.generate().to_public()))


def test_backup_is_encrypted_recorded_and_audited(
    backup_dir: Path, settings: Any, identity: Any, public_key: str
) -> None:
    settings.BACKUP_AGE_RECIPIENTS = public_key
    settings.BACKUP_RETENTION_DAYS = 35
    output = _run()
    medium = BackupMedium.objects.get()
    path = Path(medium.medium)
    assert path.parent == backup_dir.resolve()
    assert path.name.startswith("privacy-admin-") and path.name.endswith(".dump.age")
    assert medium.kind == BackupMedium.Kind.ENCRYPTED_FILE
    assert medium.size_bytes == path.stat().st_size
    assert medium.recipient_fingerprint == dump.fingerprint(public_key)
    assert (medium.retain_until - medium.taken_at.date()).days in (35, 36)  # UTC vs local date
    assert medium.created_by is None
    assert AuditEvent.objects.filter(action="backup.taken", target_id=str(medium.pk)).exists()
    assert str(medium.pk) in output and medium.sha256 in output
    assert str(identity) not in output
    plaintext = _decrypt(path, identity)
    ciphertext = path.read_bytes()
    if connection.vendor == "postgresql":
        assert plaintext.startswith(b"PGDMP")
        assert b"PGDMP" not in ciphertext
    else:
        assert plaintext.startswith(b"SQLite format 3\x00")
        assert b"SQLite format 3" not in ciphertext
    assert b"backups_backupmedium" in plaintext
    assert b"backups_backupmedium" not in ciphertext


def test_recipient_option_overrides_the_setting_and_encrypts_to_each(
    tmp_path: Path, settings: Any, identity: Any, public_key: str
) -> None:
    other = x25519.Identity.generate()
    settings.BACKUP_AGE_RECIPIENTS = "age1notused"
    _run("--output", str(tmp_path), "--recipient", public_key, "--recipient", str(other.to_public()))
    medium = BackupMedium.objects.get()
    assert Path(medium.medium).parent == tmp_path.resolve()
    assert medium.recipient_fingerprint.count("sha256:") == 2
    assert _decrypt(Path(medium.medium), identity) == _decrypt(Path(medium.medium), other)


def test_recipients_can_come_from_a_file(tmp_path: Path, monkeypatch: Any, public_key: str) -> None:
    from privacy_admin import settings as project_settings

    key_file = tmp_path / "recipients.txt"
    key_file.write_text(f"# library backup key\n{public_key}\n")
    monkeypatch.setenv("BACKUP_AGE_RECIPIENTS_FILE", str(key_file))
    assert dump.parse_recipients(project_settings._secret("BACKUP_AGE_RECIPIENTS", default="") or "") == [
        public_key
    ]


@pytest.mark.needs_postgres
def test_postgres_dump_is_a_custom_archive_and_the_password_stays_off_argv(
    backup_dir: Path, settings: Any, identity: Any, public_key: str, monkeypatch: Any, capfd: Any, caplog: Any
) -> None:
    settings.BACKUP_AGE_RECIPIENTS = public_key
    seen: list[tuple[list[str], dict[str, str]]] = []
    real_popen = subprocess.Popen

    def spy(argv: list[str], **kwargs: Any) -> Any:
        seen.append((list(argv), dict(kwargs.get("env") or {})))
        return real_popen(argv, **kwargs)

    monkeypatch.setattr("backups.dump.subprocess.Popen", spy)
    # A password the server ignores (trust on this machine) shows where it travels.
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "pw-never-on-argv-51")
    _run()
    ((argv, env),) = seen
    assert "--format=custom" in argv
    assert not any("pw-never-on-argv-51" in a for a in argv)
    assert env["PGPASSWORD"] == "pw-never-on-argv-51"
    assert env["PGDATABASE"] == connection.settings_dict["NAME"]
    captured = capfd.readouterr()
    assert "pw-never-on-argv-51" not in captured.out + captured.err + caplog.text
    medium = BackupMedium.objects.get()
    plaintext = _decrypt(Path(medium.medium), identity)
    assert plaintext.startswith(b"PGDMP")
    # pg_restore reads it: the archive is whole, with the access log's table in it.
    pg_restore = shutil.which("pg_restore") or "pg_restore"
    listing = subprocess.run(  # noqa: S603
        [pg_restore, "--list"], input=plaintext, capture_output=True, check=True
    ).stdout.decode()
    assert "TABLE public audit_auditevent" in listing
