"""Reading events (and their seals) as canonical bytes, in ``seq`` order, without model objects.

PostgreSQL streams ``COPY (SELECT ...) TO STDOUT`` in a fixed session setting (UTC, ISO dates, hex
bytea), so the server formats each row once and Python only splits lines and hashes them. SQLite reads
the raw stored values and lays them out the same way (``sealing.canonical_from_values``).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator

from django.db import connection

from .sealing import SEALED_COLUMNS, canonical_from_values

# (seq, canonical bytes, prev_seq as bytes or None, hash or None)
Row = tuple[int, bytes, bytes | None, str | None]

_EVENT_COLUMNS = ", ".join(f"e.{name}" for name in SEALED_COLUMNS)


def _pg_session() -> None:
    with connection.cursor() as cursor:
        # Timestamps as UTC ISO text whatever the server or session says; only in this transaction.
        cursor.execute("SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'")


def iter_batches(
    *, after_seq: int, upto_seq: int | None = None, with_seals: bool, batch_size: int = 50000
) -> Iterator[list[bytes]]:
    """Lists of lines, in ``seq`` order: the canonical bytes of each event, and with ``with_seals``
    ``\\t<prev_seq>\\t<hash>`` after them (``\\N`` for an event without a seal).

    On PostgreSQL a reader thread streams the next batch while the caller hashes this one (the two
    use the two cores). Must run inside a transaction there (the session settings are ``SET LOCAL``).
    """
    if connection.vendor == "postgresql":
        yield from _pg_batches(after_seq, upto_seq, with_seals, batch_size)
    else:
        yield from _sqlite_batches(after_seq, upto_seq, with_seals, batch_size)


def _pg_batches(
    after_seq: int, upto_seq: int | None, with_seals: bool, batch_size: int
) -> Iterator[list[bytes]]:
    _pg_session()
    seal_cols = ", s.prev_seq, s.hash" if with_seals else ""
    join = " LEFT JOIN audit_auditseal s ON s.seq = e.seq" if with_seals else ""
    upto = " AND e.seq <= %s" if upto_seq is not None else ""
    sql = (
        f"COPY (SELECT {_EVENT_COLUMNS}{seal_cols} FROM audit_auditevent e{join}"  # noqa: S608 - constants only
        f" WHERE e.seq > %s{upto} ORDER BY e.seq LIMIT %s) TO STDOUT"
    )
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection, used by the reader thread alone meanwhile
    batches: queue.Queue[list[bytes] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def read() -> None:
        last = after_seq
        try:
            with raw.cursor() as cursor:
                while not stop.is_set():
                    params = [last, upto_seq, batch_size] if upto_seq is not None else [last, batch_size]
                    with cursor.copy(sql, params) as copy:
                        data = b"".join(bytes(block) for block in copy)
                    lines = data.split(b"\n")
                    lines.pop()
                    if lines:
                        batches.put(lines)
                    if len(lines) < batch_size:
                        break
                    last = int(lines[-1][: lines[-1].index(b"\t")])
        except BaseException as exc:  # handed to the consumer
            batches.put(exc)
        finally:
            batches.put(None)

    reader = threading.Thread(target=read, name="audit-chain-reader", daemon=True)
    reader.start()
    try:
        while True:
            item = batches.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # let the reader finish its COPY before the connection is used again
            with contextlib.suppress(queue.Empty):
                batches.get(timeout=0.05)
        reader.join()


def _sqlite_batches(
    after_seq: int, upto_seq: int | None, with_seals: bool, batch_size: int
) -> Iterator[list[bytes]]:
    lines: list[bytes] = []
    for _seq, canon, prev_seq, hash_ in _sqlite_rows(after_seq, upto_seq, with_seals, batch_size):
        if with_seals:
            canon += (
                b"\t"
                + (prev_seq if prev_seq is not None else b"\\N")
                + b"\t"
                + (hash_.encode() if hash_ else b"\\N")
            )
        lines.append(canon)
        if len(lines) >= batch_size:
            yield lines
            lines = []
    if lines:
        yield lines


def iter_rows(
    *, after_seq: int, upto_seq: int | None = None, with_seals: bool, batch_size: int = 50000
) -> Iterator[Row]:
    """The lines of ``iter_batches`` as ``(seq, canonical bytes, prev_seq, hash)`` (tests, tools)."""
    for lines in iter_batches(
        after_seq=after_seq, upto_seq=upto_seq, with_seals=with_seals, batch_size=batch_size
    ):
        for line in lines:
            canon, prev_seq, hash_ = line.rsplit(b"\t", 2) if with_seals else (line, b"\\N", b"\\N")
            seq = int(canon[: canon.index(b"\t")])
            if hash_ == b"\\N":
                yield seq, canon, None, None
            else:
                yield seq, canon, prev_seq, hash_.decode()


def _sqlite_rows(after_seq: int, upto_seq: int | None, with_seals: bool, batch_size: int) -> Iterator[Row]:
    seal_cols = ", s.prev_seq, s.hash" if with_seals else ", NULL, NULL"
    join = " LEFT JOIN audit_auditseal s ON s.seq = e.seq" if with_seals else ""
    upto = " AND e.seq <= %s" if upto_seq is not None else ""
    sql = (
        f"SELECT {_EVENT_COLUMNS}{seal_cols} FROM audit_auditevent e{join}"  # noqa: S608 - constant table, column and clause texts only
        f" WHERE e.seq > %s{upto} ORDER BY e.seq LIMIT %s"
    )
    n = len(SEALED_COLUMNS)
    last = after_seq
    while True:
        params = [last, upto_seq, batch_size] if upto_seq is not None else [last, batch_size]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            batch = cursor.fetchall()
        for row in batch:
            prev_seq, hash_ = row[n], row[n + 1]
            yield (
                row[0],
                canonical_from_values(tuple(row[:n])),
                None if prev_seq is None else str(prev_seq).encode(),
                hash_,
            )
        if len(batch) < batch_size:
            return
        last = batch[-1][0]
