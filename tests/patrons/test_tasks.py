"""Scheduled jobs: idempotent, logging counts only, runnable by hand as management commands."""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from outsourcing.demo import SCHOOL_BRANCH
from patrons import services, tasks
from patrons.models import Patron
from privacy_admin.celery import app

from ..factories import make_patron

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_only_registered_tasks() -> None:
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name


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


@pytest.mark.parametrize(
    "command", ["purge_expired_patrons", "purge_cancelled_patrons", "remind_paper_forms"]
)
def test_jobs_run_by_hand_and_twice_do_nothing_more(command: str, counter_staff) -> None:
    make_patron(expires_on=timezone.localdate() - dt.timedelta(days=800))
    out = StringIO()
    call_command(command, stdout=out)
    call_command(command, stdout=(second := StringIO()))
    assert second.getvalue().strip().endswith(": 0")


def test_seed_demo_is_idempotent_and_prints_logins() -> None:
    out = StringIO()
    call_command("seed_demo", "--patrons", "20", stdout=out)
    first = Patron.objects.count()
    # 20 patrons plus the pupils the school contract's demo registers (outsourcing.demo).
    assert Patron.objects.exclude(registered_branch__code=SCHOOL_BRANCH[0]).count() == 20
    assert "counter" in out.getvalue() and "Shiori-Counter-2026" in out.getvalue()
    call_command("seed_demo", "--patrons", "20", stdout=StringIO())
    assert Patron.objects.count() == first
