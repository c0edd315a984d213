"""register.register_pdf — the whole register in both layouts, read back: cover, contents with the right
page numbers, sheets and change log; parts rendered in parallel join into the same PDF."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from register import pdfs, register_pdf
from register.models import RegisterEntry
from register.services import entries as services
from tests.register.helpers import TODAY, days_ago, entry_values, freeze_today  # noqa: F401

from .pdf_helpers import make_register, pages_text, squeeze, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.mark.parametrize(
    ("layout", "title"), [("register", "個人情報取扱事務登録簿"), ("appi", "個人情報ファイル簿")]
)
def test_whole_register_has_cover_contents_sheets_and_change_log(layout: str, title: str) -> None:
    make_register(4)
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


@override_settings(REGISTER_PDF_WORKERS=2)
def test_parts_rendered_in_parallel_number_and_join_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(register_pdf, "PARALLEL_FROM", 1)
    make_register(5)
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
    made = make_register(3)
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


def test_an_empty_register_still_has_its_cover_contents_and_log() -> None:
    rendered = register_pdf.render_register(layout="register", entries=[], as_of=TODAY)
    found = text(rendered.pdf)
    assert "掲載件数0件" in found and "目次" in found and "記録はありません" in found


def test_entries_made_by_the_data_migration_have_their_registration_in_the_change_log() -> None:
    """The core entries of registry.0002_core_entries have no history '+' version: the change log still
    lists their registration on their 登録日 (令和8年4月1日), and a later change of one as a change."""
    core = list(RegisterEntry.objects.order_by("number"))
    assert core and not RegisterEntry.history.exists()
    changed = core[0]
    services.register_entry_change(
        actor=None, entry=changed, reason="保存期間の見直し", changed_on=days_ago(10), retention_period="1年"
    )
    log = pdfs.change_log([e.pk for e in core], until=TODAY)
    for entry in core:
        assert log[entry.pk][0].kind == "登録" and log[entry.pk][0].on == entry.registered_on, entry.number
    assert [(c.kind, c.on, c.reason) for c in log[changed.pk]] == [
        ("登録", changed.registered_on, "新規登録"),
        ("変更", days_ago(10), "保存期間の見直し"),
    ]
    entries = pdfs.entries_for_print(include_abolished=True, as_of=TODAY)
    pages = pages_text(register_pdf.render_register(layout="register", entries=entries, as_of=TODAY).pdf)
    start = max(i for i, page in enumerate(pages) if "変更の記録" in page)
    log_text = "".join(pages[start:])
    for entry in core:
        assert f"令和8年4月1日第{entry.number}号{squeeze(entry.name)}登録" in log_text, entry.number
    assert "令和8年11月10日" in log_text and "保存期間の見直し" in log_text
