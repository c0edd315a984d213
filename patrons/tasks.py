"""Scheduled jobs for patron data. Thin: each calls one service, takes no personal data, returns nothing."""

from __future__ import annotations

from celery import shared_task

from privacy_admin.audit.context import audit_context

from . import services


@shared_task(ignore_result=True)
def purge_expired_patrons() -> None:
    with audit_context(channel="task"):
        services.patrons_purge_expired()


@shared_task(ignore_result=True)
def purge_cancelled_patrons() -> None:
    with audit_context(channel="task"):
        services.patrons_purge_cancelled()


@shared_task(ignore_result=True)
def remind_paper_forms() -> None:
    with audit_context(channel="task"):
        services.paper_forms_remind()


@shared_task(ignore_result=True)
def send_password_reset_link(patron_id: int) -> None:
    """要綱 第8条3: the reset link to the patron's registered address (the id only travels)."""
    with audit_context(channel="task"):
        services.patron_password_reset_link_send(patron_id=patron_id)
