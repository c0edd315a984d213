"""The dump mechanics: who it is encrypted to, what it refuses, and that no plaintext is left behind."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

import pyrage
import pytest

from backups import dump


def _decrypt(path: Path, identity: Any) -> bytes:
    out = io.BytesIO()
    with path.open("rb") as reader:
        pyrage.decrypt_io(reader, out, [identity])
    return out.getvalue()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    path = tmp_path / "source.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE marker (value TEXT)")
        conn.execute("INSERT INTO marker VALUES ('plaintext-marker-7f3a')")
    conn.close()
    return path


def test_recipients_parse_commas_lines_and_comments() -> None:
    text = "# backup key of the library\nage1aaa, age1bbb\n\nage1ccc # spare key\nage1aaa\n"
    assert dump.parse_recipients(text) == ["age1aaa", "age1bbb", "age1ccc"]
    assert dump.parse_recipients(["age1x", "age1y,age1z"]) == ["age1x", "age1y", "age1z"]


def test_refuses_without_a_recipient() -> None:
    with pytest.raises(dump.BackupError, match="暗号化の宛先"):
        dump.load_recipients([])


def test_refuses_a_key_that_is_not_an_age_public_key() -> None:
    with pytest.raises(dump.BackupError, match="age の公開鍵"):
        dump.load_recipients(["ssh-rsa AAAA"])


def test_refuses_a_private_key_without_echoing_it(identity: Any) -> None:
    secret = str(identity)
    with pytest.raises(dump.BackupError) as exc:
        dump.load_recipients([secret])
    assert "秘密鍵" in str(exc.value)
    assert secret not in str(exc.value)


def test_fingerprint_is_stable_and_short(public_key: str) -> None:
    assert dump.fingerprint(public_key) == dump.fingerprint(f" {public_key}\n")
    assert dump.fingerprint(public_key).startswith("sha256:")
    assert len(dump.fingerprint(public_key)) == len("sha256:") + 16


def test_sqlite_snapshot_is_encrypted_and_its_plaintext_removed(
    sqlite_db: Path, tmp_path: Path, identity: Any, public_key: str, monkeypatch: Any
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    out_dir = tmp_path / "out"
    result = dump.write_encrypted_dump(
        settings_dict={"ENGINE": dump.SQLITE_ENGINE, "NAME": str(sqlite_db)},
        directory=out_dir,
        file_name="privacy-admin-test.dump.age",
        public_keys=[public_key],
    )
    ciphertext = result.path.read_bytes()
    assert ciphertext.startswith(b"age-encryption.org/v1")
    assert b"plaintext-marker-7f3a" not in ciphertext
    assert b"SQLite format 3" not in ciphertext
    assert result.size_bytes == len(ciphertext)
    plaintext = _decrypt(result.path, identity)
    assert plaintext.startswith(b"SQLite format 3\x00")
    restored = tmp_path / "restored.sqlite3"
    restored.write_bytes(plaintext)
    with sqlite3.connect(restored) as conn:
        assert conn.execute("SELECT value FROM marker").fetchall() == [("plaintext-marker-7f3a",)]
    conn.close()
    # Only ciphertext is left: no snapshot in the scratch directory, no partial file.
    assert list(scratch.iterdir()) == []
    assert [p.name for p in out_dir.iterdir()] == ["privacy-admin-test.dump.age"]
    assert result.path.stat().st_mode & 0o777 == 0o600
    assert out_dir.stat().st_mode & 0o777 == 0o700


def test_a_failed_dump_leaves_no_file(tmp_path: Path, public_key: str) -> None:
    out_dir = tmp_path / "out"
    with pytest.raises(dump.BackupError):
        dump.write_encrypted_dump(
            settings_dict={"ENGINE": dump.SQLITE_ENGINE, "NAME": str(tmp_path / "missing.sqlite3")},
            directory=out_dir,
            file_name="x.dump.age",
            public_keys=[public_key],
        )
    assert list(out_dir.iterdir()) == []


def test_pg_dump_gets_the_password_in_its_environment_only() -> None:
    env = dump.pg_dump_environment(
        {
            "NAME": "privacy",
            "USER": "privacy",
            "PASSWORD": "s3cret-pw",
            "HOST": "db",
            "PORT": 5432,
            "OPTIONS": {"sslmode": "require"},
        },
        base={"PATH": "/usr/bin", "PGPASSWORD": "stale", "PGSERVICE": "other"},
    )
    assert env == {
        "PATH": "/usr/bin",
        "PGDATABASE": "privacy",
        "PGUSER": "privacy",
        "PGPASSWORD": "s3cret-pw",
        "PGHOST": "db",
        "PGPORT": "5432",
        "PGSSLMODE": "require",
    }


def test_a_failing_pg_dump_is_reported_and_leaves_no_file(tmp_path: Path, public_key: str) -> None:
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'connection refused' >&2\nexit 1\n")
    fake.chmod(0o755)
    out_dir = tmp_path / "out"
    with pytest.raises(dump.BackupError, match="pg_dump が失敗しました") as exc:
        dump.write_encrypted_dump(
            settings_dict={"ENGINE": "django.db.backends.postgresql", "NAME": "x", "PASSWORD": "pw-9"},
            directory=out_dir,
            file_name="x.dump.age",
            public_keys=[public_key],
            pg_dump=str(fake),
        )
    assert "connection refused" in str(exc.value)
    assert list(out_dir.iterdir()) == []
