"""Dispatch after commit, surviving a broker outage (architecture rule 3).

A failed dispatch never turns a committed change into an error: it is logged (task, ids and the
exception's class name — never its text, which may carry a URL or data) and remembered as a
``PendingDispatch`` for ``pending_dispatch_sweep``. Celery's own publish retry is kept short
(``CELERY_TASK_PUBLISH_RETRY_POLICY`` and the broker's connect timeout in settings) so a dead broker
costs a request about a second, not Celery's default retry loop.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PendingDispatch

logger = logging.getLogger(__name__)

# A dispatch still failing after this long is given up here: the daily notice run and the print
# staleness rule take over (and a task that can no longer be resolved is not tried for ever).
GIVE_UP_AFTER = dt.timedelta(days=1)
SWEEP_LIMIT = 500


def _ids_key(ids: tuple[int, ...]) -> str:
    if not ids or any(type(i) is not int for i in ids):  # ids only: nothing else may travel
        raise TypeError("a dispatched task takes integer ids only")
    return ",".join(str(i) for i in ids)


def _task_name(task: Any) -> str:
    return task if isinstance(task, str) else str(task.name)


def _resolve(task: Any) -> Any:
    """A task object, or its dotted path (``"loans.tasks.send_notice"``) imported when it is sent —
    so a service can name a task whose module imports the service."""
    return import_string(task) if isinstance(task, str) else task


def dispatch_now(task: Any, *ids: int, remember: bool = True) -> bool:
    """Send ``task(*ids)`` now. Returns False (logged, remembered) when the broker cannot take it."""
    key = _ids_key(ids)
    name = _task_name(task)
    try:
        _resolve(task).delay(*ids)
    except Exception as exc:  # after commit nothing may turn the committed change into an error
        logger.warning("dispatch failed task=%s ids=%s error=%s", name, key, type(exc).__name__)
        if remember:
            _remember(name, key)
        return False
    return True


def dispatch_on_commit(task: Any, *ids: int) -> None:
    """Send ``task(*ids)`` once the surrounding transaction commits (at once outside one)."""
    _ids_key(ids)
    transaction.on_commit(partial(dispatch_now, task, *ids))


def _remember(name: str, key: str) -> None:
    try:
        with transaction.atomic():
            row, created = PendingDispatch.objects.get_or_create(task=name, ids=key)
            if not created:
                PendingDispatch.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    except DatabaseError as exc:
        # The row the task works on stays queued; the daily runs still find it.
        logger.warning("dispatch not remembered task=%s ids=%s error=%s", name, key, type(exc).__name__)


def pending_dispatch_sweep(*, now: dt.datetime | None = None, limit: int = SWEEP_LIMIT) -> int:
    """Send again what the broker could not take; returns how many went out. Stops at the first
    failure (the broker is still down: the next run tries again). Idempotent: the tasks are."""
    now = now or timezone.now()
    expired, _unused = PendingDispatch.objects.filter(failed_at__lt=now - GIVE_UP_AFTER).delete()
    if expired:
        logger.warning("dispatch given up: count=%d", expired)
    sent = 0
    for row in PendingDispatch.objects.order_by("pk")[:limit]:
        ids = tuple(int(i) for i in row.ids.split(","))
        if not dispatch_now(row.task, *ids, remember=False):
            PendingDispatch.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            break
        PendingDispatch.objects.filter(pk=row.pk).delete()
        sent += 1
    left = PendingDispatch.objects.count()
    if sent or left:
        logger.info("dispatch sweep: sent=%d left=%d", sent, left)
    return sent
