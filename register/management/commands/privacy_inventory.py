"""``manage.py privacy_inventory [--check]``: the field inventory, and the check CI runs on it."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from register import inventory


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # argparse prints it in the active language
        "個人データのフィールド一覧（モデル.フィールド → データ項目 → 登録簿の事務）を表示します。"
        "--check: 宣言のない個人情報らしいフィールド、存在しないフィールドの宣言、登録されていない事務を指す"
        "宣言があれば、そのフィールドを示して終了コード1で終わります（山梨県 要綱 第16条）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("問題があれば一覧を出さずに問題だけを示し、終了コード1で終わる"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            problems = inventory.inventory_problems()
            if problems:
                for problem in problems:
                    self.stderr.write(f"NG: {problem}")
                self.stderr.write(
                    _("privacy_inventory: %(problems)s件の問題があります。") % {"problems": len(problems)}
                )
                sys.exit(1)
            rows = inventory.inventory_rows()
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "OK: 個人データのフィールド %(rows)s件を宣言済み、個人情報でないとした %(excused)s件、モデル "
                        "%(models)s個を確認しました。"
                    )
                    % {
                        "rows": len(rows),
                        "excused": len(inventory.excused_rows()),
                        "models": len(inventory.project_models()),
                    }
                )
            )
            return
        for row in inventory.inventory_rows():
            if row.entry is None:
                entry = _("%(register_entry)s（未登録）") % {"register_entry": row.register_entry}
            else:
                status = "" if row.entry.is_active else _("（廃止）")
                entry = _("第%(number)s号 %(name)s [%(register_entry)s]%(status)s") % {
                    "number": row.entry.number,
                    "name": row.entry.name,
                    "register_entry": row.register_entry,
                    "status": status,
                }
            self.stdout.write(f"{row.field} → {row.item_label} ({row.item}) → {entry}")
        excused = inventory.excused_rows()
        if excused:
            self.stdout.write("")
            self.stdout.write(_("個人情報でないとしたフィールド:"))
            for field, reason in excused:
                self.stdout.write(f"{field}: {reason}")
