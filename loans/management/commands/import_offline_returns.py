from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from loans import offline_returns
from patrons.models import Branch
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = (
        "移動図書館でオフライン返却した資料のCSV（資料番号,返却日時）を取り込み、貸出記録を消去します"
        "（市川市 方針 第3(2)）。 Nothing is imported if any line is bad; prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV: barcode,returned_at")
        parser.add_argument("--branch", default="", help="返却を受けた館のコード（移動図書館） / branch code")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ファイルが見つかりません: {path}")
        branch = None
        if options["branch"]:
            branch = Branch.objects.filter(code=options["branch"], is_active=True).first()
            if branch is None:
                raise CommandError("--branch の館コードが見つかりません。")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows, errors = offline_returns.parse_offline_returns(handle)
        if errors:
            for message in errors[:50]:
                self.stderr.write(message)
            raise CommandError(f"{len(errors)}行に誤りがあるため、取り込みませんでした。")
        try:
            with audit_context(channel="command"):
                result = offline_returns.loans_import_offline_returns(actor=None, rows=rows, branch=branch)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"取り込んだ行: {result.rows}")
        self.stdout.write(f"返却を記録した資料: {result.stamped}")
        self.stdout.write(f"消去した貸出記録: {result.loans_erased}")
        if result.older:
            self.stdout.write(f"既により新しい返却が記録されていた資料: {result.older}")
        if result.unknown:
            self.stdout.write(f"登録されていない資料番号: {result.unknown}")
        if result.waiting_reservations:
            self.stdout.write(
                f"予約待ちのある資料: {result.waiting_reservations}点 — 到着したらカウンターで「予約資料の確保」を行ってください。"
            )
