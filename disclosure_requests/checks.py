"""System checks of the settings the notice letters print: the 文書番号 format and the office's phone."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from privacy_admin.core.numbering import format_number


@register()
def check_letter_settings(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    template = getattr(settings, "LETTER_NUMBER_FORMAT", "")
    try:
        ok = "{n}" in template and bool(format_number(template, n=1, year=8, fiscal_year=2026))
    except ValueError:
        ok = False
    if not ok:
        messages.append(
            Error(
                "LETTER_NUMBER_FORMAT（通知書の文書番号の書式）が正しくありません。",
                hint="{n}（連番）を含め、使える差込みは {n}・{year}（和暦の年）・{fiscal_year}（西暦の年度）だけです。"
                "例: 図書第{n}号",
                id="disclosure_requests.E001",
            )
        )
    if not str(getattr(settings, "LIBRARY_OFFICE_PHONE", "")).strip():
        messages.append(
            Warning(
                "LIBRARY_OFFICE_PHONE（担当の電話番号）が空です。通知書の担当欄と公表ページに電話番号が載りません。",
                hint="環境変数 LIBRARY_OFFICE_PHONE に担当窓口の電話番号を設定してください。",
                id="disclosure_requests.W001",
            )
        )
    return messages
