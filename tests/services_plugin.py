"""Runs tests marked ``needs_postgres`` / ``needs_redis`` only where those services are in use.

Under REQUIRE_SERVICES=1 (CI) nothing is deselected: a missing service fails the run instead.
Elsewhere the deselected tests are named in a notice at the end of the run, never silently skipped.
"""

from __future__ import annotations

import os

import pytest

_deselected: dict[str, int] = {}


def postgres_in_use() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def redis_available() -> bool:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return False
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def browser_available() -> bool:
    """Debian's Chromium (never a downloaded browser) and the Playwright driver."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    required = os.environ.get("REQUIRE_SERVICES") == "1"
    have = {
        "needs_postgres": postgres_in_use(),
        "needs_redis": redis_available(),
        "needs_browser": browser_available(),
    }
    if required:
        missing = [name for name, ok in have.items() if not ok]
        if missing:
            raise pytest.UsageError(f"REQUIRE_SERVICES=1 but not available: {', '.join(missing)}")
        return
    keep, drop = [], []
    for item in items:
        lacking = [m for m, ok in have.items() if not ok and item.get_closest_marker(m)]
        if lacking:
            drop.append(item)
            for m in lacking:
                _deselected[m] = _deselected.get(m, 0) + 1
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _deselected:
        terminalreporter.section("NOTICE: services not available")
        for marker, count in _deselected.items():
            what = {
                "needs_postgres": "PostgreSQL (append-only trigger)",
                "needs_redis": "Redis (broker round trip)",
                "needs_browser": f"Chromium at {CHROMIUM} (browser tests; apt-get install chromium)",
            }[marker]
            terminalreporter.write_line(f"{count} test(s) needing {what} were not run.")
