"""Scheduled jobs of the backup-media register. Thin: one service, no arguments, nothing returned."""

from __future__ import annotations

from celery import shared_task

from privacy_admin.audit.context import audit_context

from . import services


@shared_task(ignore_result=True)
def check_backup_retention() -> None:
    """市川市 方針 第5(2): each day, log how many media are past their retention (counts only)."""
    with audit_context(channel="task"):
        services.backup_media_check_retention()
