"""The password strength rule shared by staff and patrons (core.passwords.password_weakness): no
whitespace-only, repeated or easily guessed password; each refusal explained in Japanese."""

from __future__ import annotations

import pytest

from privacy_admin.core.passwords import DEFAULT_MIN_STRENGTH, password_weakness

BLANK = "空白だけのパスワードは使用できません。"
REPEATED = "同じ文字や同じ並びを繰り返しただけのパスワードは使用できません。"


@pytest.mark.parametrize("password", [" " * 10, "\t\n  ", "\u3000" * 8])
def test_whitespace_only_is_refused(password: str) -> None:
    assert password_weakness(password, min_score=0) == BLANK


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "abababababab", "パスワードパスワード", "abcabcabcabc", "  xyxyxyxy  "]
)
def test_repeated_characters_or_units_are_refused(password: str) -> None:
    assert password_weakness(password, min_score=0) == REPEATED


@pytest.mark.parametrize("password", ["qwertyuiop", "password123", "1234567890"])
def test_guessable_passwords_are_refused_with_advice(password: str) -> None:
    reason = password_weakness(password, min_score=DEFAULT_MIN_STRENGTH)
    assert reason is not None and reason.startswith("推測されやすいパスワードです")


def test_a_long_passphrase_passes() -> None:
    assert password_weakness("toshokan-no-mori-2026", min_score=DEFAULT_MIN_STRENGTH) is None


def test_the_threshold_is_the_callers() -> None:
    assert password_weakness("qwertyuiop", min_score=0) is None


def test_the_users_own_details_count_as_guessable() -> None:
    assert password_weakness("ToshokanTaro1", min_score=DEFAULT_MIN_STRENGTH) is None
    mine = password_weakness(
        "ToshokanTaro1", min_score=DEFAULT_MIN_STRENGTH, user_inputs=["toshokantaro", ""]
    )
    assert mine is not None and mine.startswith("推測されやすいパスワードです")


def test_a_password_longer_than_zxcvbn_takes_is_scored_not_a_server_error() -> None:
    # zxcvbn raises ValueError past 72 characters; only the first 72 are scored.
    assert password_weakness("toshokan-no-mori-2026" + "x" * 5000, min_score=DEFAULT_MIN_STRENGTH) is None
