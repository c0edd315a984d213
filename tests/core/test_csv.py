"""privacy_admin.core.csv: a CSV saved from Excel — UTF-8 with or without BOM, or Shift_JIS — read into
its heading and non-blank rows; a file that cannot be read is refused whole with a Japanese message that
never quotes the file."""

from __future__ import annotations

import codecs

import pytest
from django.core.exceptions import ValidationError

from privacy_admin.core.csv import CsvRejected, decode_csv, heading_key, map_headings, read_rows, read_upload

MB = 1024 * 1024


def rows(text: str, **limits: int):
    options = {"max_line_chars": 200, "max_rows": 10, **limits}
    return read_rows(
        text,
        line_too_long="%(line)d行目が長すぎます（%(limit)d）",
        too_many_rows="%(limit)d行まで",
        **options,
    )


@pytest.mark.parametrize(
    "raw", [codecs.BOM_UTF8 + "氏名,住所\n".encode(), "氏名,住所\n".encode(), "氏名,住所\n".encode("cp932")]
)
def test_the_encodings_excel_writes_are_read(raw: bytes) -> None:
    assert decode_csv(raw, max_bytes=MB) == "氏名,住所\n"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "empty"),
        (codecs.BOM_UTF8 + b"  \n", "empty"),
        ("氏名\n".encode("utf-16"), "encoding"),
        (b"PK\x03\x04\x00\x00", "encoding"),  # an .xlsx file itself
        (b"a,b\n\x81\x00", "encoding"),
        (b"x" * (MB + 1), "too_large"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(raw: bytes, code: str) -> None:
    with pytest.raises(CsvRejected) as info:
        decode_csv(raw, max_bytes=MB)
    assert info.value.code == code and info.value.message


def test_rows_keep_their_physical_line_numbers_and_skip_blank_ones() -> None:
    header, found = rows('氏名,住所\n守屋,"厚木市\n中町"\n,\n佐藤,厚木市\n')
    assert header == ["氏名", "住所"]
    assert found == [(2, ["守屋", "厚木市\n中町"]), (5, ["佐藤", "厚木市"])]


def test_limits_and_malformed_quoting_are_refused_with_the_callers_messages() -> None:
    with pytest.raises(CsvRejected, match="line_too_long") as info:
        rows("a\n" + "x" * 30, max_line_chars=20)
    assert info.value.message == "2行目が長すぎます（20）"
    with pytest.raises(CsvRejected) as info:
        rows("a\n1\n2\n3\n", max_rows=2)
    assert info.value.message == "2行まで"
    with pytest.raises(CsvRejected) as info:
        rows('a,b\n"unclosed,1\n')
    assert info.value.code == "malformed"


def test_headings_are_matched_folded_and_the_unknown_ones_named() -> None:
    assert heading_key(" 氏名（姓） ") == heading_key("氏名(姓)")
    lookup = {heading_key("氏名（姓）"): "family_name", heading_key("住所"): "address"}
    columns, ignored = map_headings(["氏名(姓)", "備考", "住所", ""], lookup, {})
    assert columns == {"family_name": 0, "address": 2}
    assert ignored == ["備考"]
    with pytest.raises(CsvRejected) as info:
        map_headings(["住所", "住所"], lookup, {"address": "住所"})
    assert info.value.code == "duplicate_column" and "住所" in info.value.message


def test_an_upload_refused_whole_is_reported_and_raised_on_the_file_field() -> None:
    reported: list[str] = []
    with pytest.raises(ValidationError) as info:
        read_upload(b"", max_bytes=MB, parse=lambda text: text, refused=lambda r: reported.append(r.code))
    assert reported == ["empty"]
    assert list(info.value.message_dict) == ["file"]
    assert read_upload(b"a\n", max_bytes=MB, parse=str.upper, refused=lambda r: None) == "A\n"
