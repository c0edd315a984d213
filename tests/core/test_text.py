"""privacy_admin.core.text: the one text cleaner — NFC, stripped, bounded, no invisible characters — with
the same Japanese messages wherever a person typed the text; the card-number mask."""

from __future__ import annotations

import pytest

from privacy_admin.core import text


class Errors:
    def __init__(self) -> None:
        self.by_key: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.by_key.setdefault(key, []).append(message)


def clean(raw: object, **kwargs: object) -> tuple[str, dict[str, list[str]]]:
    errors = Errors()
    options: dict = {"label": "件名", "required": True, **kwargs}
    value = text.clean_text(errors, "subject", raw, **options)
    return value, errors.by_key


def test_text_is_stripped_and_nfc_normalised() -> None:
    assert clean("  カ\u3099ス  ") == ("ガス", {})  # カ + combining dakuten -> ガ


def test_nfc_can_be_left_out_for_titles_keeping_compatibility_kanji() -> None:
    assert clean("\uf900", nfc=False) == ("\uf900", {})
    assert clean("\uf900")[0] == "\u8c48"


@pytest.mark.parametrize(
    ("raw", "kwargs", "message"),
    [
        (None, {}, "件名を入力してください。"),
        ("   ", {}, "件名を入力してください。"),
        (12, {}, "件名は文字列で入力してください。"),
        ("あいうえおか", {"limit": 5}, "件名は5文字以内で入力してください（現在6文字）。"),
        ("a\u202eb", {}, "件名に制御文字などの見えない文字が含まれています。"),
        ("a\x00b", {}, "件名に制御文字などの見えない文字が含まれています。"),
    ],
)
def test_each_problem_has_its_japanese_message(raw: object, kwargs: dict, message: str) -> None:
    assert clean(raw, **kwargs)[1] == {"subject": [message]}


def test_an_optional_blank_field_is_no_error() -> None:
    assert clean("", required=False) == ("", {})


def test_line_breaks_only_in_multiline_fields() -> None:
    assert clean("一行目\n二行目", multiline=True)[1] == {}
    assert clean("一行目\n二行目")[1] == {"subject": ["件名に制御文字などの見えない文字が含まれています。"]}


def test_a_note_says_one_message_and_the_bound_without_the_count() -> None:
    errors = Errors()
    value = text.clean_note(errors, "note", "長い\x07" * 3, label="所見", max_length=4, required=True)
    assert value == "長い\x07" * 3
    assert errors.by_key == {"note": ["所見は4文字以内で入力してください。"]}


@pytest.mark.parametrize(
    ("card", "masked"), [("", "****"), ("1234", "****"), ("12345", "****2345"), ("2100012345", "****2345")]
)
def test_card_number_mask_shows_the_last_four_only(card: str, masked: str) -> None:
    assert text.mask_card_number(card) == masked
