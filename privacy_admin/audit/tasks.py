"""Celery tasks of the access log: thin wrappers around one service each, no arguments, no results."""

from __future__ import annotations

from celery import shared_task

from .context import audit_context
from .retention import audit_purge_expired


@shared_task(ignore_result=True)
def purge_expired_events() -> None:
    """Nightly: delete events older than AUDIT_RETENTION_YEARS (the only way rows leave the log)."""
    with audit_context(channel="task"):
        audit_purge_expired()
