#!/usr/bin/env bash
# Benchmarks on PostgreSQL (never SQLite: the numbers would mean nothing for production).
#
# Creates a fresh database privacy_admin_bench (dropped first if it exists) on the
# server named by DATABASE_URL when that is a PostgreSQL URL, otherwise on
# postgresql://postgres@127.0.0.1:5432; migrates it; runs `python -m bench "$@"`.
# The database is left in place for inspection and dropped by the next run.
#
# Environment honoured: DATABASE_URL (server to use; its database name is replaced),
# BENCH_DB (database name, default privacy_admin_bench), BENCH_KEEP_DB=1 (keep the database
# of the last run, so the loaded data is reused: migrate, then bench). Arguments go to the bench.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
if [[ ! -x $PY ]]; then
    echo "scripts/bench.sh: $PY not found: run 'make venv' (or 'make bench')" >&2
    exit 1
fi

server_url="${DATABASE_URL:-}"
case "$server_url" in
    postgres://* | postgresql://* | pgsql://*) ;;
    *) server_url=postgresql://postgres@127.0.0.1:5432/postgres ;;
esac
bench_db="${BENCH_DB:-privacy_admin_bench}"

# Prints the URL of the fresh bench database, or a reason on stderr and exits 1.
if ! bench_url=$("$PY" - "$server_url" "$bench_db" "${BENCH_KEEP_DB:-0}" <<'PYEOF'
import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

url, name, keep = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
for scheme in ("postgres://", "pgsql://"):
    if url.startswith(scheme):
        url = "postgresql://" + url[len(scheme):]
params = conninfo_to_dict(url)
try:
    conn = psycopg.connect(**{**params, "dbname": "postgres", "connect_timeout": 5}, autocommit=True)
except psycopg.OperationalError as exc:
    where = f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
    print(f"PostgreSQL is unreachable at {where}: {str(exc).strip().splitlines()[0]}", file=sys.stderr)
    sys.exit(1)
with conn:
    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not (keep and exists):
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
print(urlsplit(url)._replace(path="/" + name).geturl())
PYEOF
); then
    echo "scripts/bench.sh: the benchmarks need PostgreSQL (start it, or set DATABASE_URL to a PostgreSQL server)." >&2
    exit 1
fi
export DATABASE_URL="$bench_url"
echo "==> bench database: $(sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#' <<<"$DATABASE_URL")"

mkdir -p var
echo "==> migrate"
"$PY" manage.py migrate --noinput

if [[ ! -f bench/__main__.py ]]; then
    echo "scripts/bench.sh: bench/__main__.py does not exist yet" >&2
    exit 2
fi
echo "==> python -m bench $*"
exec "$PY" -m bench "$@"
