#!/usr/bin/env bash
# Full check: lint, types, Django system checks, migrations, pytest.
#
# PostgreSQL and Redis are used when reachable (this machine kind and CI have both
# on their standard ports); otherwise the suite runs on the embedded defaults
# (SQLite, kombu filesystem broker) and says what it could not test.
#
# Environment honoured:
#   REQUIRE_SERVICES=1  fail if PostgreSQL or Redis is unreachable (CI); exported to pytest
#   DATABASE_URL        PostgreSQL to test on (default postgresql://postgres@127.0.0.1:5432/privacy_admin;
#                       pytest-django creates and drops test_<name> itself)
#   REDIS_URL           Redis to test on (default redis://127.0.0.1:6379/0)
#   CELERY_BROKER_URL   broker for the tests (default: $REDIS_URL when Redis is reachable)
# Arguments are passed to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

trap 'rc=$?; echo; echo "scripts/test.sh: finished in ${SECONDS}s (exit ${rc})"' EXIT

PY=.venv/bin/python
if [[ ! -x $PY ]]; then
    echo "scripts/test.sh: $PY not found: run 'make venv' (or 'make test')" >&2
    exit 1
fi
export REQUIRE_SERVICES="${REQUIRE_SERVICES:-0}"

DEFAULT_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/privacy_admin
DEFAULT_REDIS_URL=redis://127.0.0.1:6379/0

# probe pg URL [create]: exit 0 if a PostgreSQL server answers at URL. The named
# database need not exist (the server's "postgres" database is tried too, as Django
# does when it creates the test database); with "create", a missing one is created.
# probe redis URL: exit 0 if PING answers.
probe() {
    "$PY" - "$@" <<'PYEOF'
import sys

kind, url = sys.argv[1], sys.argv[2]
create = len(sys.argv) > 3 and sys.argv[3] == "create"
try:
    if kind == "pg":
        import psycopg
        from psycopg import sql
        from psycopg.conninfo import conninfo_to_dict

        for scheme in ("postgres://", "pgsql://", "postgis://"):
            if url.startswith(scheme):
                url = "postgresql://" + url[len(scheme):]
        if not url.startswith("postgresql://"):
            print("not a PostgreSQL URL")
            sys.exit(1)
        params = conninfo_to_dict(url)
        params["connect_timeout"] = 3
        wanted = params.get("dbname") or "postgres"
        try:
            psycopg.connect(**params).close()
        except psycopg.OperationalError as first_error:
            try:
                conn = psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True)
            except psycopg.OperationalError:
                raise first_error from None
            with conn:
                if create:
                    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [wanted]).fetchone()
                    if not exists:
                        try:
                            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(wanted)))
                            print(f"created database {wanted}")
                        except psycopg.errors.DuplicateDatabase:
                            pass
    elif kind == "redis":
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    else:
        raise SystemExit(f"unknown probe {kind}")
except Exception as exc:  # any failure means "not usable": say why in one line
    print(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")
    sys.exit(1)
PYEOF
}

redact() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#'; }

echo "==> services"
missing=()
pg_url="${DATABASE_URL:-$DEFAULT_DATABASE_URL}"
create=""
[[ -z ${DATABASE_URL:-} ]] && create=create
if out=$(probe pg "$pg_url" $create); then
    [[ -n $out ]] && echo "    $out"
    export DATABASE_URL="$pg_url"
    echo "    PostgreSQL: $(redact <<<"$DATABASE_URL")"
    use_pg=1
else
    echo "    PostgreSQL unreachable at $(redact <<<"$pg_url"): $out"
    missing+=(PostgreSQL)
    unset DATABASE_URL
    use_pg=0
fi

redis_url="${REDIS_URL:-$DEFAULT_REDIS_URL}"
if out=$(probe redis "$redis_url"); then
    export REDIS_URL="$redis_url"
    export CELERY_BROKER_URL="${CELERY_BROKER_URL:-$REDIS_URL}"
    echo "    Redis: $(redact <<<"$REDIS_URL") (Celery broker: $(redact <<<"$CELERY_BROKER_URL"))"
    use_redis=1
else
    echo "    Redis unreachable at $(redact <<<"$redis_url"): $out"
    missing+=(Redis)
    unset REDIS_URL CELERY_BROKER_URL
    use_redis=0
fi

if ((${#missing[@]})); then
    if [[ $REQUIRE_SERVICES == 1 ]]; then
        echo "ERROR: REQUIRE_SERVICES=1 but unreachable: ${missing[*]}" >&2
        exit 1
    fi
    echo
    echo "NOTICE: running with fallbacks:"
    ((use_pg)) || echo "  - SQLite (under var/) instead of PostgreSQL: the append-only trigger tests (needs_postgres) are not run."
    ((use_redis)) || echo "  - no Redis: kombu filesystem broker; the broker round-trip tests (needs_redis) are not run."
    echo "  Start the services (or set DATABASE_URL / REDIS_URL) for the full suite."
    echo
fi

step() {
    echo "==> $*"
    "$@"
}

mkdir -p var
step .venv/bin/ruff check --extend-exclude .tools .
step .venv/bin/ruff format --check --extend-exclude .tools .
step .venv/bin/mypy .
step "$PY" manage.py check --fail-level ERROR
step "$PY" manage.py makemigrations --check --dry-run
# The house rules (architecture.md) as a lint: tools/conventions.py, its examples in tests/tools/.
step "$PY" -m tools.conventions

# The field inventory (要綱 第16条): every personal-data field declared, each pointing at a registered
# entry. Run on a fresh throwaway SQLite database migrated up to the register (its data migration
# registers the core entries), so it checks the code, not whatever a developer's database holds.
echo "==> manage.py privacy_inventory --check (fresh SQLite)"
inventory_dir=$(mktemp -d)
inventory_env=(env -u DATABASE_URL PRIVACY_ADMIN_VAR_DIR="$inventory_dir")
set +e
"${inventory_env[@]}" "$PY" manage.py migrate register -v0 &&
    "${inventory_env[@]}" "$PY" manage.py privacy_inventory --check
rc=$?
set -e
rm -rf "$inventory_dir"
((rc == 0)) || exit "$rc"

echo "==> pytest"
set +e
.venv/bin/pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
if ((rc == 5)); then
    echo "pytest collected no tests: failing (an empty suite is not a pass)" >&2
fi
exit "$rc"
