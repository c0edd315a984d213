"""A mail backend that writes each message to its own file in the development outbox.

Unlike Django's console and file backends it never writes to stdout, stderr or a log: the console
backend's output becomes Celery's ``celery.redirected`` log lines in the worker, which is how every
reservation-ready e-mail (a patron's name next to the titles ready for them) used to reach a log.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

# The envelope recipients (To, Cc and Bcc): the stored message has no Bcc header.
RECIPIENTS_HEADER = "X-Outbox-Recipients"


def outbox_dir() -> Path:
    return Path(settings.EMAIL_OUTBOX_DIR)


def new_message_id() -> str:
    """``20260401T093000123456-1a2b3c4d``: sorts by time (UTC), unique without a lock."""
    return f"{timezone.now():%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"


class OutboxEmailBackend(BaseEmailBackend):
    """Stores each message as ``<id>.eml`` (RFC 5322, readable by any mail client) under
    ``EMAIL_OUTBOX_DIR``, owner-only, written to a temporary file and renamed into place, so the
    outbox page never reads half a message."""

    def __init__(self, *, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                self._store(message)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent

    def _store(self, message: EmailMessage) -> Path:
        directory = outbox_dir()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        mime = message.message()
        mime[RECIPIENTS_HEADER] = ", ".join(message.recipients())
        data = mime.as_bytes(linesep="\n")
        target = directory / f"{new_message_id()}.eml"
        fd, tmp = tempfile.mkstemp(  # created 0600
            dir=directory, prefix=".tmp-", suffix=".eml"
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target
