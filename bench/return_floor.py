"""The floor under a return: the same SQL statements a real ``loan_return`` runs, replayed through psycopg.

``capture`` runs one real return through the service with ``CaptureQueriesContext`` (for the count)
and an execute wrapper (for each statement with its parameters apart). Every parameter is given a
role by its value: the item's barcode, the item id, the loan id and the patron id; "now" for any
datetime. ``replay`` runs the same statements for another loan with those roles filled in anew,
savepoints included, in one transaction, with a client-side-binding cursor as Django uses. The
access-log event is a plain INSERT (its ``seq`` from a sequence; sealed later by the sealer, which
the floor leaves out as the HTTP run does). What is left is PostgreSQL's own cost plus a minimal
driver: no ORM, no Django, no HTTP.
"""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time
from dataclasses import dataclass
from typing import Any

import psycopg


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
    for sql, params in recorded:
        values = list(params) if params is not None else None
        statement_roles: list[str | None] = []
        for value in values or []:
            if isinstance(value, dt.datetime):
                statement_roles.append("now")
                continue
            # int subclasses (psycopg's Int8 for a BigIntegerField) compare as their int value.
            plain = int(value) if isinstance(value, int) and not isinstance(value, bool) else value
            matches = [role for role, v in known.items() if type(v) is type(plain) and v == plain]
            if len(matches) > 1:
                raise ValueError(f"ambiguous parameter {value!r} ({matches}): pick another sample loan")
            statement_roles.append(matches[0] if matches else None)
        statements.append((sql, values))
        roles.append(statement_roles)
    return Captured(statements, roles, len(queries.captured_queries), [q["sql"] for q in queries])


def replay(conn: psycopg.Connection[Any], captured: Captured, target: Target) -> float:
    """One return replayed in one transaction; its time in ms."""
    values: dict[str, Any] = {
        "barcode": target.barcode,
        "item": target.item_id,
        "item_str": str(target.item_id),
        "loan": target.loan_id,
        "patron": target.patron_id,
        "now": dt.datetime.now(dt.UTC),
    }
    started = time.perf_counter()
    with conn.cursor() as cursor:
        for index, (sql, params) in enumerate(captured.statements):
            if params is None:
                cursor.execute(sql)
            else:
                bound = [values[r] if r else v for v, r in zip(params, captured.roles[index], strict=True)]
                cursor.execute(sql, bound)
            if cursor.description is not None:
                cursor.fetchall()  # as Django reads what a statement returns
    conn.commit()
    return (time.perf_counter() - started) * 1000


@dataclass
class FloorResult:
    sequential_ms: list[float]
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
        sequential_ms=timings,
        concurrent_per_second=sum(done) / elapsed,
        concurrent_done=sum(done),
        threads=threads,
    )
