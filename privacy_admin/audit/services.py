"""Writing to the access log.

``audit_record`` is called by every service inside the same ``transaction.atomic()`` as the change it
records (Zulip's RealmAuditLog pattern), preferably as the last statement, because it holds the chain
head's row lock until the transaction commits.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from privacy_admin.accounts.roles import primary_role

from .context import get_context
from .models import AuditEvent, ChainHead, Outcome
from .sealing import GENESIS, seal, sealed_fields

# Detail must never carry who someone is or what they read (domain §2; architecture "privacy invariant").
FORBIDDEN_DETAIL_KEYS = frozenset(
    {
        "name",
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "kana",
        "address",
        "phone",
        "email",
        "guardian_name",
        "birth_date",
        "card_number",
        "password",
        "title",
        "titles",
        "item_title",
        "barcode_title",
    }
)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_MAX_STRING = 80


class AuditDetailError(ValueError):
    """Raised when code tries to put personal data into an event's detail."""


def _check_detail(detail: dict[str, Any]) -> dict[str, Any]:
    for key, value in detail.items():
        if not _KEY.match(key) or key in FORBIDDEN_DETAIL_KEYS:
            raise AuditDetailError(f"detail key not allowed: {key!r}")
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not (item is None or isinstance(item, bool | int | float | str)):
                raise AuditDetailError(f"detail value of {key!r} must be a scalar or a list of scalars")
            if isinstance(item, str) and len(item) > _MAX_STRING:
                raise AuditDetailError(f"detail value of {key!r} is too long for an identifier or code")
    return detail


def _branch_of(user: Any) -> str:
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
    branch = getattr(profile, "branch", None)
    return branch.code if branch else ""


def audit_record(
    *,
    actor: Any,
    action: str,
    target_type: str = "",
    target_id: object = "",
    patron_id: int | None = None,
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    branch_code: str | None = None,
) -> AuditEvent:
    """Append one sealed event. ``actor`` is a user, or None for the system (scheduled jobs)."""
    ctx = get_context()
    clean_detail = _check_detail(dict(detail or {}))
    user = actor if getattr(actor, "is_authenticated", False) else None
    # Everything that needs a query is read before the chain head is locked: the lock serialises every
    # write in the product, so it is held only for the seal and two statements.
    username = user.get_username() if user else ""
    role = primary_role(user) if user else "system"
    branch = branch_code if branch_code is not None else (ctx.branch_code or _branch_of(user))
    # Keep the savepoint: it gives the event its own subtransaction id, so that on PostgreSQL a row
    # the service locked (a patron) and the event naming an item never share one (tests/loans).
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = ChainHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS)
            head = ChainHead.objects.select_for_update().get(pk=1)
        prev_hash = head.last_hash or GENESIS
        event = AuditEvent(
            seq=head.last_seq + 1,
            occurred_at=timezone.now(),
            actor=user,
            actor_username=username,
            role=role,
            action=action,
            target_type=target_type,
            target_id=str(target_id) if target_id not in (None, "") else "",
            patron_id=patron_id,
            branch_code=branch,
            outcome=str(outcome),
            ip=ctx.ip,
            request_id=ctx.request_id,
            detail=clean_detail,
            prev_hash=prev_hash,
        )
        event.hash = seal(settings.AUDIT_CHAIN_KEY, prev_hash, sealed_fields(event))
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event
