"""Taking an encrypted dump of the main database.

The dump is encrypted to age public keys (x25519 recipients, pyrage) while it is written, so the server
holds only ciphertext and cannot read its own old backups: the private key is needed only to restore and
is kept off the server (README, "Backups").

- PostgreSQL: ``pg_dump --format=custom`` writes to a pipe that ``pyrage.encrypt_io`` reads in chunks;
  no plaintext touches the disk and memory stays bounded whatever the size of the database. The password
  goes to pg_dump in its environment (PGPASSWORD), never on its command line or in a log.
- SQLite (the embedded default): SQLite's online backup API copies a consistent snapshot into a file in
  a private 0700 directory; it is encrypted file to file and deleted at once.

The erasure ledger lives outside the main database (ERASURE_LEDGER_PATH), so no dump contains it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

import pyrage
from django.utils.translation import gettext as _
from pyrage import x25519

POSTGRES_ENGINES = frozenset({"django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"})
SQLITE_ENGINE = "django.db.backends.sqlite3"
FILE_PREFIX = "privacy-admin-"
FILE_SUFFIX = ".dump.age"
# libpq's environment for what DATABASES['default'].OPTIONS may carry (the rest is not passed on).
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "passfile": "PGPASSFILE",
}


class BackupError(Exception):
    """A backup could not be taken; the message is Japanese and names what to do."""


@dataclass(frozen=True)
class EncryptedDump:
    path: Path
    size_bytes: int
    sha256: str
    recipient_fingerprint: str


# --- recipients ---------------------------------------------------------------------------------


def parse_recipients(text: str | Iterable[str]) -> list[str]:
    """Public keys from a setting or a file: comma-, space- or line-separated; ``#`` starts a comment."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    keys: list[str] = []
    for line in lines:
        line = line.split("#", 1)[0]
        for part in line.replace(",", " ").split():
            if part not in keys:
                keys.append(part)
    return keys


def load_recipients(keys: Iterable[str]) -> list[Any]:
    recipients = []
    for key in keys:
        if key.startswith("AGE-SECRET-KEY-"):
            # A private key on the server would let it read every backup: refuse, and do not echo it.
            raise BackupError(
                _(
                    "暗号化の宛先に秘密鍵（AGE-SECRET-KEY-…）が指定されています。サーバーには公開鍵（age1…）だけを設定し、秘密鍵はサーバーの外で保管してください。"
                )
            )
        try:
            recipients.append(x25519.Recipient.from_str(key))
        except pyrage.RecipientError:
            raise BackupError(
                _("暗号化の宛先「%(key)s」は age の公開鍵（age1 で始まる文字列）ではありません。")
                % {"key": key[:80]}
            ) from None
    if not recipients:
        raise BackupError(
            _(
                "暗号化の宛先（age の公開鍵）が設定されていないため、バックアップを取得しません。--recipient で指定するか、設定 BACKUP_AGE_RECIPIENTS（または BACKUP_AGE_RECIPIENTS_FILE）に公開鍵を設定してください。"
            )
        )
    return recipients


def fingerprint(public_key: str) -> str:
    """A short, stable name of a public key, shown in the register and by ``backup_keygen``."""
    return "sha256:" + hashlib.sha256(public_key.strip().encode("ascii")).hexdigest()[:16]


def fingerprints(keys: Iterable[str]) -> str:
    return ",".join(fingerprint(k) for k in keys)[:255]


# --- writing ----------------------------------------------------------------------------------


class _HashingWriter:
    """The file-like object pyrage writes ciphertext to: counts and hashes it on the way to disk."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.size += len(data)
        return self._raw.write(data)

    def flush(self) -> None:
        self._raw.flush()

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


@contextlib.contextmanager
def _new_output(directory: Path, name: str) -> Any:
    """Yield (partial_path, file) for a new 0600 file; the caller renames it into place on success.
    A failure leaves nothing behind."""
    _private_dir(directory)
    final = directory / name
    if final.exists():
        raise BackupError(_("出力先に同じ名前のファイルが既にあります: %(path)s") % {"path": final})
    partial = directory / (name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as raw:
            yield partial, raw
            raw.flush()
            os.fsync(raw.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise


def _encrypt(reader: IO[bytes], raw: BinaryIO, recipients: list[Any]) -> _HashingWriter:
    writer = _HashingWriter(raw)
    try:
        pyrage.encrypt_io(reader, writer, recipients)
    except pyrage.EncryptError as exc:
        raise BackupError(_("暗号化に失敗しました: %(error)s") % {"error": exc}) from None
    return writer


def pg_dump_environment(
    settings_dict: Mapping[str, Any], base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """libpq's environment for pg_dump: the connection, the password included, and nothing on argv."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": settings_dict.get("NAME") or "",
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
    }
    for option, var in _LIBPQ_OPTIONS.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            values[var] = str(value)
    env.update({k: v for k, v in values.items() if v})
    return env


def _dump_postgres(
    settings_dict: Mapping[str, Any], raw: BinaryIO, recipients: list[Any], pg_dump: str
) -> _HashingWriter:
    executable = shutil.which(pg_dump)
    if executable is None:
        raise BackupError(
            _(
                "pg_dump が見つかりません（%(cmd)s）。PostgreSQL のクライアント（postgresql-client）を入れてください。"
            )
            % {"cmd": pg_dump}
        )
    argv = [executable, "--format=custom", "--no-password"]
    # stderr goes to an anonymous file, so a chatty pg_dump can never block on a full pipe.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(  # noqa: S603 - a fixed argv, no shell, no user input
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=pg_dump_environment(settings_dict),
        )
        assert proc.stdout is not None
        try:
            writer = _encrypt(proc.stdout, raw, recipients)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            proc.stdout.close()
        code = proc.wait()
        if code != 0:
            errors.seek(0)
            tail = errors.read()[-2000:].decode("utf-8", "replace").strip()
            raise BackupError(
                _("pg_dump が失敗しました（終了コード %(code)d）: %(error)s") % {"code": code, "error": tail}
            )
    return writer


def _dump_sqlite(settings_dict: Mapping[str, Any], raw: BinaryIO, recipients: list[Any]) -> _HashingWriter:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file::memory:") or not Path(name).exists():
        raise BackupError(_("SQLite のデータベースファイルが見つかりません: %(name)s") % {"name": name})
    # mkdtemp makes the directory 0700: the plaintext snapshot is readable by this user only, and lives
    # only until it has been encrypted.
    workdir = Path(tempfile.mkdtemp(prefix="privacy-admin-backup-"))
    snapshot = workdir / "snapshot.sqlite3"
    try:
        source = sqlite3.connect(f"file:{Path(name).resolve()}?mode=ro", uri=True, timeout=30)
        try:
            target = sqlite3.connect(snapshot)
            try:
                source.backup(target, pages=4096)
            finally:
                target.close()
        finally:
            source.close()
        with snapshot.open("rb") as reader:
            return _encrypt(reader, raw, recipients)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def write_encrypted_dump(
    *,
    settings_dict: Mapping[str, Any],
    directory: Path,
    file_name: str,
    public_keys: list[str],
    pg_dump: str = "pg_dump",
) -> EncryptedDump:
    """Dump the database described by ``settings_dict`` into ``directory/file_name``, encrypted."""
    recipients = load_recipients(public_keys)
    engine = settings_dict.get("ENGINE", "")
    if engine not in POSTGRES_ENGINES and engine != SQLITE_ENGINE:
        raise BackupError(
            _("このデータベース（%(engine)s）のバックアップには対応していません。") % {"engine": engine}
        )
    with _new_output(directory, file_name) as (partial, raw):
        if engine in POSTGRES_ENGINES:
            writer = _dump_postgres(settings_dict, raw, recipients, pg_dump)
        else:
            writer = _dump_sqlite(settings_dict, raw, recipients)
    final = directory / file_name
    os.replace(partial, final)
    return EncryptedDump(
        path=final,
        size_bytes=writer.size,
        sha256=writer.hexdigest(),
        recipient_fingerprint=fingerprints(public_keys),
    )
