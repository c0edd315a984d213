"""The floor under a return: the same SQL statements a real ``loan_return`` runs, replayed through psycopg.

``capture`` runs one real return through the service with ``CaptureQueriesContext`` (for the count)
and an execute wrapper (for each statement with its parameters apart). Every parameter is given a
role: by its column for the access-log sequence number, seal and previous seal; by its value for
the item's barcode, the item id, the loan id and the patron id; "now" for any datetime. ``replay`` runs the same
statements for another loan with those roles filled in anew, savepoints included, in one
transaction, with a client-side-binding cursor as Django uses; the chain head's
``SELECT … FOR UPDATE`` result gives the new sequence number and previous seal (the seal itself is
a plain SHA-256 here — a scratch database). What is left is PostgreSQL's own cost plus a minimal
driver: no ORM, no Django, no HTTP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import statistics
import threading
import time
from dataclasses import dataclass
from typing import Any

import psycopg

# The access-log chain: these columns take the values the chain head gives at replay time.
_COLUMN_ROLES = {
    "seq": "seq",
    "last_seq": "seq",
    "hash": "hash",
    "last_hash": "hash",
    "prev_hash": "prev_hash",
}
_INSERT = re.compile(r'^\s*INSERT INTO "\w+" \(([^)]*)\) VALUES \(')
_UPDATE = re.compile(r'^\s*UPDATE "\w+" SET (.*?) WHERE ', re.S)


def _bound_columns(sql: str) -> list[str]:
    """The column each leading %s of an INSERT or UPDATE binds (Django writes them in order)."""
    insert = _INSERT.match(sql)
    if insert:
        return [c.strip().strip('"') for c in insert.group(1).split(",")]
    update = _UPDATE.match(sql)
    if update:
        return re.findall(r'"(\w+)" = %s', update.group(1))
    return []


@dataclass(frozen=True)
class Target:
    loan_id: int
    item_id: int
    patron_id: int
    barcode: str


@dataclass
class Captured:
    statements: list[tuple[str, list[Any] | None]]
    roles: list[list[str | None]]
    chain_select: int
    queries: int
    sql_text: list[str]


def capture(*, actor: Any, target: Target, branch_code: str) -> Captured:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from loans import services

    recorded: list[tuple[str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        assert not many, "a return runs no executemany"
        recorded.append((sql, params))
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(wrapper):
        services.loan_return(actor=actor, barcode=target.barcode, branch_code=branch_code)
    known: dict[str, Any] = {
        "barcode": target.barcode,
        "item": target.item_id,
        "item_str": str(target.item_id),  # the access log's target_id
        "loan": target.loan_id,
        "patron": target.patron_id,
    }
    statements: list[tuple[str, list[Any] | None]] = []
    roles: list[list[str | None]] = []
    chain_select = -1
    for index, (sql, params) in enumerate(recorded):
        values = list(params) if params is not None else None
        columns = _bound_columns(sql)
        statement_roles: list[str | None] = []
        for k, value in enumerate(values or []):
            column = columns[k] if k < len(columns) else None
            if column in _COLUMN_ROLES:
                statement_roles.append(_COLUMN_ROLES[column])
                continue
            if isinstance(value, dt.datetime):
                statement_roles.append("now")
                continue
            # int subclasses (psycopg's Int8 for a BigIntegerField) compare as their int value.
            plain = int(value) if isinstance(value, int) and not isinstance(value, bool) else value
            matches = [role for role, v in known.items() if type(v) is type(plain) and v == plain]
            if len(matches) > 1:
                raise ValueError(f"ambiguous parameter {value!r} ({matches}): pick another sample loan")
            statement_roles.append(matches[0] if matches else None)
        if "audit_chainhead" in sql and "FOR UPDATE" in sql:
            chain_select = index
        statements.append((sql, values))
        roles.append(statement_roles)
    if chain_select < 0:
        raise ValueError("the captured return did not lock the access-log chain head")
    return Captured(
        statements, roles, chain_select, len(queries.captured_queries), [q["sql"] for q in queries]
    )


@dataclass
class Timing:
    total_ms: float
    lock_held_ms: float


def replay(conn: psycopg.Connection[Any], captured: Captured, target: Target) -> Timing:
    values: dict[str, Any] = {
        "barcode": target.barcode,
        "item": target.item_id,
        "item_str": str(target.item_id),
        "loan": target.loan_id,
        "patron": target.patron_id,
        "now": dt.datetime.now(dt.UTC),
    }
    started = time.perf_counter()
    locked = started
    with conn.cursor() as cursor:
        for index, (sql, params) in enumerate(captured.statements):
            if params is None:
                cursor.execute(sql)
            else:
                bound = [values[r] if r else v for v, r in zip(params, captured.roles[index], strict=True)]
                cursor.execute(sql, bound)
            if index == captured.chain_select:
                locked = time.perf_counter()
                row = cursor.fetchone()
                assert row is not None and cursor.description is not None
                names = [d.name for d in cursor.description]
                last_seq, last_hash = row[names.index("last_seq")], row[names.index("last_hash")]
                values["seq"] = last_seq + 1
                values["prev_hash"] = last_hash
                values["hash"] = hashlib.sha256(f"{last_hash}{last_seq + 1}".encode()).hexdigest()
    conn.commit()
    done = time.perf_counter()
    return Timing((done - started) * 1000, (done - locked) * 1000)


@dataclass
class FloorResult:
    sequential_ms: list[float]
    lock_held_ms: list[float]
    concurrent_per_second: float
    concurrent_done: int
    threads: int

    @property
    def p50(self) -> float:
        return statistics.median(self.sequential_ms)

    @property
    def p99(self) -> float:
        return statistics.quantiles(self.sequential_ms, n=100, method="inclusive")[98]


def _connect(dsn: str) -> psycopg.Connection[Any]:
    return psycopg.connect(dsn, autocommit=False, cursor_factory=psycopg.ClientCursor)


def measure(
    *, dsn: str, captured: Captured, targets: list[Target], sequential: int, threads: int, seconds: float
) -> FloorResult:
    """``sequential`` returns one after another on one connection, then ``threads`` connections at once."""
    conn = _connect(dsn)
    timings = [replay(conn, captured, t) for t in targets[:sequential]]
    conn.close()
    rest = targets[sequential:]
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(k: int) -> None:
        c = _connect(dsn)
        try:
            for t in rest[k::threads]:
                if time.perf_counter() >= stop:
                    break
                replay(c, captured, t)
                done[k] += 1
        finally:
            c.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    return FloorResult(
        sequential_ms=[t.total_ms for t in timings],
        lock_held_ms=[t.lock_held_ms for t in timings],
        concurrent_per_second=sum(done) / elapsed,
        concurrent_done=sum(done),
        threads=threads,
    )
