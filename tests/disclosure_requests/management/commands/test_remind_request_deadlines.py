"""The remind_request_deadlines command runs the reminder and prints a count only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_the_command_runs_the_reminder_and_prints_a_count(
    due_requests, django_capture_on_commit_callbacks
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_request_deadlines", stdout=out)

    assert out.getvalue().strip() == "通知した請求 / requests reminded about: 3"
    assert len(mail.outbox) == 1


def test_open_days_narrows_the_window_to_what_is_already_overdue(
    due_requests, django_capture_on_commit_callbacks
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_request_deadlines", "--open-days", "0", stdout=out)

    assert out.getvalue().strip() == "通知した請求 / requests reminded about: 1"
    body = mail.outbox[0].body
    assert due_requests["overdue"].number in body and due_requests["tomorrow"].number not in body
