"""The register's PDFs, read back: one entry's sheet with its history, the whole register in both layouts
(cover, contents with the right page numbers, sheets, change log), the parts joined into one PDF."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest
from django.test import override_settings

from privacy_admin.core import register_entries as core_codes
from register import pdfs, register_pdf
from register.inventory import entry_record_items
from register.models import RegisterEntry
from register.pdf_merge import PdfMergeError, merge_pdfs
from register.services import entries as services
from tests.register.helpers import TODAY, days_ago, entry_values, freeze_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with all white space removed (lines wrap inside table cells)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def text(pdf: bytes) -> str:
    return "".join(pages_text(pdf))


def squeeze(value: str) -> str:
    return re.sub(r"\s+", "", value)


@pytest.fixture
def changed_entry() -> RegisterEntry:
    entry = services.register_entry_create(
        actor=None, **entry_values(registered_on=days_ago(200), starts_on=days_ago(190))
    )
    services.register_entry_change(
        actor=None, entry=entry, reason="保存期間の見直し", changed_on=days_ago(100), retention_period="1年"
    )
    return RegisterEntry.objects.get(pk=entry.pk)


def test_entry_pdf_prints_every_item_and_its_history(changed_entry: RegisterEntry) -> None:
    found = text(pdfs.render_entry_pdf(changed_entry, as_of=TODAY))
    for expected in [
        "個人情報取扱事務登録簿",
        f"第{changed_entry.number}号",
        changed_entry.name,
        changed_entry.purpose,
        "中央図書館奉仕係",
        "リクエストをした利用者",
        "外部委託の有無",
        "オンライン結合の有無",
        "要配慮個人情報の有無",
        "経常的提供先",
        "開示等の請求を受け付ける組織",
        "令和8年11月20日現在",  # the 基準日 in 和暦
        "登録令和8年5月4日",  # 登録日 in 和暦 (200 days before 2026-11-20)
        "変更令和8年8月12日",
        "変更の履歴",
        "新規登録",
        "保存期間の見直し",
        "保存期間：連絡の後、速やかに消去→1年",  # the field's Japanese label, old → new
    ]:
        assert squeeze(expected) in found, expected


def test_entry_pdf_record_items_come_from_the_field_inventory() -> None:
    core = RegisterEntry.objects.get(code=core_codes.LIBRARY_USE)
    items = entry_record_items(core)
    assert "貸出資料番号" in items  # declared next to the loan model, never typed into the entry
    found = text(pdfs.render_entry_pdf(core, as_of=TODAY))
    assert squeeze("、".join(items)) in found


def test_entry_pdf_in_the_appi_layout_prints_the_file_book_items() -> None:
    core = RegisterEntry.objects.get(code=core_codes.LIBRARY_USE)
    found = text(pdfs.render_entry_pdf(core, as_of=TODAY, layout="appi"))
    for expected in [
        "個人情報ファイル簿",
        "個人情報ファイルの名称",
        "個人情報ファイルの利用目的",
        "記録範囲",
        "記録情報の収集方法",
        "要配慮個人情報が含まれるときは、その旨",
        "記録情報の経常的提供先",
        "開示請求等を受理する組織の名称及び所在地",
        "訂正及び利用停止に関する他の法令の規定による特別の手続等",
        "電算処理ファイル",  # the code declares fields for this entry
        "個人情報の保護に関する法律第75条",
    ]:
        assert squeeze(expected) in found, expected


def test_an_unknown_layout_is_refused(changed_entry: RegisterEntry) -> None:
    with pytest.raises(ValueError):
        pdfs.render_entry_pdf(changed_entry, layout="spreadsheet")
    with pytest.raises(ValueError):
        pdfs.render_register_pdf(layout="spreadsheet", entries=[changed_entry], as_of=TODAY)


ORDINALS = "甲乙丙丁戊己庚辛壬癸"


def _register(n: int) -> list[RegisterEntry]:
    """``n`` entries (names without digits, so the contents' page numbers stand out), one changed with a
    reason 50 days ago and one abolished 20 days ago."""
    made = []
    for i in range(n):
        entry = services.register_entry_create(
            actor=None,
            **entry_values(
                name=f"試験用の事務{ORDINALS[i]}",
                registered_on=days_ago(300 - i),
                starts_on=days_ago(290 - i),
            ),
        )
        made.append(entry)
    services.register_entry_change(
        actor=None,
        entry=made[1],
        reason="委託先の変更",
        changed_on=days_ago(50),
        outsourced=True,
        outsourcing_note="株式会社図書館サービス",
    )
    services.register_entry_abolish(actor=None, entry=made[2], abolished_on=days_ago(20), reason="事業の終了")
    return made


@pytest.mark.parametrize(
    ("layout", "title"), [("register", "個人情報取扱事務登録簿"), ("appi", "個人情報ファイル簿")]
)
def test_whole_register_has_cover_contents_sheets_and_change_log(layout: str, title: str) -> None:
    _register(4)
    entries = pdfs.entries_for_print(include_abolished=True, as_of=TODAY)
    rendered = register_pdf.render_register(layout=layout, entries=entries, as_of=TODAY)
    pages = pages_text(rendered.pdf)
    assert rendered.page_count == len(pages)
    cover, contents = pages[0], pages[1]
    assert title in cover and "あさひ市立図書館" in cover and "令和8年11月20日" in cover
    assert f"{len(entries)}件" in cover and "うち廃止1件" in cover
    assert "目次" in contents
    # Every sheet is on the page the contents give (body pages are numbered from 1 after the front).
    front = next(i for i, page in enumerate(pages) if page.startswith(f"第{entries[0].number}号"))
    for entry in entries:
        name = entry.file_name or entry.name if layout == "appi" else entry.name
        line = re.search(rf"第{entry.number}号{re.escape(squeeze(name))}(?:（廃止）)?(\d+)", contents)
        assert line, entry.name
        page = int(line.group(1))
        assert pages[front + page - 1].startswith(f"第{entry.number}号"), entry.name
        assert pages[front + page - 1].endswith(f"-{page}-")
    log = "".join(pages[front:])
    assert "変更の記録" in log
    assert "委託先の変更" in log and "外部委託の有無：なし→あり" in log
    assert "事業の終了" in log and "状態：登録→廃止" in log
    assert "廃止" in "".join(pages)


def test_change_log_is_in_date_order_up_to_the_base_date() -> None:
    made = _register(3)
    entries = pdfs.entries_for_print(include_abolished=True, as_of=TODAY)
    log = pdfs.change_log([e.pk for e in entries], until=days_ago(30))
    changes = sorted((c for cs in log.values() for c in cs), key=lambda c: c.on)
    assert [c.kind for c in log[made[1].pk]] == ["登録", "変更"]
    assert all(c.on <= days_ago(30) for c in changes)
    assert "廃止" not in [c.kind for c in log[made[2].pk]]  # abolished after the base date
    found = text(pdfs.render_register_pdf(layout="register", entries=entries, as_of=TODAY))
    assert found.index("委託先の変更") < found.index("事業の終了")  # 50 days ago before 20 days ago


def test_progress_goes_from_0_to_100_and_never_back() -> None:
    _register(3)
    entries = pdfs.entries_for_print(include_abolished=False, as_of=TODAY)
    seen: list[int] = []
    pdfs.render_register_pdf(layout="register", entries=entries, as_of=TODAY, progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100
    assert seen == sorted(seen)
    assert any(10 < p < 95 for p in seen)  # pages laid out are reported, not just start and end


@override_settings(REGISTER_PDF_WORKERS=2)
def test_parts_rendered_in_parallel_number_and_join_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(register_pdf, "PARALLEL_FROM", 1)
    _register(5)
    entries = pdfs.entries_for_print(include_abolished=True, as_of=TODAY)
    seen: list[int] = []
    here = register_pdf.render_register(layout="register", entries=entries, as_of=TODAY, processes=1)
    forked = register_pdf.render_register(
        layout="register", entries=entries, as_of=TODAY, processes=2, progress=seen.append
    )
    assert forked.page_count == here.page_count
    assert pages_text(forked.pdf) == pages_text(here.pdf)
    assert seen[-1] == 100 and seen == sorted(seen)


def test_a_sheet_longer_than_a_page_moves_the_page_numbers_after_it() -> None:
    made = _register(3)
    services.register_entry_change(
        actor=None,
        entry=made[0],
        reason="目的の詳細化",
        changed_on=days_ago(10),
        purpose="\n".join(f"目的の説明 第{i}項" for i in range(70)),
    )
    entries = pdfs.entries_for_print(include_abolished=True, as_of=TODAY)
    rendered = register_pdf.render_register(layout="register", entries=entries, as_of=TODAY)
    pages = pages_text(rendered.pdf)
    contents = pages[1]
    first = int(re.search(rf"第{made[0].number}号[^0-9]*?(\d+)第{made[1].number}号", contents).group(1))  # type: ignore[union-attr]
    second = int(re.search(rf"第{made[1].number}号[^0-9]*?(\d+)", contents).group(1))  # type: ignore[union-attr]
    assert second >= first + 2  # the long sheet took two pages
    front = next(i for i, page in enumerate(pages) if page.startswith("第1号"))
    assert pages[front + second - 1].startswith(f"第{made[1].number}号")


def test_merging_refuses_what_it_cannot_read() -> None:
    with pytest.raises(PdfMergeError):
        merge_pdfs([b"not a pdf"])
    with pytest.raises(PdfMergeError):
        merge_pdfs([])


def test_base_date_limits_the_entries_of_a_print() -> None:
    late = services.register_entry_create(actor=None, **entry_values(registered_on=TODAY, starts_on=TODAY))
    earlier = TODAY - dt.timedelta(days=1)
    assert late not in pdfs.entries_for_print(include_abolished=True, as_of=earlier)
    assert late in pdfs.entries_for_print(include_abolished=True, as_of=TODAY)


def test_an_empty_register_still_has_its_cover_contents_and_log() -> None:
    rendered = register_pdf.render_register(layout="register", entries=[], as_of=TODAY)
    found = text(rendered.pdf)
    assert "掲載件数0件" in found and "目次" in found and "記録はありません" in found
