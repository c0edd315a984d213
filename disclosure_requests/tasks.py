"""Scheduled jobs for 開示等請求. Thin: each calls one service, takes no personal data, returns nothing."""

from __future__ import annotations

from celery import shared_task

from privacy_admin.audit.context import audit_context

from . import services


@shared_task(ignore_result=True)
def remind_officers_of_deadlines() -> None:
    """Daily: e-mail the privacy officers the requests due within 3 open days or overdue
    (request numbers, kinds and due dates only; 山梨県 要綱 第24条, 第34条, 第41条)."""
    with audit_context(channel="task"):
        services.requests_remind_deadlines()
