from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from loans import erasure, erasure_ledger
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = (
        "復元したバックアップから、その後に消去された貸出・予約などの記録を消去し直します"
        "（消去台帳の再適用、市川市 方針 第3(2)(3)）。Run after every restore, before the counter opens;"
        " idempotent; prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=100_000, help="台帳を読む単位 / ledger rows per batch"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = max(1, int(options["batch_size"]))
        self.stdout.write(f"消去台帳: {erasure_ledger.location()}")
        with audit_context(channel="command"):
            result = erasure.replay(batch_size=batch_size)
        rate = result.ledger_rows / result.seconds if result.seconds else 0.0
        self.stdout.write(
            f"消去台帳 {result.ledger_rows}件を再適用し、復元されていた記録 {result.total_deleted}件を消去しました"
            f"（{result.seconds:.1f}秒、{rate:,.0f}件/秒）。"
        )
        for table, n in sorted((result.deleted or {}).items()):
            self.stdout.write(f"  {table}: {n}件")
        if erasure.restore_pending(fresh=True):
            self.stderr.write("消去台帳にある記録がまだ残っています。もう一度実行してください。")
