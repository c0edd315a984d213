"""The access log at 10 million events: the page, the append, the sealer and ``audit_verify``.

Loads synthetic events with one ``INSERT ... SELECT FROM generate_series`` (5 years, ~300 actors,
~1M patrons, 20 actions; never run this against a real database), seals them with the real sealer
(timed: the sealer's rate, target ≥ 50,000 events/s), verifies the whole chain (timed: target
≥ 200,000 events/s), then times the page's selector for each kind of filter: median of 5 runs, in
milliseconds, target 200 ms per page. Finally audited writes per second with 1, 4 and 16 writer
processes, each beside its floor — the same row INSERTed by psycopg into a plain table of the same
shape, one transaction per row, no audit machinery — measured in the same run (target: 16 writers
≥ 3 × one writer).

Alone: ``DATABASE_URL=postgresql://postgres@127.0.0.1:5432/privacy_admin_bench python -m bench.audit_log``
(``BENCH_AUDIT_EVENTS`` changes the number of events).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

TARGET_MS = 200.0
RUNS = 5
ACTORS = 300
PATRONS = 1_000_000
# (action, weight): patron views and searches dominate a library's log.
ACTIONS = [
    ("patron.view", 30),
    ("patron.search", 20),
    ("auth.login", 10),
    ("auth.logout", 8),
    ("patron.update", 6),
    ("patron.renew", 5),
    ("patron.register", 4),
    ("access.denied", 3),
    ("auth.login_failed", 3),
    ("patron.cancel", 2),
    ("patron.erase", 2),
    ("paper_form.destroyed", 2),
    ("paper_form.reminder", 1),
    ("patron.password_set", 1),
    ("patron.password_reset_self", 1),
    ("patron.import", 1),
    ("patron.out_of_scope", 1),
    ("auth.locked_out", 1),
    ("api_token.create", 1),
    ("audit.view", 1),
]

Report = Callable[[str, float, str], None]


def _events_wanted() -> int:
    return int(os.environ.get("BENCH_AUDIT_EVENTS", "10000000"))


def _load(n: int) -> None:
    """Fill audit_auditevent with n synthetic events, unless an earlier run already did."""
    from django.db import connection

    from privacy_admin.audit.models import AuditEvent

    # The synthetic load ends with a recognisable request id; the timed requests append real events after it.
    if AuditEvent.objects.filter(seq=n, request_id=f"{n * 7919:032x}").exists():
        print(f"   {n:,} synthetic events already loaded", flush=True)
        return

    started = time.monotonic()
    weighted = [code for code, weight in ACTIONS for _ in range(weight)]
    end = dt.datetime.now(dt.UTC)
    start = end.replace(year=end.year - 5)
    step = (end - start) / n
    # Secondary indexes are built once after the load: far faster than maintaining them per row.
    indexes = list(AuditEvent._meta.indexes)
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.execute(f'DROP INDEX IF EXISTS "{index.name}"')
    with connection.cursor() as cursor:
        # A scratch database: the TRUNCATE guard is switched off for the load only.
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE audit_auditseal DISABLE TRIGGER USER")
        cursor.execute("TRUNCATE audit_auditevent, audit_auditseal, audit_auditsealstate")
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE audit_auditseal ENABLE TRIGGER USER")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            """
            INSERT INTO audit_auditevent (seq, occurred_at, actor_id, actor_username, role, action,
                target_type, target_id, patron_id, branch_code, outcome, ip, request_id, detail)
            SELECT g,
                   %(start)s::timestamptz + (g - 1) * %(step)s * interval '1 microsecond',
                   a.actor,
                   'staff' || a.actor,
                   CASE WHEN a.actor <= 10 THEN 'privacy_officer'
                        WHEN a.actor <= 250 THEN 'counter_staff' ELSE 'contractor_operator' END,
                   x.action,
                   CASE WHEN p.patron IS NULL THEN 'view' ELSE 'patron' END,
                   coalesce(p.patron::text, ''),
                   p.patron,
                   'branch-' || (a.actor %% 12),
                   CASE WHEN x.action = 'access.denied' THEN 'denied'
                        WHEN x.action = 'auth.login_failed' THEN 'failure' ELSE 'success' END,
                   ('10.1.' || (a.actor %% 250) || '.' || (g %% 250))::inet,
                   lpad(to_hex(g * 7919), 32, '0'),
                   CASE WHEN g %% 7 = 0 THEN jsonb_build_object('count', g %% 13) ELSE '{}'::jsonb END
            FROM generate_series(1::bigint, %(n)s::bigint) AS g
            -- hashint8extended with three seeds: actor, action and patron vary independently.
            CROSS JOIN LATERAL (SELECT 1 + (hashint8extended(g, 1) & %(mask)s) %% %(actors)s AS actor) AS a
            CROSS JOIN LATERAL (
                SELECT (%(actions)s::text[])[1 + (hashint8extended(g, 2) & %(mask)s) %% %(n_actions)s] AS action) AS x
            CROSS JOIN LATERAL (
                SELECT CASE WHEN x.action LIKE 'patron.%%' AND x.action <> 'patron.search'
                            THEN 1 + (hashint8extended(g, 3) & %(mask)s) %% %(patrons)s END AS patron) AS p
            """,
            {
                "start": start,
                "step": step // dt.timedelta(microseconds=1),
                "n": n,
                "actors": ACTORS,
                "actions": weighted,
                "n_actions": len(weighted),
                "patrons": PATRONS,
                "mask": 2**62 - 1,
            },
        )
        print(f"   inserted {n:,} events in {time.monotonic() - started:.0f} s", flush=True)
        cursor.execute("SET maintenance_work_mem = '512MB'")
        with connection.schema_editor() as editor:
            for index in indexes:
                editor.add_index(AuditEvent, index)
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute("SELECT setval('audit_auditevent_seq', %s)", [n])
    print(f"   loaded, indexed and analysed in {time.monotonic() - started:.0f} s", flush=True)


def _median_ms(fn: Callable[[], Any]) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _officer() -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from privacy_admin.core.roles import Role

    user, _ = get_user_model().objects.get_or_create(username="bench-officer")
    user.groups.add(Group.objects.get_or_create(name=Role.PRIVACY_OFFICER.value)[0])
    return get_user_model().objects.get(pk=user.pk)


def run(report: Report) -> None:
    """Load (if needed) and time one page of the access log for each filter."""
    from django.conf import settings
    from django.db import connection

    from privacy_admin.audit.models import AuditEvent
    from privacy_admin.audit.selectors import EventFilters, events_for

    if connection.vendor != "postgresql":
        raise SystemExit("bench.audit_log needs PostgreSQL (DATABASE_URL)")
    n = _events_wanted()
    _load(n)
    _seal_and_verify(report)
    officer = _officer()

    middle = AuditEvent.objects.filter(seq=n // 2).values_list("occurred_at", "actor_id", "patron_id").first()
    if middle is None:
        raise SystemExit("the synthetic events are missing")
    mid_at, actor_id, _ = middle
    patron_id = AuditEvent.objects.filter(seq__gte=n // 2, patron_id__isnull=False).values_list(
        "patron_id", flat=True
    )[:1][0]
    month_from = mid_at.date().replace(day=1)
    month_to = (month_from + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    deep_cursor = n // 10

    cases: list[tuple[str, EventFilters]] = [
        ("no filter, first page", EventFilters()),
        ("no filter, deep (cursor at 10%)", EventFilters(before_seq=deep_cursor)),
        ("actor", EventFilters(actor_id=actor_id)),
        ("actor, deep page", EventFilters(actor_id=actor_id, before_seq=deep_cursor)),
        ("patron", EventFilters(patron_id=patron_id)),
        ("action patron.view (common)", EventFilters(action="patron.view")),
        ("action api_token.create (rare)", EventFilters(action="api_token.create")),
        ("action prefix paper_form.", EventFilters(action="paper_form.")),
        ("date range, one month", EventFilters(date_from=month_from, date_to=month_to)),
        ("actor + date range", EventFilters(actor_id=actor_id, date_from=month_from, date_to=month_to)),
        ("actor + rare action", EventFilters(actor_id=actor_id, action="api_token.create")),
    ]
    for label, filters in cases:
        pages: list[int] = []

        def one_page(filters: EventFilters = filters, pages: list[int] = pages) -> None:
            pages.append(len(events_for(officer, filters=filters).events))

        report(f"audit page ms: {label}", _median_ms(one_page), f"≤ {TARGET_MS:.0f} ms")
        if not pages[-1]:
            print(f"   note: {label} found no events", flush=True)

    # The whole request as an officer sees it: middleware, form, selector, audit.view write, template.
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    # No collectstatic in a scratch checkout: serve static URLs unhashed (not what is measured here).
    plain_static = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    plain_static.enable()
    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("audit:log")
    search = {"date_from": month_from.isoformat(), "date_to": month_to.isoformat(), "action": "patron."}
    for label, send in [
        ("GET, newest", lambda: client.get(url)),
        ("POST, month + patron.*", lambda: client.post(url, search)),
    ]:

        def one_request(send: Callable[[], Any] = send, label: str = label) -> None:
            response = send()
            if response.status_code != 200:
                raise SystemExit(f"{label}: HTTP {response.status_code}")

        report(f"audit request ms: {label}", _median_ms(one_request), f"≤ {TARGET_MS:.0f} ms")
    plain_static.disable()
    _writers(report)


def _seal_and_verify(report: Report) -> None:
    """Seal everything not yet sealed (the sealer's rate), then verify the whole chain (audit_verify's)."""
    from django.db import connection

    from privacy_admin.audit.sealer import audit_seal_committed
    from privacy_admin.audit.verify import verify_chain

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM audit_auditevent e WHERE NOT EXISTS (SELECT 1 FROM audit_auditseal s WHERE s.seq = e.seq)"
        )
        pending = cursor.fetchone()[0]
    if pending >= 10_000:
        started = time.perf_counter()
        sealed = audit_seal_committed().sealed
        elapsed = time.perf_counter() - started
        report("audit sealer events/s", sealed / elapsed, f"≥ {SEAL_TARGET:,}/s")
    else:
        print("   (already sealed: the sealer's rate is measured on a fresh load)", flush=True)
    started = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"audit_verify failed on the bench data: {result.problem}")
    report("audit_verify events/s", result.checked / elapsed, f"≥ {VERIFY_TARGET:,}/s")


SEAL_TARGET = 50_000
VERIFY_TARGET = 200_000
WRITE_SECONDS = float(os.environ.get("BENCH_AUDIT_WRITE_SECONDS", "8"))
FLOOR_TABLE = "bench_audit_floor"


def _write_worker(kind: str, dsn: str, ready: Any, start: Any, stop_at: Any, counts: Any, k: int) -> None:
    """One writer process: audited writes through Django, or the floor through psycopg."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacy_admin.settings")
    if kind == "audit":
        import django

        django.setup()
        from django.db import transaction

        from privacy_admin.audit.services import audit_record

        def one() -> None:
            with transaction.atomic():
                audit_record(actor=None, action="patron.view", target_type="patron", target_id=k, patron_id=k)

    else:
        import psycopg

        conn = psycopg.connect(dsn, autocommit=True)
        sql = (
            f"INSERT INTO {FLOOR_TABLE} (occurred_at, actor_username, role, action, target_type, target_id,"  # noqa: S608 - constant table, column and clause texts only
            " patron_id, branch_code, outcome, request_id, detail)"
            " VALUES (now(), '', 'system', 'patron.view', 'patron', %s, %s, '', 'success', '', '{}')"
        )

        def one() -> None:
            conn.execute(sql, [str(k), k])

    one()  # connect and warm up before the clock starts
    with ready.get_lock():
        ready.value += 1
    start.wait()
    done = 0
    while time.time() < stop_at.value:
        one()
        done += 1
    counts[k] = done


def _writers(report: Report) -> None:
    import multiprocessing as mp

    from django.db import connection

    params = connection.get_connection_params()
    import psycopg

    dsn = psycopg.conninfo.make_conninfo(
        **{k: v for k, v in params.items() if k in {"host", "port", "user", "password", "dbname"}}
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} (LIKE audit_auditevent INCLUDING INDEXES)")
        cursor.execute(f"ALTER TABLE {FLOOR_TABLE} ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY")
    connection.close()
    ctx = mp.get_context("spawn")
    rates: dict[tuple[str, int], float] = {}
    for writers in (1, 4, 16):
        for kind in ("audit", "floor"):
            start = ctx.Event()
            ready = ctx.Value("i", 0)
            stop_at = ctx.Value("d", 0.0)
            counts = ctx.Array("l", writers)
            procs = [
                ctx.Process(target=_write_worker, args=(kind, dsn, ready, start, stop_at, counts, k))
                for k in range(writers)
            ]
            for proc in procs:
                proc.start()
            while ready.value < writers:  # every process has imported Django, connected and written once
                time.sleep(0.05)
            stop_at.value = time.time() + WRITE_SECONDS
            start.set()
            for proc in procs:
                proc.join()
            rates[(kind, writers)] = sum(counts[i] for i in range(writers)) / WRITE_SECONDS
        one = rates[("audit", 1)]
        target = f"≥ {3 * one:.0f}/s (3 × one writer)" if writers == 16 else "—"
        report(f"audited writes/s, {writers} writer process(es)", rates[("audit", writers)], target)
        report(f"  floor (plain INSERT), {writers} writer process(es)", rates[("floor", writers)], "floor")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacy_admin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    def report(name: str, value: float, target: str) -> None:
        print(f"  {name:<52} {value:>10.2f}   target {target}", flush=True)

    run(report)


if __name__ == "__main__":
    main()
    sys.exit(0)
