"""disclosure_requests.tasks: the daily reminder task takes no arguments, so no personal data can travel."""

from __future__ import annotations

import inspect

import pytest
from django.core import mail

from disclosure_requests import tasks
from privacy_admin.celery import app

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_the_task_takes_no_arguments_so_no_personal_data_can_travel(
    due_requests, django_capture_on_commit_callbacks
) -> None:
    assert not inspect.signature(tasks.remind_officers_of_deadlines.run).parameters
    assert tasks.remind_officers_of_deadlines.ignore_result
    app.loader.import_default_modules()
    assert "disclosure_requests.tasks.remind_officers_of_deadlines" in app.tasks

    with django_capture_on_commit_callbacks(execute=True):
        tasks.remind_officers_of_deadlines.delay()

    assert len(mail.outbox) == 1


# --- demo -----------------------------------------------------------------------------------------
