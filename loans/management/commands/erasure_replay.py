from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loans import erasure, erasure_ledger
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # argparse prints it in the active language
        "復元したバックアップから、その後に消去された貸出・予約などの記録を消去し直します"
        "（消去台帳の再適用、市川市 方針 第3(2)(3)）。Run after every restore, before the counter opens;"
        " idempotent; prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=100_000, help=_("台帳を読む単位 / ledger rows per batch")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = max(1, int(options["batch_size"]))
        self.stdout.write(_("消去台帳: %(location)s") % {"location": erasure_ledger.location()})
        with audit_context(channel="command"):
            result = erasure.replay(batch_size=batch_size)
        rate = result.ledger_rows / result.seconds if result.seconds else 0.0
        self.stdout.write(
            _(
                "消去台帳 %(ledger_rows)s件を再適用し、復元されていた記録 %(total_deleted)s件を消去しました（%(seconds)s秒、"
                "%(rate)s件/秒）。"
            )
            % {
                "ledger_rows": result.ledger_rows,
                "total_deleted": result.total_deleted,
                "seconds": format(result.seconds, ".1f"),
                "rate": format(rate, ",.0f"),
            }
        )
        for table, n in sorted((result.deleted or {}).items()):
            self.stdout.write(_("  %(table)s: %(n)s件") % {"table": table, "n": n})
        if erasure.restore_pending(fresh=True):
            self.stderr.write(_("消去台帳にある記録がまだ残っています。もう一度実行してください。"))
