"""loans.forms: the counter's forms parse a scan and a branch from the list, refuse NUL characters and
over-long scans with Japanese messages; an item is registered at a branch that holds books."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ChoiceField
from django.utils.datastructures import MultiValueDict

from loans import forms
from patrons.models import Branch

pytestmark = pytest.mark.django_db


def test_a_return_scan_at_a_listed_branch_parses(central) -> None:
    form = forms.ReturnForm(data={"branch": "central", "scan": "1000000001"}, branches=[central])
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["branch"], form.cleaned_data["scan"], form.cleaned_data["damaged"]) == (
        "central",
        "1000000001",
        False,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"branch": "elsewhere", "scan": "1"}, "branch", "一覧から選んでください。"),
        ({"branch": "central", "scan": ""}, "scan", "資料番号を読み取ってください。"),
        ({"branch": "central", "scan": "1\x002"}, "scan", "使用できない制御文字（NUL）が含まれています。"),
        ({"branch": "central", "scan": "9" * 41}, "scan", "40文字以内で入力してください（現在41文字）。"),
    ],
)
def test_bad_counter_input_is_explained_in_japanese(central, data: dict, field: str, message: str) -> None:
    form = forms.ReturnForm(data=data, branches=[central])
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_the_reserve_form_offers_the_pickup_places_it_is_given(central, pickup_counter) -> None:
    form = forms.ReserveForm(
        data={"branch": "central", "scan": "", "pickup_branch": pickup_counter.code},
        branches=[central, pickup_counter],
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pickup_branch"] == pickup_counter.code


def test_an_item_cannot_be_registered_at_a_pickup_counter(central, pickup_counter) -> None:
    field = forms.ItemForm(branches=[central, pickup_counter]).fields["branch"]
    assert isinstance(field, ChoiceField)
    offered = [code for code, _label in list(field.choices)]  # type: ignore[arg-type]
    assert "central" in offered and pickup_counter.code not in offered
    assert pickup_counter.kind == Branch.Kind.PICKUP


def test_an_import_file_over_the_limit_is_refused(settings, monkeypatch) -> None:
    monkeypatch.setattr(forms, "IMPORT_MAX_BYTES", 10)
    upload = SimpleUploadedFile("items.csv", b"barcode,title\n1,x\n", content_type="text/csv")
    form = forms.ItemImportForm(data={"dry_run": "on"}, files=MultiValueDict({"file": [upload]}))
    assert not form.is_valid()
    assert "ファイルが大きすぎます" in form.errors["file"][0]
