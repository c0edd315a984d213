from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from patrons import services
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = "取消済みで未処理のない登録を削除します（市川市 方針 第3(4)）。 Idempotent; prints a count only."

    counted = "削除した登録 / erased registrations"

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context(channel="command"):
            count = services.patrons_purge_cancelled()
        self.stdout.write(f"{self.counted}: {count}")
