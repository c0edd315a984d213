"""``manage.py audit_verify``: check the access log's seal chain; exit 1 naming the first problem."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from privacy_admin.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Checks that no sealed access-log event was altered, inserted or removed (retention purges "
        "excepted), that the log still holds what the sealed-head file and every checkpoint in "
        "AUDIT_CHECKPOINT_DIR (and each --checkpoint FILE) recorded, and that no event stayed unsealed "
        "longer than AUDIT_MAX_UNSEALED_SECONDS. Exits 1 and names the first problem otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=50000, help="rows read per query")
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="a checkpoint file kept elsewhere",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(
            batch_size=max(1, options["batch_size"]), checkpoint_files=options["checkpoint"]
        )
        if result.ok:
            extra = f", {result.unsealed} not sealed yet" if result.unsealed else ""
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK: {result.checked} events verified against {result.checkpoints} checkpoints{extra}"
                )
            )
            return
        self.stderr.write(f"NG: {result.problem} ({result.checked} events verified before it)")
        sys.exit(1)
