"""register.forms — the entry forms carry every editable field of 要綱 第16条 and hand the service what it
expects: blanks as "use the default" (next number, today, entry-<number>), lists as lists, texts never
None; items and collection sources outside their lists are refused."""

from __future__ import annotations

import pytest

from register.forms import AbolishForm, EntryChangeForm, EntryCreateForm
from register.services import entries as services

from .factories import make_entry

pytestmark = pytest.mark.django_db


def test_a_new_entry_left_blank_asks_the_service_for_its_defaults() -> None:
    form = EntryCreateForm(data={"code": "   "})
    assert form.is_valid(), form.errors

    values = form.service_values()

    assert values["code"] is None and values["number"] is None and values["registered_on"] is None
    assert values["extra_items"] == [] and values["collection_sources"] == []
    assert set(services.EDITABLE_FIELDS) <= set(values)


def test_a_new_entry_keeps_what_was_chosen() -> None:
    form = EntryCreateForm(
        data={
            "code": " ehon-club ",
            "number": "120",
            "extra_items": ["name", "address"],
            "collection_sources": ["person", "representative"],
            "starts_on": "2026-04-01",
        }
    )
    assert form.is_valid(), form.errors

    values = form.service_values()

    assert values["code"] == "ehon-club" and values["number"] == 120
    assert values["extra_items"] == ["name", "address"]
    assert values["collection_sources"] == ["person", "representative"]
    assert str(values["starts_on"]) == "2026-04-01"


def test_items_and_sources_outside_their_lists_are_refused() -> None:
    form = EntryCreateForm(data={"extra_items": ["favourite_colour"], "collection_sources": ["rumour"]})

    assert not form.is_valid()
    assert {"extra_items", "collection_sources"} <= set(form.errors)


def test_a_change_starts_from_the_entry_and_gives_texts_never_none() -> None:
    entry = make_entry(name="読書会の参加者名簿")
    initial = EntryChangeForm.initial_for(entry)
    assert initial["name"] == "読書会の参加者名簿"
    assert set(initial) == set(services.EDITABLE_FIELDS)

    form = EntryChangeForm(data={"reason": "保存期間の見直し"})
    assert form.is_valid(), form.errors
    values = form.service_values()

    assert all(values[name] == "" for name in services.TEXT_FIELDS)
    assert "reason" not in values and form.cleaned_data["reason"] == "保存期間の見直し"


def test_a_reason_is_bounded_by_the_services_limit() -> None:
    long_reason = "理" * (services.REASON_MAX + 1)

    assert "reason" in EntryChangeForm(data={"reason": long_reason}).errors
    assert "reason" in AbolishForm(data={"reason": long_reason}).errors
    assert AbolishForm(data={"reason": "事業の終了"}).is_valid()
