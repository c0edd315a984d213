"""disclosure_requests.checks: the 文書番号 format must have its sequence; a blank office phone warns."""

from __future__ import annotations

from typing import Any

from django.core.checks import run_checks


def test_checks_warn_on_blank_phone_and_refuse_a_format_without_sequence(settings: Any) -> None:
    settings.LIBRARY_OFFICE_PHONE = ""
    ids = {m.id for m in run_checks()}
    assert "disclosure_requests.W001" in ids
    settings.LIBRARY_OFFICE_PHONE = "046-000-1234"
    settings.LETTER_NUMBER_FORMAT = "図書第{m}号"
    ids = {m.id for m in run_checks()}
    assert "disclosure_requests.W001" not in ids
    assert "disclosure_requests.E001" in ids
