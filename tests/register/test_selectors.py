"""register.selectors — the staff list (all entries, by status, searched by name, purpose, department or
number), the public list and page (registered entries only; abolished ones 404), values as printed, and
an entry's history with its reasons and field-by-field changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from register import selectors
from register.models import RegisterEntry
from register.services import entries as services

from .factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries() -> dict[str, RegisterEntry]:
    kept = make_entry(name="視聴覚資料の貸出し", department="あさひ分館")
    gone = make_entry(
        name="移動図書館の利用者登録",
        status=RegisterEntry.Status.ABOLISHED,
        abolished_on=dt.date(2026, 5, 1),
    )
    return {"kept": kept, "gone": gone}


def test_staff_see_every_entry_and_filter_by_status(entries: dict[str, RegisterEntry]) -> None:
    staff = selectors.entries_for_staff()
    assert {entries["kept"], entries["gone"]} <= set(staff)
    assert entries["gone"] not in selectors.entries_for_staff(status="registered")
    assert list(selectors.entries_for_staff(status="abolished")) == [entries["gone"]]
    assert entries["gone"] in selectors.entries_for_staff(status="nonsense")  # unknown: no filter


def test_search_matches_every_word_in_name_purpose_department_or_number(
    entries: dict[str, RegisterEntry],
) -> None:
    kept = entries["kept"]
    assert list(selectors.entries_for_staff(q="視聴覚 分館")) == [kept]
    assert list(selectors.entries_for_staff(q=str(kept.number))) == [kept]
    assert not selectors.entries_for_staff(q="視聴覚 存在しない語").exists()


def test_the_public_sees_registered_entries_only(entries: dict[str, RegisterEntry]) -> None:
    assert entries["gone"] not in selectors.public_entries()
    assert list(selectors.public_entries(q="視聴覚")) == [entries["kept"]]
    assert selectors.get_public_entry(entries["kept"].pk) == entries["kept"]
    with pytest.raises(Http404):
        selectors.get_public_entry(entries["gone"].pk)
    assert selectors.get_entry(entries["gone"].pk) == entries["gone"]
    with pytest.raises(Http404):
        selectors.get_entry(999_999)


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("outsourced", True, "あり"),
        ("sensitive", False, "なし"),
        ("free_items", "", "—"),
        ("extra_items", [], "—"),
        ("status", "abolished", "廃止"),
        ("collection_sources", ["person", "unknown-source"], "本人、unknown-source"),
        ("starts_on", dt.date(2026, 4, 1), "令和8年4月1日"),
    ],
)
def test_values_are_printed_with_labels_and_wareki(name: str, value: object, shown: str) -> None:
    assert selectors.display_value(name, value) == shown


def test_the_history_gives_each_change_its_reason_and_the_abolition(privacy_officer) -> None:
    entry = make_entry()
    services.register_entry_change(
        actor=privacy_officer, entry=entry, reason="保存期間の見直し", changed_on=dt.date(2026, 5, 1),
        retention_period="1年",
    )  # fmt: skip
    entry.refresh_from_db()
    services.register_entry_abolish(
        actor=privacy_officer, entry=entry, abolished_on=dt.date(2026, 6, 1), reason="事業の終了"
    )
    entry.refresh_from_db()

    rows = selectors.entry_history(entry)
    public = selectors.entry_history(entry, with_users=False)

    assert [r.kind for r in rows] == ["create", "change", "abolish"]
    change = rows[1]
    assert change.reason == "保存期間の見直し" and change.on == dt.date(2026, 5, 1)
    assert [(c.field, c.old, c.new) for c in change.changes if c.field == "retention_period"] == [
        ("retention_period", "返却まで", "1年")
    ]
    assert rows[2].kind_label == "廃止" and rows[2].on == dt.date(2026, 6, 1)
    assert rows[1].user == privacy_officer.get_username()
    assert all(r.user == "" for r in public)
