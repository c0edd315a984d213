"""Collecting per-field refusals in services: every message at once, raised as one ``ValidationError``
keyed by field, so forms show each message beside its field and the API answers 422 — and putting
such an error back on a form.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


class FieldErrors:
    """Messages by field key. ``code`` is given to every ``ValidationError`` raised (``add`` may
    override it for one message: the API tells a conflict, 409, from invalid input, 422, by it)."""

    def __init__(self, *, code: str | None = None) -> None:
        self.errors: dict[str, list[str]] = {}
        self._codes: dict[str, list[str | None]] = {}
        self.code = code

    def add(self, key: str, message: str, *, code: str | None = None) -> None:
        self.errors.setdefault(key, []).append(message)
        self._codes.setdefault(key, []).append(code or self.code)

    def __contains__(self, key: str) -> bool:
        return key in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def error(self) -> ValidationError:
        return ValidationError(
            {
                key: [ValidationError(m, code=c) for m, c in zip(messages, self._codes[key], strict=True)]
                for key, messages in self.errors.items()
            }
        )

    def raise_if_any(self) -> None:
        if self.errors:
            raise self.error()


def refuse(key: str, *messages: str, code: str | None = None) -> ValidationError:
    """One field's refusal, to ``raise``."""
    return ValidationError({key: [ValidationError(m, code=code) for m in messages]})


def add_service_errors(
    form: forms.Form, exc: ValidationError, *, rename: Mapping[str, str] | None = None
) -> None:
    """Put a service's ValidationError onto the form: keys that are form fields (after ``rename``, for a
    key the form asks for under another name) go to the field, everything else (``__all__``, or a key
    this form does not show) to the form as a whole."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.error_dict.items():
            key = (rename or {}).get(key, key)
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc)
