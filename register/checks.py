"""System check of the public page's contact details (公表: 開示等の請求・苦情の申出先)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register()
def check_public_office_address(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    """The public page says requests may be posted and complaints made by mail: without the office's
    address it leaves the line out, and a person cannot tell where to send them. (The phone number is
    checked with the letters' settings: disclosure_requests.W001.)"""
    if str(getattr(settings, "LIBRARY_OFFICE_ADDRESS", "")).strip():
        return []
    return [
        Warning(
            "LIBRARY_OFFICE_ADDRESS（申出先の所在地）が空です。公表ページに郵送先が載りません。",
            hint="環境変数 LIBRARY_OFFICE_ADDRESS に窓口の所在地（郵便番号・住所）を設定してください。",
            id="register.W001",
        )
    ]
