"""One text cleaner for services: NFC, surrounding space stripped, a length bound, and no invisible
characters — with the same Japanese messages (gettext) wherever a person typed the text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Control, format (RLO, zero-width), surrogate, private-use and unassigned code points: never text.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
# Allowed in multi-line fields only.
LINE_BREAKS = frozenset("\n\r\t")


class ErrorSink(Protocol):
    def add(self, key: str, message: str) -> None: ...


@dataclass(frozen=True)
class TextMessages:
    """The message templates (msgids) a cleaner says; ``%(label)s``, ``%(limit)d``, ``%(count)d``."""

    not_text: str = gettext_noop("%(label)sは文字列で入力してください。")
    required: str = gettext_noop("%(label)sを入力してください。")
    too_long: str = gettext_noop("%(label)sは%(limit)d文字以内で入力してください（現在%(count)d文字）。")
    invisible: str = gettext_noop("%(label)sに制御文字などの見えない文字が含まれています。")


MESSAGES = TextMessages()
# Without the count, for short fields whose tests and forms say the bound only.
SHORT_MESSAGES = replace(MESSAGES, too_long=gettext_noop("%(label)sは%(limit)d文字以内で入力してください。"))


def has_invisible(value: str, *, multiline: bool = False) -> bool:
    """True when ``value`` holds a control, format, surrogate, private-use or unassigned character
    (line breaks and tabs are allowed when ``multiline``)."""
    allowed = LINE_BREAKS if multiline else frozenset()
    return any(unicodedata.category(ch) in INVISIBLE_CATEGORIES and ch not in allowed for ch in value)


def clean_text(
    errors: ErrorSink,
    key: str,
    raw: object,
    *,
    label: str,
    required: bool,
    limit: int = 0,
    multiline: bool = False,
    nfc: bool = True,
    messages: TextMessages = MESSAGES,
    required_message: str | None = None,
    first_only: bool = False,
) -> str:
    """``raw`` stripped (and NFC-normalised unless ``nfc=False``, for titles that keep 旧字体 from the
    compatibility block); '' when absent. Adds to ``errors[key]``: not a string, missing (when
    ``required``), longer than ``limit`` (0: no bound), invisible characters. ``first_only``: one message.
    """
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors.add(key, _(messages.not_text) % {"label": label})
        return ""
    value = unicodedata.normalize("NFC", raw).strip() if nfc else raw.strip()
    if not value:
        if required:
            errors.add(key, required_message or _(messages.required) % {"label": label})
        return ""
    found = False
    if limit and len(value) > limit:
        errors.add(key, _(messages.too_long) % {"label": label, "limit": limit, "count": len(value)})
        found = True
    if has_invisible(value, multiline=multiline) and not (found and first_only):
        errors.add(key, _(messages.invisible) % {"label": label})
    return value


def mask_card_number(s: str) -> str:
    """Counter-screen form of a card number (000 第3(5)): ``****`` + the last 4 characters."""
    if len(s) <= 4:
        return "****"
    return "****" + s[-4:]


def clean_note(
    errors: ErrorSink, key: str, raw: object, *, label: str, max_length: int, required: bool
) -> str:
    """Free text a clerk types in a text area (a complaint, an answer, an audit's findings): line breaks
    allowed, other invisible characters refused, the bound said without the count, one message a field."""
    return clean_text(
        errors,
        key,
        raw,
        label=label,
        limit=max_length,
        required=required,
        multiline=True,
        messages=SHORT_MESSAGES,
        first_only=True,
    )
