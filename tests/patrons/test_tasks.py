"""patrons.tasks: the scheduled jobs take no arguments, erase, and log counts only. Each is also a
management command (tests/patrons/test_<command>.py)."""

from __future__ import annotations

import datetime as dt
import inspect
import logging

import pytest
from django.utils import timezone

from patrons import services, tasks
from patrons.models import Patron

from ..factories import make_patron

pytestmark = pytest.mark.django_db


def test_tasks_take_no_arguments_so_no_personal_data_can_travel() -> None:
    for task in (tasks.purge_expired_patrons, tasks.purge_cancelled_patrons, tasks.remind_paper_forms):
        assert not inspect.signature(task.run).parameters
        assert task.ignore_result


def test_purge_tasks_erase_and_log_counts_only(counter_staff, caplog) -> None:
    today = timezone.localdate()
    expired = make_patron(family_name="消去対象", expires_on=today - dt.timedelta(days=400))
    cancelled = make_patron(family_name="取消対象")
    services.patron_cancel(actor=counter_staff, patron=cancelled, reason="moved")
    with caplog.at_level(logging.INFO):
        tasks.purge_expired_patrons.delay()
        tasks.purge_cancelled_patrons.delay()
    assert not Patron.objects.filter(pk__in=[expired.pk, cancelled.pk]).exists()
    text = caplog.text
    assert "count=1" in text
    assert "消去対象" not in text and "取消対象" not in text and expired.card_number not in text
