from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from loans import notices
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = (
        "返却期限を過ぎた貸出の督促を作成し、電子メールを送信します（市川市 方針 第3(7)）。"
        " Daily; idempotent (a patron is reminded at most every LOANS_OVERDUE_REPEAT_DAYS); prints counts only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context(channel="command"):
            discarded = notices.notices_discard_moot()
            requeued = notices.notices_requeue_stuck_emails()
            queued = notices.notices_queue_overdue()
        self.stdout.write(f"督促を作成した利用者 / overdue notices queued: {queued}")
        self.stdout.write(f"再送した電子メール / stuck e-mails requeued: {requeued}")
        self.stdout.write(f"不要になった通知の削除 / notices with nothing left to tell: {discarded}")
