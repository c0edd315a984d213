"""Circulation at a city's scale: returns and lends over HTTP, the SQL floor under a return, the safety net.

On the bench database (1,000,000 patrons, 2,000,000 items, 300,000 loans, 100,000 reservations,
COPYed in by bench.circulation_seed; reused when already there, e.g. with BENCH_KEEP_DB=1):

1. Safety net: 1,000,000 stale loans (items stamped returned after the loan was made, as an
   interrupted offline-return import leaves them) are erased by ``safety_net_run`` in a child
   process; records/s (target ≥ 100,000) and the child's peak resident memory (target < 300 MB).
2. HTTP over loopback: gunicorn serves the project's WSGI app (DEBUG off, bearer token of a counter
   user; 4 sync workers: on an idle 2-core machine they answer as many returns as 2-4 gthread
   workers with 2-4 threads, with a far shorter tail, as no request waits for another's GIL: p99
   56 ms against 180-355 ms at 100 returns/s). 16 client threads POST /api/v1/returns (each
   barcode of an item on loan once), then /api/v1/loans. First paced (open loop at BENCH_RATE
   requests/s, latency counted from when each request was due): target return p99 < 25 ms at
   ≥ 300 returns/s. Then flat out (each client sends as soon as it has its answer). Each phase
   also says how many cores other users of the machine took meanwhile.
3. Where a return's time goes: the same SQL replayed through psycopg (bench.return_floor), the
   service called in-process, the request through Django's test client, one HTTP client alone;
   and the ratio HTTP/floor.

Loans the returns consume are put back (on other items) at the start of the next run.

Alone: ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/privacy_admin_bench python -m bench circulation``
Knobs: BENCH_HTTP_SECONDS (60), BENCH_SATURATION_SECONDS (30), BENCH_CLIENTS (16), BENCH_RATE (300),
BENCH_GUNICORN_WORKERS (4), BENCH_GUNICORN_THREADS (1 = sync workers; more = gthread),
BENCH_FLOOR_SECONDS (10), BENCH_SKIP (comma list of: safety_net, http, floor), and the sizes in bench.circulation_seed.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import circulation_seed as seed
from .circulation_seed import LEND_POOL, N_LOANS, N_PATRONS, N_STALE, STALE_POOL, Master
from .http_load import OtherLoad

Report = Callable[[str, float, str], None]

ROOT = Path(__file__).resolve().parent.parent
HTTP_SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "60"))
SATURATION_SECONDS = float(os.environ.get("BENCH_SATURATION_SECONDS", "30"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
RATE = float(os.environ.get("BENCH_RATE", "300"))
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "1"))
FLOOR_SECONDS = float(os.environ.get("BENCH_FLOOR_SECONDS", "10"))
SKIP = {s.strip() for s in os.environ.get("BENCH_SKIP", "").split(",") if s.strip()}
BENCH_REDIS_DB = 15  # the bench's own Redis database for the broker, emptied afterwards


def say(text: str) -> None:
    print(f"   {text}", flush=True)


def _execute(sql: str, params: dict[str, Any] | list[Any] | None = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _fetch(sql: str, params: dict[str, Any] | list[Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


_LIVE = "(i.last_returned_at IS NULL OR i.last_returned_at < l.lent_at)"  # a loan that is not stale


def _live_loans() -> int:
    sql = f"SELECT count(*) FROM loans_loan l JOIN loans_item i ON i.id = l.item_id WHERE {_LIVE}"  # noqa: S608 - fixed SQL
    return int(_fetch(sql)[0][0])


def restore_loans(log: Callable[[str], None] = say) -> None:
    """Put back the loans earlier runs' returns consumed: new loans on free items of the lend pool."""
    missing = N_LOANS - _live_loans()
    if missing <= 0:
        return
    started = time.monotonic()
    rows = _execute(
        """
        WITH picked AS (
            SELECT i.id, i.home_branch_id FROM loans_item i
            WHERE i.id >= %(first)s AND i.status = 'available'
              AND NOT EXISTS (SELECT 1 FROM loans_loan l WHERE l.item_id = i.id)
              AND NOT EXISTS (SELECT 1 FROM loans_reservation r WHERE r.item_id = i.id)
            ORDER BY i.id DESC LIMIT %(n)s),
        lent AS (
            UPDATE loans_item SET status = 'on_loan', current_branch_id = NULL
            FROM picked WHERE loans_item.id = picked.id RETURNING loans_item.id, picked.home_branch_id)
        INSERT INTO loans_loan (item_id, patron_id, branch_id, lent_at, due_on)
        SELECT id, (id * 7919) %% %(patrons)s + 1, home_branch_id,
               now() - (id %% 21) * interval '1 day', (now() - (id %% 21) * interval '1 day')::date + 14
        FROM lent
        """,
        {"first": LEND_POOL.start, "n": missing, "patrons": N_PATRONS},
    )
    log(f"restored {rows:,} loans the last run's returns consumed ({time.monotonic() - started:.0f} s)")


# --- 1. the safety net ------------------------------------------------------------------------------


def stale_backlog(n: int) -> float:
    """Make ``n`` stale loans: items of the stale pool stamped returned now, with loans made before."""
    started = time.monotonic()
    existing = int(
        _fetch(
            "SELECT count(*) FROM loans_loan l JOIN loans_item i ON i.id = l.item_id "
            "WHERE i.last_returned_at >= l.lent_at"
        )[0][0]
    )
    wanted = n - existing
    if wanted > 0:
        _execute("SET synchronous_commit = off")
        _execute(
            """
            WITH picked AS (
                SELECT i.id, i.home_branch_id FROM loans_item i
                WHERE i.id BETWEEN %(first)s AND %(last)s
                  AND NOT EXISTS (SELECT 1 FROM loans_loan l WHERE l.item_id = i.id)
                ORDER BY i.id LIMIT %(n)s),
            stamped AS (
                UPDATE loans_item SET last_returned_at = now(), status = 'available',
                       current_branch_id = picked.home_branch_id
                FROM picked WHERE loans_item.id = picked.id RETURNING loans_item.id, picked.home_branch_id)
            INSERT INTO loans_loan (item_id, patron_id, branch_id, lent_at, due_on)
            SELECT id, (id * 104729) %% %(patrons)s + 1, home_branch_id,
                   now() - (1 + id %% 30) * interval '1 day', (now() - (1 + id %% 30) * interval '1 day')::date + 14
            FROM stamped
            """,
            {"first": STALE_POOL.start, "last": STALE_POOL.stop - 1, "n": wanted, "patrons": N_PATRONS},
        )
        _execute("SET synchronous_commit = on")
        _execute("ANALYZE loans_loan")
    return time.monotonic() - started


# The bench's own erasure ledger (children inherit it): never the developer's var/erasure-ledger.sqlite3.
LEDGER = Path(
    os.environ.setdefault("ERASURE_LEDGER_PATH", str(ROOT / "var" / "bench-erasure-ledger.sqlite3"))
)


def _child(module: str) -> dict[str, Any]:
    child = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"{module} failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def bench_safety_net(report: Report) -> None:
    setup = stale_backlog(N_STALE)
    say(f"{N_STALE:,} stale loans ready ({setup:.0f} s to make them)")
    # Kept aside to play a restored backup afterwards (see bench_erasure_replay).
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{LEDGER}{suffix}")
    _execute("DROP TABLE IF EXISTS bench_restored")
    _execute(
        "CREATE UNLOGGED TABLE bench_restored AS SELECT l.* FROM loans_loan l JOIN loans_item i ON i.id = l.item_id "
        "WHERE i.last_returned_at >= l.lent_at"
    )
    others = OtherLoad(_database())
    child = subprocess.run(
        [sys.executable, "-m", "bench.safety_net_child"],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"safety net child failed:\n{child.stderr[-3000:]}")
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    say(f"other work on the machine meanwhile: {others.stop():.2f} cores")
    erased = figures["loans"] + figures["reservations"]
    say(
        f"safety net erased {figures['loans']:,} loans and {figures['reservations']:,} reservations "
        f"in {figures['seconds']:.1f} s ({figures['batches']} batches); peak RSS {figures['peak_kb'] / 1024:.0f} MB "
        f"(after Django start-up {figures['before_kb'] / 1024:.0f} MB)"
    )
    if figures["loans"] < N_STALE:
        say(f"note: expected {N_STALE:,} stale loans, erased {figures['loans']:,}")
    report("safety net: records erased per second", erased / figures["seconds"], "≥ 100000")
    report("safety net: peak memory of the process, MB", figures["peak_kb"] / 1024, "< 300")
    bench_erasure_replay(report)
    _execute("VACUUM ANALYZE loans_loan")


def bench_erasure_replay(report: Report) -> None:
    """A backup restored after the safety net ran: the erased loans are back (re-inserted with their
    ids), and ``erasure.replay`` deletes them again from the 1,000,000 ids the net noted in the ledger."""
    restored = int(_fetch("SELECT count(*) FROM bench_restored")[0][0])
    _execute("SET synchronous_commit = off")
    _execute("INSERT INTO loans_loan SELECT * FROM bench_restored")
    _execute("SET synchronous_commit = on")
    _execute("DROP TABLE bench_restored")
    _execute("ANALYZE loans_loan")
    figures = _child("bench.erasure_replay_child")
    say(
        f"erasure replay: {figures['ledger_rows']:,} ledger rows, {figures['deleted']:,} of {restored:,} "
        f"restored loans deleted in {figures['seconds']:.1f} s"
    )
    report("erasure replay: ledger rows per second", figures["ledger_rows"] / figures["seconds"], "≥ 100000")
    report("erasure replay: peak memory of the process, MB", figures["peak_kb"] / 1024, "< 300")


# --- 2. HTTP ------------------------------------------------------------------------------------------


def _redis_broker() -> str | None:
    try:
        import redis

        url = f"redis://127.0.0.1:6379/{BENCH_REDIS_DB}"
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url
    except Exception:
        return None


def _empty_broker(url: str | None) -> None:
    if url is None:
        return
    with contextlib.suppress(Exception):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        keys = [k for k in client.scan_iter("_kombu.binding*")] + [b"celery"]
        client.delete(*keys)


def _server_env(broker: str | None) -> dict[str, str]:
    env = os.environ.copy()
    env.pop("PRIVACY_ADMIN_TESTING", None)
    env["DJANGO_DEBUG"] = "0"
    env["CELERY_TASK_ALWAYS_EAGER"] = "0"
    env["CELERY_BROKER_URL"] = broker or "memory://"
    if broker:
        env["REDIS_URL"] = broker
    return env


def _return_bodies(n: int) -> list[dict[str, Any]]:
    rows = _fetch(
        "SELECT i.barcode, b.code FROM loans_loan l JOIN loans_item i ON i.id = l.item_id "  # noqa: S608 - fixed SQL
        f"JOIN patrons_branch b ON b.id = l.branch_id WHERE {_LIVE} ORDER BY random() LIMIT %s",
        [n],
    )
    return [{"barcode": barcode, "branch": code} for barcode, code in rows]


def _lend_bodies(n: int, branches: list[str]) -> list[dict[str, Any]]:
    patrons = _fetch(
        """
        SELECT p.card_number FROM patrons_patron p
        WHERE p.status = 'active' AND p.expires_on >= current_date
          AND NOT EXISTS (SELECT 1 FROM loans_loan l WHERE l.patron_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM loans_reservation r WHERE r.patron_id = p.id)
        ORDER BY random() LIMIT %s
        """,
        [n],
    )
    items = _fetch(
        """
        SELECT i.barcode FROM loans_item i
        WHERE i.id >= %s AND i.status = 'available'
          AND NOT EXISTS (SELECT 1 FROM loans_loan l WHERE l.item_id = i.id)
          AND NOT EXISTS (SELECT 1 FROM loans_reservation r WHERE r.item_id = i.id)
        ORDER BY random() LIMIT %s
        """,
        [LEND_POOL.start, n],
    )
    rnd = random.Random(2026)
    return [
        {"card_number": card, "barcode": barcode, "branch": rnd.choice(branches)}
        for (card,), (barcode,) in zip(patrons, items, strict=False)
    ]


def _token(master: Master) -> str:
    from privacy_admin.accounts.services import api_token_create

    return api_token_create(actor=None, user=master.counter)


class Http:
    """The figures of the HTTP part, kept for the comparison with the floor."""

    return_paced: Any = None
    return_saturated: Any = None
    one_client_return_ms: float = float("nan")
    other_cores: float = 0.0  # the most other processes took during any HTTP phase


def bench_http(report: Report, master: Master, http: Http) -> None:
    from .http_load import gunicorn_server, run_load

    codes = {pk: code for code, pk in master.branches.items()}
    lending = [codes[pk] for pk in master.lending_branches]
    paced_n = int(RATE * HTTP_SECONDS * 1.1) + 2000
    returns = iter(_return_bodies(paced_n + 40000))
    lends = iter(_lend_bodies(paced_n + 40000, lending))
    token = _token(master)
    broker = _redis_broker()
    log = ROOT / "var" / "bench-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    kind = f"{WORKERS} sync workers" if THREADS == 1 else f"{WORKERS} gthread workers x {THREADS} threads"
    say(f"gunicorn: {kind}, DEBUG off, broker {broker or 'memory://'}; errors go to {log}")
    try:
        with gunicorn_server(env=_server_env(broker), workers=WORKERS, threads=THREADS, log=log) as server:

            def load(label: str, path: str, bodies: Iterator[dict[str, Any]], **kw: Any) -> Any:
                others = OtherLoad(_database())
                result = run_load(
                    label=label,
                    host=server.host,
                    port=server.port,
                    token=token,
                    path=path,
                    bodies=bodies,
                    **kw,
                )
                busy = others.stop()
                http.other_cores = max(http.other_cores, busy)
                say(f"{result.summary()}; other work on the machine: {busy:.2f} cores")
                for error in result.sample_errors[:3]:
                    say(f"  e.g. {error}")
                return result

            # Warm-up: every worker imports and connects before anything is timed.
            load("warm-up returns", "/api/v1/returns", returns, clients=8, seconds=3, rate=40)
            load("warm-up lends", "/api/v1/loans", lends, clients=8, seconds=3, rate=40)

            one = load("returns, one client alone", "/api/v1/returns", returns, clients=1, seconds=5)
            http.one_client_return_ms = one.percentile(50)

            r = load(f"returns, {CLIENTS} clients paced at {RATE:.0f}/s", "/api/v1/returns", returns,
                     clients=CLIENTS, seconds=HTTP_SECONDS, rate=RATE)  # fmt: skip
            http.return_paced = r
            report(f"return p50 ms ({CLIENTS} clients, {RATE:.0f}/s offered)", r.percentile(50), "-")
            report(f"return p99 ms ({CLIENTS} clients, {RATE:.0f}/s offered)", r.percentile(99), "< 25")
            report("return throughput /s (paced)", r.throughput, "≥ 300")

            lend = load(f"lends, {CLIENTS} clients paced at {RATE:.0f}/s", "/api/v1/loans", lends,
                        clients=CLIENTS, seconds=HTTP_SECONDS, rate=RATE)  # fmt: skip
            report(f"lend p50 ms ({CLIENTS} clients, {RATE:.0f}/s offered)", lend.percentile(50), "-")
            report(f"lend p99 ms ({CLIENTS} clients, {RATE:.0f}/s offered)", lend.percentile(99), "-")
            report("lend throughput /s (paced)", lend.throughput, "-")

            if SATURATION_SECONDS > 0:
                rs = load(f"returns, {CLIENTS} clients flat out", "/api/v1/returns", returns,
                          clients=CLIENTS, seconds=SATURATION_SECONDS)  # fmt: skip
                http.return_saturated = rs
                report(f"return p50 ms ({CLIENTS} clients flat out)", rs.percentile(50), "-")
                report(f"return p99 ms ({CLIENTS} clients flat out)", rs.percentile(99), "-")
                report("return throughput /s (flat out)", rs.throughput, "≥ 0.8 × floor")
                ls = load(f"lends, {CLIENTS} clients flat out", "/api/v1/loans", lends,
                          clients=CLIENTS, seconds=SATURATION_SECONDS)  # fmt: skip
                report(f"lend p50 ms ({CLIENTS} clients flat out)", ls.percentile(50), "-")
                report(f"lend p99 ms ({CLIENTS} clients flat out)", ls.percentile(99), "-")
                report("lend throughput /s (flat out)", ls.throughput, "-")
    finally:
        _empty_broker(broker)
    report("other processes' CPU during the HTTP phases (worst), cores", http.other_cores, "0 = idle machine")


# --- 3. the floor and where the time goes -----------------------------------------------------------


def _targets(n: int, *, home_branch_id: int) -> list[Any]:
    from .return_floor import Target

    rows = _fetch(
        "SELECT l.id, l.item_id, l.patron_id, i.barcode FROM loans_loan l JOIN loans_item i ON i.id = l.item_id "  # noqa: S608 - fixed SQL
        f"WHERE {_LIVE} AND i.home_branch_id = %s AND l.branch_id = %s "
        "AND NOT EXISTS (SELECT 1 FROM loans_reservation r WHERE r.item_id = l.item_id) "
        "ORDER BY random() LIMIT %s",
        [home_branch_id, home_branch_id, n],
    )
    return [Target(*row) for row in rows]


def _distinct_sample(candidates: list[Any]) -> Any:
    """A loan whose ids (loan, item, patron) differ from each other and from small constants."""
    for t in candidates:
        ids = {t.loan_id, t.item_id, t.patron_id}
        if len(ids) == 3 and min(ids) > 1000:
            return t
    raise SystemExit("no loan with distinct ids to capture a return from")


def bench_floor(report: Report, master: Master, http: Http) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from loans import services
    from privacy_admin.core.roles import roles_of

    from .return_floor import capture, measure

    home = master.branches["central"]
    code = "central"
    pool = _targets(40000, home_branch_id=home)
    if len(pool) < 2000:
        say(f"floor skipped: only {len(pool)} loans lent and homed at {code} without reservations")
        return
    sample = _distinct_sample(pool)
    pool = [t for t in pool if t is not sample]
    # The actor as a request has it: its roles already known (the bearer token's user carries them),
    # so the statements captured are those an HTTP return runs, and no more.
    roles_of(master.counter)
    captured = capture(actor=master.counter, target=sample, branch_code=code)
    say(f"one loan_return runs {captured.queries} SQL statements:")
    for sql in captured.sql_text:
        say(f"  {sql[:150]}")

    # The service alone, in this process (ORM + SQL; no HTTP, no middleware).
    service_ms = []
    for t in pool[:300]:
        started = time.perf_counter()
        services.loan_return(actor=master.counter, barcode=t.barcode, branch_code=code)
        service_ms.append((time.perf_counter() - started) * 1000)
    pool = pool[300:]

    # The whole Django request in-process (middleware, token, ninja, service, JSON): no socket.
    # Statements are counted on the second request, once the token is remembered (as in the HTTP run).
    token = _token(master)
    client = Client()
    client_ms = []
    request_queries = 0
    for k, t in enumerate(pool[:300]):
        started = time.perf_counter()
        if k == 1:
            with CaptureQueriesContext(connection) as q:
                response = client.post(
                    "/api/v1/returns",
                    {"barcode": t.barcode, "branch": code},
                    content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}",
                )
            request_queries = len(q.captured_queries)
        else:
            response = client.post(
                "/api/v1/returns",
                {"barcode": t.barcode, "branch": code},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        client_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"in-process return answered {response.status_code}: {response.content[:200]!r}")
    pool = pool[300:]

    dsn = _dsn(settings.DATABASES["default"])
    others = OtherLoad(_database())
    floor = measure(
        dsn=dsn, captured=captured, targets=pool, sequential=500, threads=CLIENTS, seconds=FLOOR_SECONDS
    )
    say(f"other work on the machine during the floor: {others.stop():.2f} cores")
    say(
        f"floor: {len(floor.sequential_ms)} returns one after another, p50 {floor.p50:.2f} ms, p99 {floor.p99:.2f} ms; "
        f"{floor.threads} connections at once: {floor.concurrent_done:,} returns, {floor.concurrent_per_second:.0f}/s"
    )
    report("return floor: SQL replay p50 ms (one connection)", floor.p50, "-")
    report(
        f"return floor: SQL replay returns/s ({floor.threads} connections)", floor.concurrent_per_second, "-"
    )
    report("return: SQL statements per service call", captured.queries, "-")
    report("return: SQL statements per HTTP request", request_queries, "-")
    report("return: service in-process p50 ms", statistics.median(service_ms), "-")
    report("return: Django test client in-process p50 ms", statistics.median(client_ms), "-")
    if http.one_client_return_ms == http.one_client_return_ms:  # not NaN: the HTTP part ran
        report("return: HTTP, one client alone p50 ms", http.one_client_return_ms, "-")
        report("return: latency ratio HTTP (one client) / floor", http.one_client_return_ms / floor.p50, "-")
    if http.return_saturated is not None:
        report(
            "return: throughput ratio HTTP (flat out) / floor",
            http.return_saturated.throughput / floor.concurrent_per_second,
            "≥ 0.8",
        )


def _database() -> str:
    from django.conf import settings

    return str(settings.DATABASES["default"]["NAME"])


def _dsn(db: dict[str, Any]) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=str(db["PORT"]) if db.get("PORT") else None,
    )


# --- the run ----------------------------------------------------------------------------------------


def run(report: Report) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench.circulation needs PostgreSQL (DATABASE_URL)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    say(f"load average before: {load} (other work on the machine skews every figure below)")
    master = Master()
    started = time.monotonic()
    seconds = seed.seed(master, log=say)
    if seconds:
        report("seed: COPY 1M patrons, 2M items, 300k loans, 100k reservations, s", seconds, "minutes")
    restore_loans()
    say(f"ready in {time.monotonic() - started:.0f} s")
    http = Http()
    if "safety_net" not in SKIP:
        bench_safety_net(report)
    if "http" not in SKIP:
        bench_http(report, master, http)
    if "floor" not in SKIP:
        bench_floor(report, master, http)
    say("load average after: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacy_admin.settings")
    import django

    django.setup()

    def report(name: str, value: float, target: str) -> None:
        print(f"  {name:<60} {value:>12.2f}   target {target}", flush=True)

    run(report)


if __name__ == "__main__":
    main()
