"""`make bench`: run every benchmark against a scratch PostgreSQL database and print figures vs targets.

scripts/bench.sh creates the database, exports DATABASE_URL and migrates; each module here exposes
``run(report)`` and calls ``report(name, value, target)`` for every figure it measures.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

MODULES = ["bench.audit_log", "bench.circulation", "bench.registry"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("only", nargs="*", help="module names to run (default: all)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacy_admin.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("make bench needs PostgreSQL (DATABASE_URL)", file=sys.stderr)
        return 2
    rows: list[tuple[str, float, str]] = []

    def report(name: str, value: float, target: str) -> None:
        rows.append((name, value, target))
        print(f"  {name:<52} {value:>12.2f}   target {target}", flush=True)

    for name in MODULES:
        if args.only and name.rsplit(".", 1)[-1] not in args.only:
            continue
        started = time.monotonic()
        print(f"== {name}", flush=True)
        importlib.import_module(name).run(report)
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    print()
    print(f"{'figure':<54} {'value':>12}   target")
    for name, value, target in rows:
        print(f"{name:<54} {value:>12.2f}   {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
