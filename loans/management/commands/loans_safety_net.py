from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loans import safety_net
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # argparse prints it in the active language
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
            raise CommandError(_("--batch-size は1以上にしてください。"))
        batch_no: dict[str, int] = {}

        def progress(kind: str, in_batch: int, so_far: int) -> None:
            batch_no[kind] = batch_no.get(kind, 0) + 1
            label = safety_net.KIND_LABELS[kind]
            line = (
                _("[%(label)s] バッチ%(batch)s: %(count)s件該当（累計 %(total)s件）")
                if dry_run
                else _("[%(label)s] バッチ%(batch)s: %(count)s件消去（累計 %(total)s件）")
            )
            self.stdout.write(
                line % {"label": label, "batch": batch_no[kind], "count": in_batch, "total": so_far}
            )

        with audit_context(channel="command"):
            result = safety_net.safety_net_run(dry_run=dry_run, batch_size=batch_size, progress=progress)
        summary = (
            _(
                "安全網ジョブ（試行・消去していません）: 貸出記録 %(loans)s件、予約記録 %(reservations)s件が該当（%(seconds)s秒）"
            )
            if dry_run
            else _(
                "安全網ジョブ完了: 貸出記録 %(loans)s件、予約記録 %(reservations)s件を消去（%(seconds)s秒）"
            )
        )
        self.stdout.write(
            summary
            % {
                "loans": result.loans_erased,
                "reservations": result.reservations_erased,
                "seconds": format(result.seconds, ".1f"),
            }
        )
        for kind, label in safety_net.KIND_LABELS.items():
            self.stdout.write(_("  %(label)s: %(count)s件") % {"label": label, "count": result.erased[kind]})
        if result.routed_expiries:
            self.stdout.write(
                _("  通常の期限切れ処理で消去した予約（回送済み）: %(count)s件")
                % {"count": result.routed_expiries}
            )
