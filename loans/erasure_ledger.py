"""The erasure ledger: which rows were erased, kept where backups of the main database are not.

A backup taken last night still holds every loan and reservation that ended today. Restored as it
is, it would bring those patron–item links back (市川市 方針 第3(2)(3)). The ledger remembers, for
each erasure, the table and the internal id of every erased row and when — no patron, no item, no
title — so that ``manage.py erasure_replay`` can delete them again from a restored database.

Where it lives (settings): ``ERASURE_LEDGER_URL`` (a ``postgresql://`` URL of a database of its
own, on PostgreSQL deployments) or else ``ERASURE_LEDGER_PATH`` (an SQLite file, default
``var/erasure-ledger.sqlite3``: no configuration needed). Either way it is outside the main
database, so ``manage.py backup`` (pg_dump of the main database) never contains it. Entries older
than the backup retention (``BACKUP_RETENTION_DAYS``) are dropped: no backup that old is kept, so
nothing needs them.

An entry is appended after the erasing transaction commits (``transaction.on_commit``): a rolled
back erasure must never be replayed, or a restore would delete a loan that still exists. The price
is a window of microseconds between the commit and the append in which a crash loses the entry;
the write is logged with counts only when it fails, and the safety net's own rules still catch
what a restore brings back for a restored database that knows the return.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import sys
import threading
import time
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

logger = logging.getLogger(__name__)

_local = threading.local()


class _Backend(Protocol):
    """A connection to the ledger, one per thread and process (a Celery worker forks after import).
    Statements are written with ``?`` placeholders; the PostgreSQL backend translates them."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def close(self) -> None: ...


class _SQLite:
    def __init__(self, path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a commit survives a process crash; a power cut can lose the last ones.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS erasure_ledger (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL, "
            "erased_at INTEGER NOT NULL, n INTEGER NOT NULL, max_id INTEGER NOT NULL, ids BLOB NOT NULL)"
        )
        self.conn.execute("CREATE INDEX IF NOT EXISTS erasure_ledger_tbl ON erasure_ledger (tbl, seq)")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.execute("BEGIN")
        try:
            self.conn.executemany(sql, rows)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


class _Postgres:
    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS erasure_ledger (seq bigserial PRIMARY KEY, tbl text NOT NULL, "
            "erased_at bigint NOT NULL, n integer NOT NULL, max_id bigint NOT NULL, ids bytea NOT NULL)"
        )
        self.conn.execute("CREATE INDEX IF NOT EXISTS erasure_ledger_tbl ON erasure_ledger (tbl, seq)")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(sql.replace("?", "%s"), params)
        return cur.fetchall() if cur.description else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), rows)

    def close(self) -> None:
        self.conn.close()


def location() -> str:
    """Where the ledger is, for messages: the file, or the database's name (never a password)."""
    url = getattr(settings, "ERASURE_LEDGER_URL", "")
    if url:
        return "postgresql:" + url.rsplit("/", 1)[-1]
    return str(settings.ERASURE_LEDGER_PATH)


def _backend() -> _Backend:
    url = getattr(settings, "ERASURE_LEDGER_URL", "") or ""
    key = (os.getpid(), url or str(settings.ERASURE_LEDGER_PATH))
    current = getattr(_local, "backend", None)
    if current is not None and getattr(_local, "key", None) == key:
        return current
    if current is not None and getattr(_local, "key", (None,))[0] == os.getpid():
        current.close()  # the setting changed (tests); a connection inherited across fork is left alone
    backend: _Backend = _Postgres(url) if url else _SQLite(str(settings.ERASURE_LEDGER_PATH))
    _local.backend, _local.key = backend, key
    return backend


def reset() -> None:
    """Forget this thread's connection (tests that move the ledger)."""
    current = getattr(_local, "backend", None)
    if current is not None and getattr(_local, "key", (None,))[0] == os.getpid():
        current.close()
    _local.backend = None


def _pack(ids: Sequence[int]) -> bytes:
    packed = array("q", ids)
    if sys.byteorder == "big":  # stored little-endian whatever the machine
        packed.byteswap()
    return packed.tobytes()


def _unpack(blob: bytes) -> array[int]:
    ids = array("q")
    ids.frombytes(bytes(blob))
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


def append(table: str, ids: Sequence[int], *, at: float | None = None) -> None:
    """Note that rows ``ids`` of ``table`` were erased now: one entry (ids packed as 64-bit
    integers), so that a sweep's batch of 10,000 costs one insert. Ids and a time only."""
    if not ids:
        return
    stamp = int(at if at is not None else time.time())
    _backend().execute(
        "INSERT INTO erasure_ledger (tbl, erased_at, n, max_id, ids) VALUES (?, ?, ?, ?, ?)",
        [table, stamp, len(ids), max(ids), _pack(ids)],
    )


def append_safely(table: str, ids: Sequence[int]) -> None:
    """``append`` for ``transaction.on_commit``: the erasure has committed, so a failure here is
    logged (counts only) and never raised — a committed change is not reported as an error."""
    try:
        append(table, ids)
    except Exception as exc:
        logger.error(
            "erasure ledger: append failed table=%s rows=%d error=%s", table, len(ids), type(exc).__name__
        )


def batches(*, size: int = 100_000) -> Iterator[list[tuple[str, array[int]]]]:
    """Every entry, oldest first, about ``size`` erased ids at a time: [(table, ids), …]."""
    backend = _backend()
    after = 0
    chunk: list[tuple[str, array[int]]] = []
    held = 0
    while True:
        rows = backend.execute(
            "SELECT seq, tbl, ids FROM erasure_ledger WHERE seq > ? ORDER BY seq LIMIT 1000", [after]
        )
        if not rows:
            break
        for seq, table, blob in rows:
            ids = _unpack(blob)
            chunk.append((str(table), ids))
            held += len(ids)
            after = int(seq)
            if held >= size:
                yield chunk
                chunk, held = [], 0
    if chunk:
        yield chunk


def newest(table: str, n: int) -> list[int]:
    """The ids of (at least the last) ``n`` rows of ``table`` erased last."""
    found: list[int] = []
    for (blob,) in _backend().execute(
        "SELECT ids FROM erasure_ledger WHERE tbl = ? ORDER BY seq DESC LIMIT ?", [table, n]
    ):
        found += _unpack(blob)[-n:]
        if len(found) >= n:
            break
    return found[:n] if len(found) > n else found


def max_ids() -> dict[str, int]:
    """The highest erased id per table (a restored database's sequences are moved past them)."""
    return {
        str(t): int(m)
        for t, m in _backend().execute("SELECT tbl, MAX(max_id) FROM erasure_ledger GROUP BY tbl")
    }


def count() -> int:
    """How many erased rows the ledger names."""
    return int(_backend().execute("SELECT COALESCE(SUM(n), 0) FROM erasure_ledger")[0][0])


def prune(*, now: dt.datetime | None = None) -> int:
    """Drop entries older than the backup retention (``BACKUP_RETENTION_DAYS``): no backup that old
    is kept, so no restore can need them. Returns how many erased rows they named."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = int((now - dt.timedelta(days=settings.BACKUP_RETENTION_DAYS)).timestamp())
    backend = _backend()
    before = int(
        backend.execute("SELECT COALESCE(SUM(n), 0) FROM erasure_ledger WHERE erased_at < ?", [cutoff])[0][0]
    )
    if before:
        backend.execute("DELETE FROM erasure_ledger WHERE erased_at < ?", [cutoff])
    return before
