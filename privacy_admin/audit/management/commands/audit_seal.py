"""``manage.py audit_seal``: seal every access-log event committed so far (the beat task does the same)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from privacy_admin.audit.sealer import audit_seal_all


class Command(BaseCommand):
    help = (
        "Seals the access-log events committed so far, in order, waiting up to --timeout seconds for "
        "transactions still open (their events may come before committed ones)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout", type=float, default=10.0, help="seconds to wait for open transactions"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_seal_all(timeout=max(0.0, options["timeout"]))
        self.stdout.write(
            self.style.SUCCESS(f"{result.sealed} events sealed; sealed through event {result.last_seq}")
        )
