"""Reading the development outbox: the list (date, recipients, subject) and one message.

Message ids are the file names the backend chose (a timestamp and a random suffix); anything else is
refused before a path is built, so a URL can never name a file outside the outbox.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from .backend import RECIPIENTS_HEADER, OutboxEmailBackend, outbox_dir

OUTBOX_BACKEND = "privacy_admin.devmail.backend.OutboxEmailBackend"
_ID = re.compile(r"[0-9]{8}T[0-9]{12}-[0-9a-f]{8}")


def outbox_in_use() -> bool:
    """True when mail goes to the development outbox (``EMAIL_BACKEND``), not out by SMTP."""
    try:
        backend = import_string(settings.EMAIL_BACKEND)
    except ImportError:
        return False
    return isinstance(backend, type) and issubclass(backend, OutboxEmailBackend)


@dataclass(frozen=True)
class OutboxEntry:
    id: str
    sent_at: dt.datetime
    to: str
    subject: str


@dataclass(frozen=True)
class OutboxMessage:
    entry: OutboxEntry
    from_email: str
    body: str
    is_html: bool
    attachments: list[str]


def _sent_at(message_id: str) -> dt.datetime:
    return dt.datetime.strptime(message_id[:21], "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.UTC)


def _header(parsed: ParsedMessage, name: str) -> str:
    # A long encoded subject is folded right after the colon; the unfolded value keeps that space.
    return str(parsed.get(name) or "").strip()


def _entry(message_id: str, parsed: ParsedMessage) -> OutboxEntry:
    return OutboxEntry(
        id=message_id,
        sent_at=_sent_at(message_id),
        to=_header(parsed, RECIPIENTS_HEADER) or _header(parsed, "To"),
        subject=_header(parsed, "Subject"),
    )


def _parse(path: Path, *, headers_only: bool) -> ParsedMessage:
    with path.open("rb") as handle:
        parsed = BytesParser(policy=policy.default).parse(handle, headersonly=headers_only)
    assert isinstance(parsed, ParsedMessage)  # policy.default builds email.message.EmailMessage
    return parsed


def _ids() -> list[str]:
    directory = outbox_dir()
    if not directory.is_dir():
        return []
    return sorted((p.stem for p in directory.glob("*.eml") if _ID.fullmatch(p.stem)), reverse=True)


def outbox_list(*, limit: int) -> tuple[list[OutboxEntry], int]:
    """The newest ``limit`` messages, newest first, and how many the outbox holds."""
    ids = _ids()
    entries = []
    for message_id in ids[:limit]:
        try:
            parsed = _parse(outbox_dir() / f"{message_id}.eml", headers_only=True)
        except OSError:  # removed meanwhile (make clean)
            continue
        entries.append(_entry(message_id, parsed))
    return entries, len(ids)


def outbox_message(message_id: str) -> OutboxMessage | None:
    """One message with its text body (or its HTML source when it has no text part); None if absent."""
    if not _ID.fullmatch(message_id):
        return None
    try:
        parsed = _parse(outbox_dir() / f"{message_id}.eml", headers_only=False)
    except OSError:
        return None
    part = parsed.get_body(preferencelist=("plain", "html"))
    body = ""
    is_html = False
    if isinstance(part, ParsedMessage):
        content = part.get_content()
        body = content if isinstance(content, str) else ""
        is_html = part.get_content_subtype() == "html"
    return OutboxMessage(
        entry=_entry(message_id, parsed),
        from_email=_header(parsed, "From"),
        body=body,
        is_html=is_html,
        attachments=[part.get_filename() or "" for part in parsed.iter_attachments()],
    )
