"""Run ``safety_net_run`` once in a fresh process and print its figures as one JSON line.

bench.circulation starts this as a subprocess so that the peak memory (VmHWM, the high-water mark of
the resident set) is the job's own, as the Celery worker would see it, and not the bench's.
"""

from __future__ import annotations

import json
import os
import time


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacy_admin.settings")
    import django

    django.setup()
    from loans.safety_net import safety_net_run

    before_kb = _status_kb("VmHWM")
    started = time.perf_counter()
    result = safety_net_run(batch_size=int(os.environ.get("BENCH_SAFETY_NET_BATCH", "10000")))
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "loans": result.loans_erased,
                "reservations": result.reservations_erased,
                "routed_expiries": result.routed_expiries,
                "batches": result.batches,
                "peak_kb": _status_kb("VmHWM"),
                "before_kb": before_kb,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
