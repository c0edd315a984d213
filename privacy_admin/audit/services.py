"""Writing to the access log.

``audit_record`` is called by every service inside the same ``transaction.atomic()`` as the change it
records (Zulip's RealmAuditLog pattern) and raises ``AuditOutsideTransaction`` outside one; an event
that records no change of its own (a view, a refusal, a sign-in, a dry run) says so with
``standalone=True``. It only INSERTs one row: the ``seq`` comes from a database
sequence and nothing shared between writers is locked, so two audited transactions never wait for
each other. The event is sealed after commit by the sealer (``sealer.audit_seal_committed``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from privacy_admin.core.actor import Actor, user_of
from privacy_admin.core.roles import primary_role

from .context import get_context
from .models import AuditEvent, Outcome

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


class AuditOutsideTransaction(RuntimeError):
    """Raised when the event of a change is written outside the caller's ``transaction.atomic()``."""


def _in_callers_transaction() -> bool:
    """True inside an atomic block the caller opened.

    Django marks ``TestCase``'s own wrapping atomics ``_from_testcase``; they do not count, so the
    rule holds inside tests as in production.
    """
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _branch_of(user: Any) -> str:
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
    branch = getattr(profile, "branch", None)
    return branch.code if branch else ""


def audit_record(
    *,
    actor: Actor,
    action: str,
    target_type: str = "",
    target_id: object = "",
    patron_id: int | None = None,
    outcome: str = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    branch_code: str | None = None,
    standalone: bool = False,
) -> AuditEvent:
    """Append one event (sealed after commit). ``actor`` is a user, or None for the system (scheduled jobs).

    The event of a change is written in the change's own transaction. ``standalone=True`` marks an
    event that records no change of its own — a view of personal data, a refused attempt, a sign-in —
    and is its own transaction. Any other call outside the caller's ``transaction.atomic()`` raises
    ``AuditOutsideTransaction`` before anything is written (architecture rule 3).
    """
    if not standalone and not _in_callers_transaction():
        raise AuditOutsideTransaction(f"audit_record({action!r}) outside the caller's transaction.atomic()")
    ctx = get_context()
    clean_detail = _check_detail(dict(detail or {}))
    user = actor if getattr(actor, "is_authenticated", False) else None
    username = user.get_username() if user else ""
    # A patron acting at マイページ is no staff user: no actor, the role "patron" (the patron is the
    # event's patron_id: a patron acts only on their own data).
    role = primary_role(user) if user else ("patron" if ctx.patron_actor is not None else "system")
    branch = branch_code if branch_code is not None else (ctx.branch_code or _branch_of(user))
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=user_of(user),
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
    )
    # Keep the savepoint: it gives the event its own subtransaction id, so that on PostgreSQL a row
    # the service locked (a patron) and the event naming an item never share one (tests/loans).
    with transaction.atomic():
        event.save(force_insert=True)
    return event
