"""``manage.py audit_verify``: check the access log's seal chain; exit 1 naming the first bad event."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from privacy_admin.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Checks that no access-log event was altered, inserted out of order or removed since it was "
        "written (retention purges excepted). Exits 1 and names the first bad event otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=5000, help="rows read per query")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(batch_size=max(1, options["batch_size"]))
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {result.checked} events verified"))
            return
        self.stderr.write(f"NG: {result.problem} ({result.checked} events verified before it)")
        sys.exit(1)
