from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from patrons import services
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = "廃棄期限を過ぎた紙の申請書を館ごとに通知します（厚木市 要綱第2条2）。 Idempotent; prints a count only."

    counted = "通知した申請書 / forms reminded about"

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context(channel="command"):
            count = services.paper_forms_remind()
        self.stdout.write(f"{self.counted}: {count}")
