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


def test_loggers_that_would_print_personal_data_at_debug_stay_at_info(settings) -> None:
    # django.template logs a failed lookup with the repr of the whole context (a phone sheet's names
    # and numbers); django.db.backends logs each statement's parameters when DEBUG is on.
    for name in ("django.template", "django.db.backends"):
        level = settings.LOGGING["loggers"][name]["level"]
        assert logging.getLevelName(level) >= logging.INFO, name


def test_a_failed_template_lookup_at_debug_carries_the_whole_context() -> None:
    """Why the loggers above are held at INFO: Django's own DEBUG record repeats the context."""
    from django.template import Context, Template

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("django.template")
    handler, level = Keep(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        Template("{{ missing.attribute }}").render(Context({"given_name": "澄香"}))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert any(r.exc_info and "澄香" in str(r.exc_info[1]) for r in records)
