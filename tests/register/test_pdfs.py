"""register.pdfs, read back: one entry's sheet with its history in both layouts, the change log, the
entries of a print as of a base date, and the refusal of an unknown layout (the whole register:
test_register_pdf)."""

from __future__ import annotations

import datetime as dt

import pytest

from privacy_admin.core import register_entries as core_codes
from register import pdfs
from register.inventory import entry_record_items
from register.models import RegisterEntry
from register.services import entries as services
from tests.register.helpers import TODAY, days_ago, entry_values, freeze_today  # noqa: F401

from .pdf_helpers import make_register, squeeze, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


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


def test_change_log_is_in_date_order_up_to_the_base_date() -> None:
    made = make_register(3)
    entries = pdfs.entries_for_print(include_abolished=True, as_of=TODAY)
    log = pdfs.change_log([e.pk for e in entries], until=days_ago(30))
    changes = sorted((c for cs in log.values() for c in cs), key=lambda c: c.on)
    assert [c.kind for c in log[made[1].pk]] == ["登録", "変更"]
    assert all(c.on <= days_ago(30) for c in changes)
    assert "廃止" not in [c.kind for c in log[made[2].pk]]  # abolished after the base date
    found = text(pdfs.render_register_pdf(layout="register", entries=entries, as_of=TODAY))
    assert found.index("委託先の変更") < found.index("事業の終了")  # 50 days ago before 20 days ago


def test_progress_goes_from_0_to_100_and_never_back() -> None:
    make_register(3)
    entries = pdfs.entries_for_print(include_abolished=False, as_of=TODAY)
    seen: list[int] = []
    pdfs.render_register_pdf(layout="register", entries=entries, as_of=TODAY, progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100
    assert seen == sorted(seen)
    assert any(10 < p < 95 for p in seen)  # pages laid out are reported, not just start and end


def test_base_date_limits_the_entries_of_a_print() -> None:
    late = services.register_entry_create(actor=None, **entry_values(registered_on=TODAY, starts_on=TODAY))
    earlier = TODAY - dt.timedelta(days=1)
    assert late not in pdfs.entries_for_print(include_abolished=True, as_of=earlier)
    assert late in pdfs.entries_for_print(include_abolished=True, as_of=TODAY)


def test_an_entry_whose_history_begins_with_a_change_still_shows_its_registration() -> None:
    """A core entry saved outside the services (no registration version): its 登録 on the 登録日, then the
    change on its 変更日 — without a field list, since the earlier values were never recorded."""
    entry = RegisterEntry.objects.get(code=core_codes.LIBRARY_USE)
    entry.retention_period = "1年"
    entry.changed_on = days_ago(5)
    entry._change_reason = "保存期間の見直し"  # type: ignore[attr-defined]  # simple-history
    entry.save()
    assert [v.history_type for v in entry.history.all()] == ["~"]
    log = pdfs.change_log([entry.pk], until=TODAY)[entry.pk]
    assert [(c.kind, c.on, c.reason, c.fields) for c in log] == [
        ("登録", entry.registered_on, "新規登録", []),
        ("変更", days_ago(5), "保存期間の見直し", []),
    ]
