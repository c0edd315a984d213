"""The sweeper for dispatches that failed after commit. Thin: one service, nothing returned."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def redispatch_pending() -> None:
    """Every few minutes: send again the tasks the broker could not take (architecture rule 3)."""
    services.pending_dispatch_sweep()
