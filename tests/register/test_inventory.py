"""register.inventory — the field inventory and the verdict of ``manage.py privacy_inventory --check``
on it: it passes on the real code and fails, naming the field, on an undeclared personal field, a stale
declaration, or a declaration whose register entry is not registered."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import models
from django.test.utils import isolate_apps

from patrons.models import Patron
from privacy_admin.core import dataitems
from privacy_admin.core import register_entries as entries
from privacy_admin.core.dataitems import DataItem
from register import inventory
from register.models import RegisterEntry
from tests.register.factories import make_entry
from tests.register.inventory_helpers import run_check

pytestmark = pytest.mark.django_db


def test_the_real_code_passes() -> None:
    assert [str(p) for p in inventory.inventory_problems()] == []
    code, out, err = run_check()
    assert (code, err) == (0, "")
    assert out.startswith("OK: 個人データのフィールド")


def test_a_removed_declaration_fails_naming_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = {str(p) for p in inventory.inventory_problems()}
    monkeypatch.delitem(dataitems.PERSONAL_FIELDS, ("patrons.Patron", "email"))
    new = {str(p) for p in inventory.inventory_problems()} - baseline
    assert [p.split("。")[0] for p in new] == [
        "patrons.Patron.email: 個人情報らしいフィールド（メールアドレスの型）に宣言がありません"
    ]
    code, _out, err = run_check()
    assert code == 1
    assert (
        "NG: patrons.Patron.email: 個人情報らしいフィールド（メールアドレスの型）に宣言がありません。" in err
    )


@isolate_apps("patrons")
def test_an_undeclared_personal_field_fails_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class Favourite(models.Model):  # noqa: DJ008 - a test-only model
        reader = models.ForeignKey(Patron, on_delete=models.CASCADE)
        home_phone = models.CharField(max_length=20)
        found_by = models.CharField(max_length=50)
        recorded_by = models.ForeignKey(get_user_model(), on_delete=models.CASCADE, related_name="+")
        shelf = models.CharField(max_length=20)

        class Meta:
            app_label = "patrons"

    problems = {p.field: p.message for p in inventory.inventory_problems(models_to_scan=[Favourite])}
    assert set(problems) == {
        "patrons.Favourite.reader",
        "patrons.Favourite.home_phone",
        "patrons.Favourite.found_by",
    }
    assert "利用者（patrons.Patron）への参照" in problems["patrons.Favourite.reader"]
    assert "名前に「phone」を含む" in problems["patrons.Favourite.home_phone"]

    real = inventory.project_models()
    monkeypatch.setattr(inventory, "project_models", lambda: [*real, Favourite])
    code, _out, err = run_check()
    assert code == 1 and "NG: patrons.Favourite.home_phone:" in err

    # Declared, it passes.
    monkeypatch.setitem(
        dataitems.PERSONAL_FIELDS,
        ("patrons.Favourite", "reader"),
        dataitems.PersonalField("patrons.Favourite", "reader", DataItem.CARD_NUMBER, entries.LIBRARY_USE),
    )
    monkeypatch.setitem(dataitems.NOT_PERSONAL_FIELDS, ("patrons.Favourite", "home_phone"), "テスト")
    monkeypatch.setitem(dataitems.NOT_PERSONAL_FIELDS, ("patrons.Favourite", "found_by"), "テスト")
    monkeypatch.setattr(inventory, "_declared_field_problem", lambda label, name: None)
    assert inventory.inventory_problems(models_to_scan=[Favourite]) == []


def test_a_declaration_of_an_unknown_entry_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        dataitems.PERSONAL_FIELDS,
        ("patrons.Patron", "status"),
        dataitems.PersonalField("patrons.Patron", "status", DataItem.PATRON_CATEGORY, "never-registered"),
    )
    problems = [str(p) for p in inventory.inventory_problems()]
    assert any(
        p.startswith("patrons.Patron.status: 宣言された登録簿の事務「never-registered」") for p in problems
    )


@pytest.mark.parametrize(
    ("field", "personal"),
    [
        (models.CharField(name="family_name_kana"), True),
        (models.CharField(name="usage"), False),
        (models.IntegerField(name="page_count"), False),
        (models.CharField(name="discovered_by"), True),
        (models.CharField(name="attendees"), True),
        (models.EmailField(name="notify_to"), True),
        (models.GenericIPAddressField(name="origin"), True),
        (models.CharField(name="title"), False),
        (models.BigIntegerField(name="patron_id"), True),
    ],
)
def test_what_looks_personal(field: Any, personal: bool) -> None:
    assert (inventory.looks_personal(field) is not None) is personal


def test_staff_account_links_and_historical_copies_are_not_scanned() -> None:
    scanned = {m._meta.label for m in inventory.project_models()}
    assert "patrons.Patron" in scanned and "audit.AuditEvent" in scanned
    assert "patrons.HistoricalPatron" not in scanned  # its base model is checked
    assert not any(label.startswith(("auth.", "axes.", "django_celery_beat.")) for label in scanned)
    recorded_by = RegisterEntry._meta.get_field("number")  # a field that is not personal
    assert inventory.looks_personal(recorded_by) is None


def test_record_items_come_from_the_inventory_and_the_entry() -> None:
    core = RegisterEntry.objects.get(code=entries.PRIVACY_REQUESTS)
    assert inventory.entry_record_items(core)[:4] == ["利用者番号", "氏名", "住所", "電話番号"]
    entry = make_entry(extra_items=["request_card", "name", "gone"], free_items="書誌事項\n\n 連絡日 ")
    assert inventory.entry_record_items(entry) == ["氏名", "リクエストカード", "書誌事項", "連絡日"]
