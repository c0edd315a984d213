"""The TOTP token form (accounts.forms): six digits, spaces allowed between them, a Japanese message
otherwise."""

from __future__ import annotations

import pytest

from privacy_admin.accounts.forms import TokenForm


@pytest.mark.parametrize(
    ("typed", "cleaned"), [("123456", "123456"), ("123 456", "123456"), (" 012345 ", "012345")]
)
def test_six_digits_are_accepted_without_their_spaces(typed: str, cleaned: str) -> None:
    form = TokenForm(data={"token": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["token"] == cleaned


@pytest.mark.parametrize("typed", ["12345", "1234567", "12345a", "abcdef", "12-456"])
def test_anything_but_six_digits_is_refused_in_japanese(typed: str) -> None:
    form = TokenForm(data={"token": typed})
    assert not form.is_valid()
    assert form.errors["token"] == ["確認コードは6桁の数字です。"]


def test_an_empty_token_asks_for_the_code() -> None:
    form = TokenForm(data={"token": ""})
    assert not form.is_valid()
    assert form.errors["token"] == ["認証アプリに表示されている6桁の確認コードを入力してください。"]


def test_the_field_asks_the_browser_for_a_one_time_code() -> None:
    attrs = TokenForm().fields["token"].widget.attrs
    assert attrs["autocomplete"] == "one-time-code" and attrs["inputmode"] == "numeric"
