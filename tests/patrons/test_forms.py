"""patrons.forms: the counter's patron forms — a card number typed in full width is the same number, a
フリガナ search is normalised, a change form with nothing changed and a cancellation without its
confirmation are refused with Japanese messages, two passwords must match."""

from __future__ import annotations

import pytest

from patrons import forms
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


def test_a_full_width_card_number_is_the_same_number() -> None:
    form = forms.FindByCardForm(data={"card_number": "２１０ ００１２３４５"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["card_number"] == "2100012345"


def test_a_missing_card_number_is_asked_for() -> None:
    form = forms.FindByCardForm(data={"card_number": ""})
    assert not form.is_valid()
    assert form.errors["card_number"] == ["利用者番号を入力してください。"]


def test_a_kana_search_is_normalised_to_full_width_katakana() -> None:
    form = forms.KanaSearchForm(
        data={"family_name_kana": "ﾓﾘﾔ", "given_name_kana": "しおり", "birth_date": "1990-04-02"}
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["family_name_kana"], form.cleaned_data["given_name_kana"]) == (
        "モリヤ",
        "シオリ",
    )


def test_a_cancellation_needs_its_confirmation() -> None:
    form = forms.CancelForm(data={"reason": "moved"})
    assert not form.is_valid()
    assert form.errors["confirm"] == ["取り消す前に確認欄にチェックを入れてください。"]


def test_a_change_form_with_nothing_changed_is_refused(central, general_category) -> None:
    patron = make_patron(registered_branch=central, category=general_category)
    unchanged = {name: getattr(patron, name) for name in ("family_name", "given_name", "address", "phone")}
    form = forms.PatronChangeForm(
        data={
            **unchanged,
            "family_name_kana": patron.family_name_kana,
            "given_name_kana": patron.given_name_kana,
            "email": patron.email,
            "guardian_name": patron.guardian_name,
            "category": patron.category.code,
        },
        patron=patron,
    )
    assert not form.is_valid()
    assert form.non_field_errors() == ["変更する項目がありません。変更内容を入力してください。"]


def test_a_change_form_sends_only_what_changed(central, general_category) -> None:
    patron = make_patron(registered_branch=central, category=general_category, phone="046-223-0033")
    data = {
        name: getattr(patron, name)
        for name in (
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "address",
            "email",
            "guardian_name",
        )
    }
    form = forms.PatronChangeForm(
        data={
            **data,
            "phone": "046-225-0000",
            "category": patron.category.code,
            "id_document_type": "passport",
        },
        patron=patron,
    )
    assert form.is_valid(), form.errors
    assert form.changes_requested() == ["phone"]


def test_two_different_passwords_are_refused() -> None:
    form = forms.PasswordSetForm(
        data={
            "id_document_type": "passport",
            "password": "yomu-hon-2026",
            "password_confirm": "yomu-hon-2027",
        }
    )
    assert not form.is_valid()
    assert form.errors["password_confirm"] == ["確認用のパスワードが一致しません。"]
