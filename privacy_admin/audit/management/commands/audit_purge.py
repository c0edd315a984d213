"""``manage.py audit_purge``: delete access-log events past the retention period now."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy_admin.audit.context import audit_context
from privacy_admin.audit.retention import AuditChainBrokenError, audit_count_expired, audit_purge_expired


class Command(BaseCommand):
    help = (
        "Deletes access-log events older than AUDIT_RETENTION_YEARS (the nightly task does the same). "
        "--dry-run only counts them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count the expired events, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        years = settings.AUDIT_RETENTION_YEARS
        if options["dry_run"]:
            count = audit_count_expired()
            self.stdout.write(f"{count} events older than {years} years would be deleted (dry run)")
            return
        with audit_context(channel="command"):
            try:
                count = audit_purge_expired()
            except AuditChainBrokenError as exc:
                raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} events older than {years} years deleted"))
