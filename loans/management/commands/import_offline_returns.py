from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loans import offline_returns
from patrons.models import Branch
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # argparse prints it in the active language
        "移動図書館でオフライン返却した資料のCSV（資料番号,返却日時）を取り込み、貸出記録を消去します"
        "（市川市 方針 第3(2)）。 Nothing is imported if any line is bad; prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV: barcode,returned_at")
        parser.add_argument(
            "--branch", default="", help=_("返却を受けた館のコード（移動図書館） / branch code")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("ファイルが見つかりません: %(path)s") % {"path": path})
        branch = None
        if options["branch"]:
            branch = Branch.objects.filter(code=options["branch"], is_active=True).first()
            if branch is None:
                raise CommandError(_("--branch の館コードが見つかりません。"))
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows, errors = offline_returns.parse_offline_returns(handle)
        if errors:
            for message in errors[:50]:
                self.stderr.write(message)
            raise CommandError(
                _("%(errors)s行に誤りがあるため、取り込みませんでした。") % {"errors": len(errors)}
            )
        try:
            with audit_context(channel="command"):
                result = offline_returns.loans_import_offline_returns(actor=None, rows=rows, branch=branch)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(_("取り込んだ行: %(rows)s") % {"rows": result.rows})
        self.stdout.write(_("返却を記録した資料: %(stamped)s") % {"stamped": result.stamped})
        self.stdout.write(_("消去した貸出記録: %(loans_erased)s") % {"loans_erased": result.loans_erased})
        if result.older:
            self.stdout.write(
                _("既により新しい返却が記録されていた資料: %(older)s") % {"older": result.older}
            )
        if result.unknown:
            self.stdout.write(_("登録されていない資料番号: %(unknown)s") % {"unknown": result.unknown})
        if result.waiting_reservations:
            self.stdout.write(
                _(
                    "予約待ちのある資料: %(waiting_reservations)s点 — 到着したらカウンターで「予約資料の確保」"
                    "を行ってください。"
                )
                % {"waiting_reservations": result.waiting_reservations}
            )
