"""Run ``erasure.replay`` once in a fresh process and print its figures as one JSON line (the peak
resident memory is the command's own, as ``manage.py erasure_replay`` would see it)."""

from __future__ import annotations

import json
import os

from .safety_net_child import _status_kb


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "privacy_admin.settings")
    import django

    django.setup()
    from loans import erasure

    result = erasure.replay()
    print(
        json.dumps(
            {
                "seconds": result.seconds,
                "ledger_rows": result.ledger_rows,
                "deleted": result.total_deleted,
                "peak_kb": _status_kb("VmHWM"),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
