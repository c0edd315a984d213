from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loans import safety_net
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = (
        "消去されているべき貸出・予約の記録を探して消去します（安全網ジョブ、市川市 方針 第3(2)(3)(4)）。"
        " Runs every 15 minutes from beat; prints counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="数えるだけで消去しない / count only")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=safety_net.DEFAULT_BATCH_SIZE,
            help="1回のトランザクションで扱う件数 / rows per batch (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size は1以上にしてください。")
        verb = "該当" if dry_run else "消去"
        batch_no: dict[str, int] = {}

        def progress(kind: str, in_batch: int, so_far: int) -> None:
            batch_no[kind] = batch_no.get(kind, 0) + 1
            label = safety_net.KIND_LABELS[kind]
            self.stdout.write(f"[{label}] バッチ{batch_no[kind]}: {in_batch}件{verb}（累計 {so_far}件）")

        with audit_context(channel="command"):
            result = safety_net.safety_net_run(dry_run=dry_run, batch_size=batch_size, progress=progress)
        head = "安全網ジョブ（試行・消去していません）" if dry_run else "安全網ジョブ完了"
        self.stdout.write(
            f"{head}: 貸出記録 {result.loans_erased}件、予約記録 {result.reservations_erased}件"
            f"{'が該当' if dry_run else 'を消去'}"
            f"（{result.seconds:.1f}秒）"
        )
        for kind, label in safety_net.KIND_LABELS.items():
            self.stdout.write(f"  {label}: {result.erased[kind]}件")
        if result.routed_expiries:
            self.stdout.write(f"  通常の期限切れ処理で消去した予約（回送済み）: {result.routed_expiries}件")
