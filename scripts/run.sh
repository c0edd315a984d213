#!/usr/bin/env bash
# `make run`: the product with its demo data on the embedded defaults (SQLite under var/, the kombu
# filesystem broker, mail kept in var/outbox), as a librarian would see it: DEBUG off (Japanese 403,
# 404 and 500 pages), served by gunicorn on 127.0.0.1:$PORT (default 8000), a Celery worker and beat
# whose output goes to var/log/ so that the demo logins, printed last, stay on the screen.
#
#   PORT=8080 make run        another port
#   DJANGO_DEBUG=1 make run   Django's debug pages (a developer's choice, never the default)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8000}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
    echo "PORT は 1〜65535 の数字で指定してください（例: PORT=8080 make run）。" >&2
    exit 2
fi
export PORT
# The demo over plain http on this machine: secure cookies, the SSL redirect and HSTS (on by default
# once DEBUG is off) would make signing in impossible; the outbox is the demo's mail on purpose.
export PRIVACY_ADMIN_DEMO=1 DJANGO_SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
export DJANGO_DEBUG="${DJANGO_DEBUG:-0}"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}"

PY=.venv/bin/python
mkdir -p var/log
logins=var/demo-logins.txt

echo "==> migrate (SQLite under var/)"
"$PY" manage.py migrate --noinput -v0
echo "==> collectstatic (var/staticfiles, served by whitenoise)"
"$PY" manage.py collectstatic --noinput -v0
echo "==> seed_demo"
# The logins are kept for the end; the rest of seed_demo's report is shown now.
"$PY" manage.py seed_demo | tee var/log/seed_demo.log | sed -n '/^デモ用ログイン/,$!p'
sed -n '/^デモ用ログイン/,$p' var/log/seed_demo.log >"$logins"
# Seal the demo's access log and sign a first checkpoint, so the officers' checkpoint page and the
# public 第49条 page have one to show before beat's hourly job (README "Access log").
echo "==> audit_seal, audit_checkpoint"
"$PY" manage.py audit_seal >/dev/null
"$PY" manage.py audit_checkpoint
# One pass of the safety net now, so the dashboard knows its health from the first minute instead of
# warning until beat's first run (README "Erasure").
echo "==> loans_safety_net"
"$PY" manage.py loans_safety_net

echo "==> web, worker, beat (their output: var/log/web.log, worker.log, beat.log)"
# -e /dev/null: honcho would otherwise load .env (docker-compose's) into the processes.
.venv/bin/honcho -e /dev/null -f Procfile.dev start -p "$PORT" >var/log/honcho.log 2>&1 &
honcho_pid=$!
trap 'kill -INT "$honcho_pid" 2>/dev/null; wait "$honcho_pid" 2>/dev/null; exit 0' INT TERM

for _ in $(seq 1 60); do
    if ! kill -0 "$honcho_pid" 2>/dev/null; then
        echo "起動に失敗しました。var/log/honcho.log と var/log/web.log を確認してください。" >&2
        tail -n 20 var/log/honcho.log >&2 || true
        exit 1
    fi
    if "$PY" - "$PORT" <<'PYCHECK' 2>/dev/null; then break; fi
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/accounts/login/", timeout=1)
PYCHECK
    sleep 1
done

cat <<BANNER

  ==> http://127.0.0.1:$PORT/   (Ctrl-C stops web, worker and beat)
      mail is kept in var/outbox, not sent: sign in as admin → 開発用送信箱 (/system/outbox/)
      logs: var/log/web.log, var/log/worker.log, var/log/beat.log

BANNER
sed "s#http://127.0.0.1:8000/#http://127.0.0.1:$PORT/#" "$logins"
echo
wait "$honcho_pid"
