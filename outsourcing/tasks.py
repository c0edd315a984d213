"""Scheduled jobs of the outsourcing app. Thin: no arguments (ids only inside), call one service each,
return nothing.

Celery's autodiscovery imports this module; it also imports ``oversight_tasks`` so that the oversight
reminder is registered with the worker.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from privacy_admin.audit.context import audit_context

from . import (
    oversight_tasks,  # noqa: F401  (registers remind_oversight_due)
    services,
)

logger = logging.getLogger(__name__)


@shared_task(name="outsourcing.tasks.close_ended_contracts", ignore_result=True)
def close_ended_contracts() -> None:
    """Daily, just after midnight: a contract whose last day has passed closes — its operators' accounts
    are deactivated and their sessions ended, and the contract-end step (data returned or erased,
    certified; 004 特記事項10) opens on the contract page."""
    on = timezone.localdate()
    closed = 0
    with audit_context(channel="task"):
        for contract_id in services.contracts_due_for_closing(on=on):
            if services.contract_close(actor=None, contract_id=contract_id):
                closed += 1
    if closed:
        logger.info("contracts closed: %d", closed)
