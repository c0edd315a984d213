"""Reading a CSV file that staff saved from Excel: UTF-8 (with or without BOM) or Shift_JIS/CP932, its
rows and its headings.

Shared by the patron roster import and the item import; each caller keeps its own columns and rules.
Writing: ``write_csv`` makes a file Excel opens (the access log's export).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

T = TypeVar("T")

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


def read_rows(
    text: str, *, max_line_chars: int, max_rows: int, line_too_long: str, too_many_rows: str
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows (with the line each starts on) of a decoded CSV text.

    ``line_too_long`` and ``too_many_rows`` are the caller's messages (``%(line)d``, ``%(limit)d``).
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > max_line_chars:
            raise CsvRejected("line_too_long", line_too_long % {"line": number, "limit": max_line_chars})
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise CsvRejected(
                "empty", _("ファイルが空です。見出し行とデータのあるCSVファイルを選んでください。")
            )
        while True:
            start = reader.line_num + 1
            cells = next(reader, None)
            if cells is None:
                break
            if any(c.strip() for c in cells):
                rows.append((start, cells))
                if len(rows) > max_rows:
                    raise CsvRejected("too_many_rows", too_many_rows % {"limit": max_rows})
    except csv.Error:
        raise CsvRejected(
            "malformed",
            _('%(line)d行目付近でCSVの形式が正しくありません（引用符 " の対応などを確認してください）。')
            % {"line": reader.line_num},
        ) from None
    return header, rows


def heading_key(cell: str) -> str:
    """A heading as looked up: NFKC, case and spaces folded (「氏名（姓）」 = 「氏名(姓)」)."""
    return unicodedata.normalize("NFKC", cell).strip().casefold().replace(" ", "")


def map_headings(
    header: list[str], lookup: Mapping[str, str], headings: Mapping[str, str]
) -> tuple[dict[str, int], list[str]]:
    """Column index by key for the headings ``lookup`` knows (folded by ``heading_key``), and the
    other non-blank headings (ignored, shown to the user cut to 40 characters)."""
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        key = lookup.get(heading_key(cell))
        if key is None:
            if cell.strip():
                ignored.append(cell.strip()[:40])
            continue
        if key in columns:
            raise CsvRejected(
                "duplicate_column",
                _("見出し「%(heading)s」の列が2つあります。1つにしてください。") % {"heading": headings[key]},
            )
        columns[key] = index
    return columns, ignored


def read_upload(
    file_bytes: bytes, *, max_bytes: int, parse: Callable[[str], T], refused: Callable[[CsvRejected], object]
) -> T:
    """Decode and ``parse`` an uploaded CSV file; a file refused whole is reported to ``refused`` (the
    caller's access-log event) and raised as a ``ValidationError`` keyed ``file``."""
    try:
        return parse(decode_csv(file_bytes, max_bytes=max_bytes))
    except CsvRejected as rejected:
        refused(rejected)
        raise ValidationError({"file": [rejected.message]}) from None


# A cell Excel would read as a formula (CSV injection): written with a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def excel_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file Excel opens in Japanese: UTF-8 with BOM, CRLF line ends, every cell quoted when
    needed and none read as a formula."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([excel_cell(h) for h in header])
    for row in rows:
        writer.writerow([excel_cell(cell) for cell in row])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
