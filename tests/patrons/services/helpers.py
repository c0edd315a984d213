"""Helpers of the patron services' tests: a complete application to vary, the messages of a refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from patrons import services

TODAY = dt.date(2026, 11, 21)


def registration(**overrides: object) -> services.RegistrationInput:
    data: dict[str, object] = {
        "family_name": "佐藤",
        "given_name": "花子",
        "family_name_kana": "サトウ",
        "given_name_kana": "ハナコ",
        "birth_date": dt.date(1990, 4, 2),
        "address": "神奈川県厚木市中町1-1-3",
        "category": "general",
        "eligibility": "residence",
        "registered_branch": "central",
        "identity": services.IdentityEvidence("drivers_license"),
        "phone": "046-223-0033",
        "email": "hanako@example.jp",
    }
    data.update(overrides)
    return services.RegistrationInput(**data)  # type: ignore[arg-type]


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict
