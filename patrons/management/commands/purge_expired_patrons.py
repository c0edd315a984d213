from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from patrons import services
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = "有効期限切れから一定期間が過ぎた登録を削除します（厚木市 要綱第9条2）。 Idempotent; prints a count only."

    counted = "削除した登録 / erased registrations"

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context(channel="command"):
            count = services.patrons_purge_expired()
        self.stdout.write(f"{self.counted}: {count}")
