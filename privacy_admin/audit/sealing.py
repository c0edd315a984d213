"""The seal of an access-log event: HMAC-SHA256 over the previous seal, the event it follows and the
event's columns in a canonical byte form.

What is sealed is the text the database gives for the event's columns (``chainrows``): on PostgreSQL
the row as ``COPY ... TO STDOUT`` writes it (tab-separated, ``\\N`` for NULL, escapes for tab,
newline and backslash, UTC timestamps, jsonb in its normalised form); on SQLite the same layout built
from the stored values. Sealer and verifier read rows through the same code, so they can never
disagree about what is sealed, and reading raw text keeps both fast (no model objects per row).
"""

from __future__ import annotations

import hashlib
import hmac

GENESIS = "0" * 64

SEALED_COLUMNS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_username",
    "role",
    "action",
    "target_type",
    "target_id",
    "patron_id",
    "branch_code",
    "outcome",
    "ip",
    "request_id",
    "detail",
)

_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f", "\v": "\\v"}
)


def key_bytes(key: str | bytes) -> bytes:
    return key if isinstance(key, bytes) else key.encode()


def seal(key: bytes, prev_hash: str, prev_seq: int | bytes, canon: bytes) -> str:
    """The seal (hex) of an event whose canonical bytes are ``canon``, following ``prev_seq``."""
    seq_part = prev_seq if isinstance(prev_seq, bytes) else str(prev_seq).encode()
    message = prev_hash.encode() + b"|" + seq_part + b"|" + canon
    return hmac.digest(key, message, hashlib.sha256).hex()


def text_field(value: object) -> str:
    """One column in COPY text form (used where the database has no COPY: SQLite)."""
    if value is None:
        return "\\N"
    return str(value).translate(_ESCAPES)


def canonical_from_values(values: tuple[object, ...]) -> bytes:
    return "\t".join(text_field(v) for v in values).encode()
