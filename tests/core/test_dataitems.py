"""privacy_admin.core.dataitems: the field inventory — each model declares, beside itself, which fields hold
personal data and which register entry they serve; a field is declared once, personal or not."""

from __future__ import annotations

import pytest

from privacy_admin.core import dataitems
from privacy_admin.core.dataitems import (
    DataItem,
    PersonalField,
    declare_not_personal,
    declare_personal_fields,
)
from privacy_admin.core.register_entries import LIBRARY_USE


@pytest.fixture
def empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataitems, "PERSONAL_FIELDS", {})
    monkeypatch.setattr(dataitems, "NOT_PERSONAL_FIELDS", {})


def test_a_declared_field_names_its_item_and_register_entry(empty: None) -> None:
    declare_personal_fields("app.Member", register_entry=LIBRARY_USE, card=DataItem.CARD_NUMBER)
    assert dataitems.PERSONAL_FIELDS[("app.Member", "card")] == PersonalField(
        "app.Member", "card", DataItem.CARD_NUMBER, LIBRARY_USE
    )


def test_a_field_is_declared_once_personal_or_not(empty: None) -> None:
    declare_personal_fields("app.Member", register_entry=LIBRARY_USE, card=DataItem.CARD_NUMBER)
    with pytest.raises(ValueError, match=r"app\.Member\.card is declared twice"):
        declare_personal_fields("app.Member", register_entry=LIBRARY_USE, card=DataItem.CARD_NUMBER)
    with pytest.raises(ValueError, match="declared twice"):
        declare_not_personal("app.Member", reason="", fields=("card",))
    declare_not_personal("app.Branch", reason="a library's name, not a person's", fields=("name",))
    with pytest.raises(ValueError, match=r"app\.Branch\.name is declared twice"):
        declare_not_personal("app.Branch", reason="again", fields=("name",))


def test_the_apps_declare_their_personal_fields() -> None:
    assert dataitems.PERSONAL_FIELDS[("patrons.Patron", "card_number")].item == DataItem.CARD_NUMBER
    assert ("loans.Loan", "patron") in dataitems.PERSONAL_FIELDS
