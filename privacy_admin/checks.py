"""System checks that the product cannot work well without."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.core.checks import CheckMessage, Warning, register

_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
_KNOWN_JAPANESE_FONTS = ("ipaexm.ttf", "ipaexg.ttf", "ipam.ttf", "NotoSansCJK", "NotoSerifCJK")


def japanese_font_available() -> bool:
    """True when fontconfig (which WeasyPrint uses) knows a font covering Japanese."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run(  # noqa: S603 - fixed arguments, no user input
                [fc_list, ":lang=ja", "family"], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out.strip():
            return True
    for base in _FONT_DIRS:
        if base.is_dir():
            for path in base.rglob("*"):
                if any(name in path.name for name in _KNOWN_JAPANESE_FONTS):
                    return True
    return False


@register()
def check_japanese_font(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    if japanese_font_available():
        return []
    return [
        Warning(
            "日本語フォントが見つかりません。PDF の文字が表示されません。",
            hint="Debian/Ubuntu: apt-get install fonts-ipaexfont (make run / make test install it when run as root).",
            id="privacy_admin.W001",
        )
    ]
