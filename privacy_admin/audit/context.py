"""Where an audit event happens: the request (or task) that caused it.

The request middleware sets this once per request; Celery tasks and management commands set it with
``audit_context``. Services then record events without threading IP and request id through every call.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AuditContext:
    request_id: str = ""
    ip: str | None = None
    branch_code: str = ""
    channel: str = "web"  # web | api | task | command
    # マイページ: the signed-in patron acting on their own data (not a staff user). Events written
    # with no user are recorded with role "patron" instead of "system" (issue 16).
    patron_actor: int | None = None


_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def get_context() -> AuditContext:
    return _context.get() or AuditContext()


def current_request_id() -> str:
    ctx = _context.get()
    return ctx.request_id if ctx else ""


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def audit_context(**values: str | None) -> Iterator[AuditContext]:
    base = _context.get() or AuditContext(request_id=new_request_id())
    ctx = replace(base, **values)  # type: ignore[arg-type]
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


def set_context(ctx: AuditContext) -> object:
    return _context.set(ctx)


def reset_context(token: object) -> None:
    _context.reset(token)  # type: ignore[arg-type]
