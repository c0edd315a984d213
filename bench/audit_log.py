"""The access-log page at 10 million events (issue: "stays fast at 10 million events").

Loads synthetic events with one ``INSERT ... SELECT FROM generate_series`` (5 years, ~300 actors,
~1M patrons, 20 actions; seals are fake, so never run this against a real database), then times the
page's selector for each kind of filter: median of 5 runs, in milliseconds, target 200 ms per page.

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

    from privacy_admin.audit.models import AuditEvent, ChainHead

    # The synthetic load ends with a recognisable fake seal; the timed requests append real events after it.
    loaded = AuditEvent.objects.filter(seq=n, hash=f"{n:064x}").exists()
    if loaded and ChainHead.objects.filter(pk=1, last_seq__gte=n).exists():
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
        # TRUNCATE is not guarded by the append-only trigger; this is a scratch database.
        cursor.execute("TRUNCATE audit_auditevent")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            """
            INSERT INTO audit_auditevent (seq, occurred_at, actor_id, actor_username, role, action,
                target_type, target_id, patron_id, branch_code, outcome, ip, request_id, detail,
                prev_hash, hash)
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
                   '{}'::jsonb,
                   lpad(to_hex(g - 1), 64, '0'),
                   lpad(to_hex(g), 64, '0')
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
    ChainHead.objects.update_or_create(
        pk=1, defaults={"last_seq": n, "last_hash": f"{n:064x}", "anchor_seq": 0, "anchor_hash": ""}
    )
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

    from privacy_admin.accounts.roles import Role

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
