"""Scheduled job of the oversight of contractors. Thin: calls one service, takes no arguments, returns nothing.

Not a ``tasks.py`` module, so Celery's autodiscovery does not import it by itself: the task carries an
explicit name and the project must import this module (``outsourcing/tasks.py`` or ``CELERY_IMPORTS``).
"""

from __future__ import annotations

from celery import shared_task

from privacy_admin.audit.context import audit_context

from . import oversight


@shared_task(name="outsourcing.oversight_tasks.remind_oversight_due", ignore_result=True)
def remind_oversight_due() -> None:
    """Daily: e-mail the privacy officers the contracts whose periodic review is due within 30 days or
    overdue (事前一括承認基準 ones too; 002) and the corrective actions past due (004 特記事項12) —
    contract numbers, dates and counts only."""
    with audit_context(channel="task"):
        oversight.oversight_remind()
