from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure_requests import services
from privacy_admin.audit.context import audit_context


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # argparse prints it in the active language
        "決定期限まで3開庁日以内、または期限を過ぎた開示等請求を個人情報保護責任者にメールで通知します"
        "（受付番号・種類・期限のみ）。 Prints a count only."
    )

    counted = gettext_lazy("通知した請求 / requests reminded about")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--open-days", type=int, default=3, help=_("何開庁日先までを通知するか（既定 3）")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context(channel="command"):
            count = services.requests_remind_deadlines(open_days=options["open_days"])
        self.stdout.write(f"{self.counted}: {count}")
