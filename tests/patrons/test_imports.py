"""Bulk school registration from CSV (要綱 第12条)."""

from __future__ import annotations

import codecs
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from patrons.imports import ImportReport, patrons_import_school_csv
from patrons.models import Eligibility, IdentityCheck, PaperApplicationForm, Patron
from privacy_admin.audit.models import AuditEvent, Outcome

pytestmark = pytest.mark.django_db

HEADER = "姓,名,セイ,メイ,生年月日,住所,保護者名,電話番号,メール\n"
GOOD_1 = "鈴木,一郎,スズキ,イチロウ,2015/4/2,厚木市中町2-1-1,鈴木花子,046-223-0033,\n"
GOOD_2 = "佐藤,美咲,サトウ,ミサキ,2016-01-20,厚木市旭町3-2-1,佐藤健,,misaki@example.jp\n"


@pytest.fixture
def run(counter_staff: Any, central: Any, child_category: Any) -> Any:
    def _run(data: bytes, *, dry_run: bool = False) -> ImportReport:
        return patrons_import_school_csv(
            actor=counter_staff,
            file_bytes=data,
            registered_branch="central",
            category="child",
            dry_run=dry_run,
        )

    return _run


def rejected(run: Any, data: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        run(data)
    assert Patron.objects.count() == 0
    return " ".join(info.value.message_dict["file"])


def test_good_utf8_file_registers_every_row(run: Any, counter_staff: Any) -> None:
    report = run((HEADER + GOOD_1 + GOOD_2).encode("utf-8"))
    assert (report.created, report.error_count, report.total) == (2, 0, 2)
    assert [r.line_number for r in report.rows] == [2, 3]
    cards = {r.card_number for r in report.rows}
    assert cards == set(Patron.objects.values_list("card_number", flat=True))
    patron = Patron.objects.get(family_name="鈴木")
    assert patron.eligibility == Eligibility.SCHOOL
    assert patron.category.code == "child"
    assert patron.guardian_name == "鈴木花子"
    check = IdentityCheck.objects.get(patron=patron)
    assert (check.document_type, check.checked_by) == ("school_roster", counter_staff)
    # 要綱 第12条: no application form, so nothing to shred.
    assert not PaperApplicationForm.objects.exists()


def test_one_import_event_with_counts_only(run: Any) -> None:
    run((HEADER + GOOD_1 + GOOD_2).encode("utf-8"))
    event = AuditEvent.objects.get(action="patron.import")
    assert event.detail == {"rows": 2, "created": 2, "errors": 0, "dry_run": False}
    assert event.patron_id is None


def test_shift_jis_file_from_excel(run: Any) -> None:
    data = (HEADER + GOOD_1 + GOOD_2).replace("\n", "\r\n").encode("cp932")
    report = run(data)
    assert report.created == 2
    assert Patron.objects.filter(family_name="鈴木", given_name="一郎").exists()


def test_shift_jis_row_with_extension_kanji_suggests_standard_form(run: Any) -> None:
    data = (HEADER + "髙橋,一郎,タカハシ,イチロウ,2015/4/2,厚木市中町2-1-1,髙橋花子,,\n").encode("cp932")
    report = run(data)
    assert report.created == 0
    message = " ".join(report.rows[0].errors)
    assert "2行目" in message and "標準字体「高」" in message


def test_utf8_with_bom(run: Any) -> None:
    report = run(codecs.BOM_UTF8 + (HEADER + GOOD_1).encode("utf-8"))
    assert report.created == 1


def test_english_headings(run: Any) -> None:
    header = "family_name,given_name,family_name_kana,given_name_kana,birth_date,address,guardian_name\n"
    report = run((header + "鈴木,一郎,スズキ,イチロウ,2015-04-02,厚木市中町2-1-1,鈴木花子\n").encode("utf-8"))
    assert report.created == 1


def test_half_width_kana_is_normalised(run: Any) -> None:
    report = run((HEADER + "鈴木,一郎,ｽｽﾞｷ,ｲﾁﾛｳ,2015/4/2,厚木市中町2-1-1,鈴木花子,,\n").encode("cp932"))
    assert report.created == 1
    assert Patron.objects.get().family_name_kana == "スズキ"


def test_mixed_rows_save_the_good_and_report_the_bad(run: Any) -> None:
    bad_kana = "田中,次郎,tanaka,ジロウ,2015/5/5,厚木市中町2-9-9,田中一子,,\n"
    bad_date = "高橋,三郎,タカハシ,サブロウ,2015-02-30,厚木市中町2-8-8,高橋花子,,\n"
    missing_name = ",四郎,ヤマモト,シロウ,2015/6/6,厚木市中町2-7-7,山本花子,,\n"
    data = (HEADER + GOOD_1 + bad_kana + bad_date + missing_name + GOOD_2).encode("utf-8")
    report = run(data)
    assert (report.created, report.error_count) == (2, 3)
    assert [r.ok for r in report.rows] == [True, False, False, False, True]
    assert Patron.objects.count() == 2
    assert not Patron.objects.filter(given_name__in=["次郎", "三郎", "四郎"]).exists()
    errors = {r.line_number: " ".join(r.errors) for r in report.rows if not r.ok}
    assert "3行目" in errors[3] and "フリガナ（姓）" in errors[3]
    assert "4行目" in errors[4] and "生年月日" in errors[4] and "存在しない日付" in errors[4]
    assert "5行目" in errors[5] and "氏名（姓）" in errors[5]
    # Messages name the line and the field, never who is on it.
    for text in errors.values():
        for personal in ("田中", "次郎", "三郎", "四郎", "厚木市中町2-", "2015-02-30", "2015/6/6"):
            assert personal not in text
    assert AuditEvent.objects.get(action="patron.import").detail == {
        "rows": 5,
        "created": 2,
        "errors": 3,
        "dry_run": False,
    }


def test_duplicate_rows_in_one_file(run: Any) -> None:
    report = run((HEADER + GOOD_1 + GOOD_1).encode("utf-8"))
    assert [r.ok for r in report.rows] == [True, False]
    assert "既に登録されています" in report.rows[1].errors[0]
    assert Patron.objects.count() == 1


def test_dry_run_checks_everything_and_saves_nothing(run: Any) -> None:
    report = run((HEADER + GOOD_1 + GOOD_1 + GOOD_2).encode("utf-8"), dry_run=True)
    assert report.dry_run
    assert (report.created, report.ok_count, report.error_count) == (0, 2, 1)
    assert all(r.card_number is None for r in report.rows)
    assert Patron.objects.count() == 0
    assert not IdentityCheck.objects.exists()
    assert not AuditEvent.objects.filter(action="patron.register").exists()
    event = AuditEvent.objects.get(action="patron.import")
    assert event.detail == {"rows": 3, "created": 0, "errors": 1, "dry_run": True}


def test_row_with_more_cells_than_headings(run: Any) -> None:
    report = run((HEADER + GOOD_1.rstrip("\n") + ",余分\n").encode("utf-8"))
    assert report.rows[0].ok is False
    assert "列の数" in report.rows[0].errors[0]


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(run: Any) -> None:
    report = run((HEADER + "\n" + ",,,,,,,,\n" + GOOD_1).encode("utf-8"))
    assert [r.line_number for r in report.rows] == [4]


def test_unknown_columns_are_ignored_and_named(run: Any) -> None:
    header = "学年,姓,名,セイ,メイ,生年月日,住所,保護者名\n"
    report = run((header + "3,鈴木,一郎,スズキ,イチロウ,2015/4/2,厚木市中町2-1-1,鈴木花子\n").encode("utf-8"))
    assert report.created == 1
    assert report.ignored_columns == ["学年"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "ファイルが空です", id="empty"),
        pytest.param(codecs.BOM_UTF8 + b"\r\n", "ファイルが空です", id="only-bom"),
        pytest.param(HEADER.encode(), "データがありません", id="header-only"),
        pytest.param("氏名,年齢\n山田太郎,9\n".encode(), "見出しが見つかりません", id="no-known-columns"),
        pytest.param(
            "姓,名,住所\n山田,太郎,厚木市\n".encode(),
            "必要な列がありません: セイ、メイ",
            id="missing-columns",
        ),
        pytest.param(
            "姓,名,姓,メイ,セイ,生年月日,住所,保護者名\n".encode(), "2つあります", id="duplicate-column"
        ),
        pytest.param(bytes(range(256)) * 4, "CSVファイル", id="binary-garbage"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "CSVファイルとして読めません", id="png"),
        pytest.param(codecs.BOM_UTF16_LE + HEADER.encode("utf-16-le"), "UTF-16", id="utf-16"),
        pytest.param((HEADER + "鈴木," + "あ" * 3000 + "\n").encode(), "長すぎます", id="over-long-line"),
        pytest.param((HEADER + '"鈴木,一郎\n').encode(), "形式が正しくありません", id="unbalanced-quote"),
        pytest.param(b"PK\x03\x04" + b"\x14\x00\x06\x00" * 50, "CSVファイル", id="xlsx"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(run: Any, data: bytes, message: str) -> None:
    assert message in rejected(run, data)
    event = AuditEvent.objects.get(action="patron.import")
    assert event.outcome == Outcome.FAILURE


def test_euc_jp_file_gets_a_hint_about_the_encoding(run: Any) -> None:
    assert "文字コード" in rejected(run, (HEADER + GOOD_1).encode("euc_jp"))


def test_too_many_rows(run: Any, settings: Any) -> None:
    settings.PATRON_CSV_MAX_ROWS = 3
    data = (HEADER + GOOD_1 * 4).encode("utf-8")
    assert "1ファイル3行まで" in rejected(run, data)


def test_too_large_file(run: Any) -> None:
    assert "大きすぎます" in rejected(run, b"a" * (2 * 1024 * 1024 + 1))


def test_unknown_branch_makes_every_row_an_error(
    counter_staff: Any, central: Any, child_category: Any
) -> None:
    report = patrons_import_school_csv(
        actor=counter_staff,
        file_bytes=(HEADER + GOOD_1).encode(),
        registered_branch="nowhere",
        category="child",
        dry_run=False,
    )
    assert report.error_count == 1
    assert "登録館" in report.rows[0].errors[0]
    assert Patron.objects.count() == 0
