"""Registering items from CSV: all or nothing, errors by line number, never by contents."""

from __future__ import annotations

import codecs
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from loans.imports import ItemImportReport, items_import_csv
from loans.models import Item
from patrons.models import Branch
from privacy_admin.audit.models import AuditEvent, Outcome
from tests.factories import make_branch

from .factories import make_item

pytestmark = pytest.mark.django_db

HEADER = "資料番号,書名,著者,出版者,ISBN,請求記号,所蔵館\n"
ROW_1 = "6000001,風の谷の郷土誌,佐々木 茂,あさひ書房,978-4-06-123456-7,291.3/サ,central\n"
ROW_2 = "6000002,はじめての天体観測,山口 星子,星空社,,440/ヤ,北分館\n"


@pytest.fixture
def kita(db) -> Branch:
    return make_branch(code="kita", name="北分館", kind=Branch.Kind.BRANCH)


@pytest.fixture
def run(counter_staff: Any, central: Any, kita: Any) -> Any:
    def _run(data: bytes, *, dry_run: bool = False) -> ItemImportReport:
        return items_import_csv(actor=counter_staff, file_bytes=data, dry_run=dry_run)

    return _run


def rejected(run: Any, data: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        run(data)
    assert not Item.objects.exists()
    return " ".join(info.value.message_dict["file"])


def test_utf8_with_bom_registers_every_row(run: Any, central: Any, kita: Any) -> None:
    report = run(codecs.BOM_UTF8 + (HEADER + ROW_1 + ROW_2).encode("utf-8"))
    assert (report.total, report.created, report.errors, report.ok) == (2, 2, [], True)
    first = Item.objects.get(barcode="6000001")
    assert (first.title, first.isbn, first.call_number) == ("風の谷の郷土誌", "9784061234567", "291.3/サ")
    assert (first.home_branch, first.current_branch, first.status) == (
        central,
        central,
        Item.Status.AVAILABLE,
    )
    # The branch may be given by name as well as by code.
    assert Item.objects.get(barcode="6000002").home_branch == kita


def test_shift_jis_file_is_read(run: Any) -> None:
    report = run((HEADER + ROW_1).encode("cp932"))
    assert report.created == 1
    assert Item.objects.get().title == "風の谷の郷土誌"


def test_english_headings_and_column_order(run: Any) -> None:
    report = run(b"branch,title,barcode\ncentral,Library Science,6000009\n")
    assert report.created == 1
    assert Item.objects.get().barcode == "6000009"


def test_one_bad_row_saves_nothing_and_names_the_line(run: Any) -> None:
    bad = "6000003,,著者,,12345,,nowhere\n"
    report = run((HEADER + ROW_1 + bad + ROW_2).encode("utf-8"))
    assert report.created == 0
    assert not Item.objects.exists()
    assert report.errors == [
        "3行目 書名: 書名を入力してください。",
        "3行目 ISBN: ISBNが正しくありません（10桁または13桁、チェック数字を確かめてください）。",
        "3行目 所蔵館: 所蔵館を館コードまたは館名で指定してください。",
    ]


def test_a_barcode_twice_in_the_file_is_reported_on_the_second_line(run: Any) -> None:
    report = run((HEADER + ROW_1 + ROW_1.replace("風の谷", "別")).encode("utf-8"))
    assert report.errors == ["3行目 資料番号: 2行目と同じ資料番号です。"]
    assert not Item.objects.exists()


def test_a_registered_barcode_is_reported(run: Any, central: Any) -> None:
    make_item(barcode="6000002", home_branch=central)
    report = run((HEADER + ROW_1 + ROW_2).encode("utf-8"))
    assert report.errors == ["3行目 資料番号: この資料番号は既に登録されています。"]
    assert Item.objects.count() == 1


def test_a_pickup_counter_cannot_hold_items(run: Any, pickup_counter: Any) -> None:
    report = run((HEADER + ROW_1.replace(",central", ",pickup-east")).encode("utf-8"))
    assert report.errors == ["2行目 所蔵館: 受取窓口は資料を所蔵できません。所蔵館を選んでください。"]


def test_dry_run_checks_without_saving(run: Any) -> None:
    report = run((HEADER + ROW_1 + ROW_2).encode("utf-8"), dry_run=True)
    assert (report.total, report.created, report.errors, report.dry_run) == (2, 0, [], True)
    assert not Item.objects.exists()


def test_row_with_more_cells_than_headings_is_an_error(run: Any) -> None:
    report = run((HEADER + ROW_1.rstrip("\n") + ",余分\n").encode("utf-8"))
    assert report.errors == ["2行目: 列の数が見出し行より多くなっています。"]


def test_too_many_rows_is_refused(run: Any, settings: Any) -> None:
    settings.LOANS_ITEM_CSV_MAX_ROWS = 1
    assert "1ファイル1行まで" in rejected(run, (HEADER + ROW_1 + ROW_2).encode("utf-8"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "ファイルが空です"),
        (codecs.BOM_UTF16_LE + "資料番号".encode("utf-16-le"), "UTF-16"),
        ("書名,所蔵館\n本,central\n".encode(), "必要な列がありません: 資料番号"),
        (HEADER.encode(), "データがありません"),
        ((HEADER + '6000001,"閉じない引用符,central\n').encode(), "CSVの形式が正しくありません"),
        (("資料番号,資料番号,書名,所蔵館\n1,1,本,central\n").encode(), "列が2つあります"),
    ],
)
def test_whole_file_problems_are_refused(run: Any, data: bytes, expected: str) -> None:
    assert expected in rejected(run, data)


def test_one_event_with_counts_only(run: Any) -> None:
    run((HEADER + ROW_1 + ROW_2).encode("utf-8"))
    event = AuditEvent.objects.get(action="circulation.item_import")
    assert event.detail == {"rows": 2, "created": 2, "errors": 0, "dry_run": False}
    assert event.outcome == Outcome.SUCCESS
    assert "6000001" not in str(event.detail) and "風の谷" not in str(event.detail)


def test_a_failed_import_is_logged_as_failure(run: Any) -> None:
    run((HEADER + ROW_1.replace("central", "nowhere")).encode("utf-8"))
    event = AuditEvent.objects.get(action="circulation.item_import")
    assert (event.outcome, event.detail["errors"], event.detail["created"]) == (Outcome.FAILURE, 1, 0)


def test_error_messages_never_repeat_the_rows_contents(run: Any) -> None:
    bad = "6000003,とても長い書名" + "あ" * 250 + ",,,,,central\n"
    report = run((HEADER + bad).encode("utf-8"))
    joined = " ".join(report.errors)
    assert "とても長い書名" not in joined and "6000003" not in joined
    assert "書名は200文字以内で入力してください" in joined
