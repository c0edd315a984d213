from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

from privacy_admin.logging import RedactPersonalDataFilter, redact


def test_card_number_in_an_access_log_path_is_masked() -> None:
    line = '"GET /api/v1/patrons/2100012345 HTTP/1.1" 200 512'
    assert "2100012345" not in redact(line)
    assert "****2345" in redact(line)


def test_email_and_phone_are_masked() -> None:
    assert redact("mail hanako@example.jp tel 046-223-0033") == "mail [email] tel [phone]"


def test_filter_rewrites_formatted_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "lookup %s", ("2100012345",), None)
    RedactPersonalDataFilter().filter(record)
    assert "2100012345" not in record.getMessage()


@given(st.from_regex(r"[0-9]{8,16}", fullmatch=True))
def test_no_long_digit_run_survives(number: str) -> None:
    assert number not in redact(f"path /x/{number}/y")
