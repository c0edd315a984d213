"""``manage.py privacy_inventory``: the listing names each field, its item and its register entry;
``--check`` (the CI gate) exits 1 naming a declared field that does not exist or an abolished entry."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from privacy_admin.core import dataitems
from privacy_admin.core import register_entries as entries
from privacy_admin.core.dataitems import DataItem
from register.models import RegisterEntry
from tests.register.inventory_helpers import run_check

pytestmark = pytest.mark.django_db


def test_a_declaration_of_a_missing_field_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        dataitems.PERSONAL_FIELDS,
        ("patrons.Patron", "nickname"),
        dataitems.PersonalField("patrons.Patron", "nickname", DataItem.NAME, entries.LIBRARY_USE),
    )
    monkeypatch.setitem(dataitems.NOT_PERSONAL_FIELDS, ("loans.Shelf", "name"), "テスト")
    code, _out, err = run_check()
    assert code == 1
    assert (
        "NG: patrons.Patron.nickname: 宣言されたフィールドが存在しません: モデル patrons.Patron にフィールド nickname がありません"
        in err
    )
    assert "NG: loans.Shelf.name: 宣言されたフィールドが存在しません: モデル loans.Shelf がありません" in err


def test_an_abolished_entry_fails_every_field_that_declares_it() -> None:
    RegisterEntry.objects.filter(code=entries.PRIVACY_REQUESTS).update(
        status=RegisterEntry.Status.ABOLISHED, abolished_on="2026-04-02"
    )
    code, _out, err = run_check()
    assert code == 1
    assert (
        "NG: disclosure_requests.Complaint.contact: 宣言された登録簿の事務「privacy-requests」が登録されていません"
        in err
    )
    assert "patrons.Patron" not in err  # its entry is still registered


def test_the_listing_names_field_item_and_entry() -> None:
    out = io.StringIO()
    call_command("privacy_inventory", stdout=out)
    text = out.getvalue()
    assert (
        "patrons.Patron.card_number → 利用者番号 (card_number) → 第1号 図書館資料の館内および館外利用等に関する業務 [library-use]"
        in text
    )
    assert "patrons.Branch.name: 館・受取窓口の名称（施設の名称）" in text
