"""The daily reminder task: counts only in the log, scheduled in beat."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from backups import tasks
from privacy_admin.celery import app

pytestmark = pytest.mark.django_db


def test_task_logs_the_count_of_media_past_retention(
    overdue_medium: Any, kept_medium: Any, caplog: Any
) -> None:
    with caplog.at_level(logging.INFO):
        tasks.check_backup_retention.delay()
    assert "backup media past retention: count=1" in caplog.text
    assert overdue_medium.medium not in caplog.text
    assert kept_medium.medium not in caplog.text


def test_task_is_scheduled_daily() -> None:
    entry = app.conf.beat_schedule["backups-check-retention"]
    assert entry["task"] == "backups.tasks.check_backup_retention"
    assert entry["task"] in app.tasks
