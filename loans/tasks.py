"""Circulation jobs. Thin: each calls one service, takes ids only (never personal data), returns nothing.

``send_notice`` owns the e-mail retries: SMTP and connection errors are retried with exponential
backoff; the retry carries the error's class name only, because an SMTP error's text can echo the
recipient's address into the worker log. After the last retry the notices are marked FAILED, and the
notices page offers a postcard instead.
"""

from __future__ import annotations

import logging
import random
import smtplib
from typing import Any

from celery import Task, shared_task

from privacy_admin.audit.context import audit_context

from . import erasure_ledger, notices, safety_net

logger = logging.getLogger(__name__)

SEND_RETRIES = 8
BACKOFF_SECONDS = 60
BACKOFF_MAX_SECONDS = 60 * 60
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


class NoticeDeliveryError(Exception):
    """What a retry says about an SMTP failure: the exception's class name, nothing more."""


@shared_task(bind=True, ignore_result=True, max_retries=SEND_RETRIES)
def send_notice(self: Task[Any, Any], notice_id: int) -> None:
    if type(notice_id) is not int:  # ids only: nothing else may travel through the broker
        raise TypeError("send_notice takes a notice id")
    error = ""
    with audit_context(channel="task"):
        try:
            notices.notice_send(notice_id=notice_id)
        except TRANSIENT_ERRORS as exc:
            error = type(exc).__name__
    if not error:
        return
    retries = self.request.retries
    if retries >= SEND_RETRIES:
        with audit_context(channel="task"):
            notices.notice_mark_failed(notice_id=notice_id)
        logger.warning("notice failed after retries: notice=%d error=%s", notice_id, error)
        return
    countdown = min(BACKOFF_SECONDS * 2**retries, BACKOFF_MAX_SECONDS) + random.randint(0, 30)
    logger.info("notice retry: notice=%d attempt=%d error=%s", notice_id, retries + 1, error)
    # Raised outside the except block so the SMTP exception (and its text) is not chained to it.
    raise self.retry(exc=NoticeDeliveryError(error), countdown=countdown)


@shared_task(ignore_result=True)
def queue_overdue_notices() -> None:
    """Daily: 督促 for loans overdue by LOANS_OVERDUE_GRACE_DAYS; tidy the postcard and phone queue."""
    with audit_context(channel="task"):
        notices.notices_discard_moot()
        notices.notices_requeue_stuck_emails()
        notices.notices_queue_overdue()


@shared_task(ignore_result=True)
def run_safety_net() -> None:
    """Every 15 minutes: erase every loan or reservation that should no longer exist (方針 第3(2)(3))."""
    with audit_context(channel="task"):
        safety_net.safety_net_run()


@shared_task(ignore_result=True)
def prune_erasure_ledger() -> None:
    """Daily: drop erasure-ledger entries older than the backup retention (BACKUP_RETENTION_DAYS)."""
    dropped = erasure_ledger.prune()
    logger.info("erasure ledger pruned: count=%d", dropped)
