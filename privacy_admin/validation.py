"""Collecting per-field refusals in services: every Japanese message at once, raised as one
``ValidationError`` keyed by field, so forms show each message beside its field and the API answers 422.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class FieldErrors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def __contains__(self, key: str) -> bool:
        return key in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(
                {key: [ValidationError(m) for m in messages] for key, messages in self.errors.items()}
            )


def refuse(key: str, *messages: str) -> ValidationError:
    """One field's refusal, to ``raise``."""
    return ValidationError({key: [ValidationError(m) for m in messages]})
