"""The seal of an access-log event: HMAC-SHA256 over its columns and the previous seal.

Pure functions; both writing (services.audit_record) and checking (verify) use them, so the two can
never disagree about what is sealed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

GENESIS = "0" * 64


def canonical(fields: dict[str, Any]) -> bytes:
    def default(value: object) -> str:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        raise TypeError(f"cannot seal a {type(value).__name__}")

    return json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=default
    ).encode()


def seal(key: str, prev_hash: str, fields: dict[str, Any]) -> str:
    return hmac.new(key.encode(), prev_hash.encode() + b"|" + canonical(fields), hashlib.sha256).hexdigest()


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


def sealed_fields(row: Any) -> dict[str, Any]:
    """The sealed columns of an AuditEvent (or any object with those attributes)."""
    return {name: getattr(row, name) for name in SEALED_COLUMNS}
