"""Logging filters: every line carries the request id; nothing personal reaches a log line.

Views and services log counts and ids only. As a second line of defence this filter masks anything
shaped like a card number, an e-mail address or a telephone number in the formatted message, which
matters for access logs that print request paths (``/api/v1/patrons/{card_number}``).
"""

from __future__ import annotations

import logging
import re

from .audit.context import current_request_id

_CARD = re.compile(r"(?<![0-9])[0-9]{8,16}(?![0-9])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<![0-9])0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}(?![0-9])")


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[phone]", text)
    return _CARD.sub(lambda m: "****" + m.group(0)[-4:], text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
