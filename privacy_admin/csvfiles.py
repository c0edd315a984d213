"""Reading a CSV file that staff saved from Excel: UTF-8 (with or without BOM) or Shift_JIS/CP932.

Shared by the patron roster import and the item import; each caller keeps its own columns and rules.
"""

from __future__ import annotations

import codecs
import re

from django.utils.translation import gettext as _

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CsvRejected(Exception):
    """The whole file is refused; ``message`` says why in Japanese (never quoting the file)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def decode_csv(raw: bytes, *, max_bytes: int) -> str:
    """UTF-8 (with or without BOM) or Shift_JIS/CP932, the two encodings Excel writes CSV in."""
    if not raw or not raw.removeprefix(codecs.BOM_UTF8).strip():
        raise CsvRejected("empty", _("ファイルが空です。見出し行とデータのあるCSVファイルを選んでください。"))
    if len(raw) > max_bytes:
        raise CsvRejected(
            "too_large",
            _("ファイルが大きすぎます（上限%(limit)dMB）。ファイルを分けて取り込んでください。")
            % {"limit": max_bytes // (1024 * 1024)},
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw:
        raise CsvRejected(
            "encoding",
            _(
                "CSVファイルとして読めません（UTF-16 などの文字コード、または表計算ソフトの"
                "ファイルそのもののようです）。「CSV UTF-8」または「CSV（コンマ区切り）」"
                "形式で保存し直してください。"
            ),
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            break
        return text
    raise CsvRejected(
        "encoding",
        _(
            "文字コードを判別できないか、CSVファイルではありません。UTF-8 または Shift_JIS"
            "（CP932）のCSVファイルを選んでください。"
        ),
    )
