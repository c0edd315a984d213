"""Celery tasks of the access log: thin wrappers around one service each, no arguments, no results."""

from __future__ import annotations

from celery import shared_task

from .checkpoints import audit_checkpoint_now
from .context import audit_context
from .retention import audit_purge_expired
from .sealer import audit_seal_committed


@shared_task(ignore_result=True)
def purge_expired_events() -> None:
    """Nightly: delete events older than AUDIT_RETENTION_YEARS (the only way rows leave the log)."""
    with audit_context(channel="task"):
        audit_purge_expired()


@shared_task(ignore_result=True, expires=5)
def seal_committed_events() -> None:
    """Every second: seal the events committed since the last run (sealer.py)."""
    audit_seal_committed()


@shared_task(ignore_result=True)
def write_checkpoint() -> None:
    """Hourly: sign the sealed head and write it to AUDIT_CHECKPOINT_DIR (checkpoints.py)."""
    audit_seal_committed()
    audit_checkpoint_now()
