"""Password strength shared by staff accounts and patrons (issue 14 §4; 要綱 第8条): no whitespace-only,
repeated or keyboard-walk password. zxcvbn estimates how many guesses a password needs."""

from __future__ import annotations

from django.utils.translation import gettext as _

DEFAULT_MIN_STRENGTH = 3  # zxcvbn score 0-4; 3 = "safely unguessable" (about 10^8 guesses or more)


def _repeats(password: str) -> bool:
    """Only one or two distinct characters, or one unit said again (パスワードパスワード, abcabcabc)."""
    if len(set(password)) <= 2:
        return True
    return password in (password + password)[1:-1]


def password_weakness(password: str, *, min_score: int, user_inputs: list[str] | None = None) -> str | None:
    """Why ``password`` is too weak, in Japanese, or None. Shared by staff and patron passwords."""
    from zxcvbn import zxcvbn

    if not password.strip():
        return _("空白だけのパスワードは使用できません。")
    if _repeats(password.strip()):
        return _("同じ文字や同じ並びを繰り返しただけのパスワードは使用できません。")
    inputs = [str(v) for v in (user_inputs or []) if v]
    # zxcvbn's cost grows with length, and it refuses (ValueError) a password over 72 characters:
    # only the first 72 are scored, which is already far past the threshold.
    score = int(zxcvbn(password[:72], user_inputs=inputs)["score"])
    if score < min_score:
        return _(
            "推測されやすいパスワードです（キーボードの並び、よく使われる語や名前、日付、連続した文字など）。"
            "語を組み合わせるなどして、より長く推測されにくいものにしてください。"
        )
    return None
