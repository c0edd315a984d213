# privacy_admin — developer entry points.
#
#   make run     install what is missing, migrate, seed the demo data, then run
#                web + Celery worker + beat on the embedded defaults (SQLite under
#                var/, kombu filesystem broker) — no PostgreSQL or Redis needed.
#                DEBUG off; PORT=8080 make run for another port (scripts/run.sh).
#   make test    install what is missing, then scripts/test.sh (lint, type check,
#                Django checks, pytest; PostgreSQL/Redis used when reachable).
#   make lint    ruff check, ruff format --check, mypy.
#   make bench   scripts/bench.sh: benchmarks on a fresh PostgreSQL database.
#   make clean   remove var/, .venv, .tools and caches.
#
# Extra arguments for pytest / the bench go in ARGS:  make test ARGS="-k loans -x"

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

UV_VERSION := 0.13.8
# uv must never download an interpreter: use the machine's Python 3.11.
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || { command -v python3 >/dev/null 2>&1 && echo python3; })
export UV_PYTHON_DOWNLOADS := never
# A developer's activated virtualenv would only make uv print a warning.
unexport VIRTUAL_ENV

UV := .tools/bin/uv
UV_STAMP := .tools/.uv-$(UV_VERSION)
VENV_STAMP := .venv/.synced
ARGS ?=

# `make run` uses the embedded defaults even if the developer's shell points at servers.
# Mail goes to the development outbox (var/outbox), never to a real SMTP server from a demo.
EMBEDDED_ENV := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u EMAIL_HOST -u EMAIL_BACKEND

.PHONY: help venv fonts run test lint bench clean messages

help:
	@sed -n '/^#   make/,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

# --- internal: tools ---------------------------------------------------------

$(UV_STAMP):
	$(if $(PYTHON),,$(error python3.11 / python3 not found on PATH))
	test -x .tools/bin/python || "$(PYTHON)" -m venv .tools
	.tools/bin/pip install -q --disable-pip-version-check 'uv==$(UV_VERSION)'
	touch "$@"

$(VENV_STAMP): uv.lock pyproject.toml $(UV_STAMP)
	$(UV) sync --frozen --python "$(PYTHON)"
	touch "$@"

venv: $(VENV_STAMP)

# WeasyPrint renders PDFs with the system's fonts: without a Japanese font every
# kanji comes out as a blank box. fonts-ipaexfont is what the templates ask for.
fonts:
	@have_ja_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$$(fc-list :lang=ja 2>/dev/null)" ]; }
	if have_ja_font; then exit 0; fi
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	  pkgs="fonts-ipaexfont fontconfig"
	  # Pango is on the usual images; install it too where it is missing.
	  if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
	    pkgs="$$pkgs libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b"
	  fi
	  echo "fonts: installing $$pkgs (apt-get)"
	  export DEBIAN_FRONTEND=noninteractive
	  if apt-get update -qq && apt-get install -y -qq --no-install-recommends $$pkgs >/dev/null; then
	    if have_ja_font; then exit 0; fi
	  fi
	  echo "fonts: apt-get could not install $$pkgs" >&2
	else
	  echo "お知らせ: PDF（通知書・報告書）の日本語表示には fonts-ipaexfont が必要です。"
	  echo "          sudo apt-get install fonts-ipaexfont fontconfig を実行してください。"
	  echo "NOTICE:   PDFs need a Japanese font: install fonts-ipaexfont (and fontconfig)."
	fi
	# CI (REQUIRE_SERVICES=1) must not pass with PDFs full of blank boxes.
	if [ "$${REQUIRE_SERVICES:-0}" = 1 ]; then
	  echo "fonts: no Japanese font and REQUIRE_SERVICES=1: failing" >&2
	  exit 1
	fi

# --- entry points ------------------------------------------------------------

run: venv fonts
	$(EMBEDDED_ENV) bash scripts/run.sh

test: venv fonts
	bash scripts/test.sh $(ARGS)

lint: venv
	.venv/bin/ruff check --extend-exclude .tools .
	.venv/bin/ruff format --check --extend-exclude .tools .
	.venv/bin/mypy .

bench: venv
	bash scripts/bench.sh $(ARGS)

clean:
	rm -rf var .venv .tools .pytest_cache .mypy_cache .ruff_cache .hypothesis staticfiles .benchmarks
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

messages:
	@echo "Compiled catalogues (*.mo) are committed; nothing to do."
