"""``manage.py privacy_inventory [--check]``: the field inventory, and the check CI runs on it."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from register import inventory


class Command(BaseCommand):
    help = (
        "個人データのフィールド一覧（モデル.フィールド → データ項目 → 登録簿の事務）を表示します。"
        "--check: 宣言のない個人情報らしいフィールド、存在しないフィールドの宣言、登録されていない事務を指す"
        "宣言があれば、そのフィールドを示して終了コード1で終わります（要綱 第16条）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="問題があれば一覧を出さずに問題だけを示し、終了コード1で終わる",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            problems = inventory.inventory_problems()
            if problems:
                for problem in problems:
                    self.stderr.write(f"NG: {problem}")
                self.stderr.write(f"privacy_inventory: {len(problems)}件の問題があります。")
                sys.exit(1)
            rows = inventory.inventory_rows()
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK: 個人データのフィールド {len(rows)}件を宣言済み、個人情報でないとした {len(inventory.excused_rows())}件、"
                    f"モデル {len(inventory.project_models())}個を確認しました。"
                )
            )
            return
        for row in inventory.inventory_rows():
            if row.entry is None:
                entry = f"{row.register_entry}（未登録）"
            else:
                status = "" if row.entry.is_active else "（廃止）"
                entry = f"第{row.entry.number}号 {row.entry.name} [{row.register_entry}]{status}"
            self.stdout.write(f"{row.field} → {row.item_label} ({row.item}) → {entry}")
        excused = inventory.excused_rows()
        if excused:
            self.stdout.write("")
            self.stdout.write("個人情報でないとしたフィールド:")
            for field, reason in excused:
                self.stdout.write(f"{field}: {reason}")
