"""The daily deadline reminder, its command, and the demo requests."""

from __future__ import annotations

import inspect
import logging
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from disclosure_requests import demo, services, tasks
from disclosure_requests.models import (
    Amendment,
    CorrectionExecution,
    Decision,
    Extension,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    ThirdPartyConsultation,
)
from privacy_admin.audit.models import AuditEvent
from privacy_admin.celery import app
from privacy_admin.core.roles import Role
from tests.factories import UserFactory, make_patron

from .request_helpers import REQUESTER, d, receive, today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def due_requests(privacy_officer: Any) -> dict[str, PrivacyRequest]:
    """Today is Monday 15 June; three open days ahead is Thursday 18 June."""
    paused = receive(privacy_officer, received_on=d(5, 26))
    services.amendment_request(actor=privacy_officer, request=paused, requested_on=d(5, 28), what_to_fix="x")
    decided = receive(privacy_officer, received_on=d(5, 25))
    services.request_decide(actor=privacy_officer, request=decided, outcome="full", decided_on=d(6, 1))
    return {
        "overdue": receive(privacy_officer, received_on=d(5, 25)),  # due 9 June
        "tomorrow": receive(privacy_officer, received_on=d(6, 1)),  # due 16 June
        "thursday": receive(
            privacy_officer,
            kind="correction",
            received_on=d(5, 19),
            disclosed_on=d(5, 1),
            correction_content="x",
        ),  # due 18 June
        "friday": receive(privacy_officer, received_on=d(6, 4)),  # due 19 June: outside
        "saturday": receive(privacy_officer, received_on=d(6, 5)),  # due 20 June, act by 19 June: outside
        "paused": paused,
        "decided": decided,
    }


def test_officers_are_mailed_numbers_kinds_and_dates_only(
    due_requests, privacy_officer, counter_staff, django_capture_on_commit_callbacks, caplog
) -> None:
    UserFactory(username="officer2", email="", role=Role.PRIVACY_OFFICER)  # no address: not mailed
    second = UserFactory(username="officer3", role=Role.PRIVACY_OFFICER)

    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        count = services.requests_remind_deadlines()

    assert count == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted([privacy_officer.email, second.email])
    message = mail.outbox[0]
    assert message.subject == "【開示等請求】決定期限が近い・過ぎた請求が3件あります（期限超過1件）"
    body = message.body
    for key in ("overdue", "tomorrow", "thursday"):
        assert due_requests[key].number in body
    for key in ("friday", "saturday", "paused", "decided"):
        assert due_requests[key].number not in body
    assert "期限超過（6日）" in body and "令和8年6月16日（火）" in body and "訂正請求" in body
    assert REQUESTER not in body and "あさひ市" not in body
    assert body.index(due_requests["overdue"].number) < body.index(due_requests["thursday"].number)
    event = AuditEvent.objects.get(action="privacy_request.reminder")
    assert event.detail == {"count": 3, "overdue": 1, "recipients": 2}
    assert "requests=3 overdue=1 recipients=2" in caplog.text and REQUESTER not in caplog.text


def test_a_deadline_on_a_closed_day_is_counted_from_the_last_open_day_before_it(
    due_requests, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        count = services.requests_remind_deadlines(
            on=d(6, 16)
        )  # Tuesday: three open days ahead is Friday 19 June

    assert count == 5  # the overdue one, 16, 18 and 19 June, and Saturday 20 June (act by Friday 19 June)
    body = mail.outbox[0].body
    assert due_requests["friday"].number in body
    assert due_requests["saturday"].number in body and "最終開庁日は令和8年6月19日" in body


def test_nothing_due_sends_nothing(privacy_officer, django_capture_on_commit_callbacks) -> None:
    receive(privacy_officer, received_on=d(6, 12))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.requests_remind_deadlines() == 0

    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="privacy_request.reminder").exists()


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


def test_the_command_runs_the_reminder_and_prints_a_count(
    due_requests, django_capture_on_commit_callbacks
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_request_deadlines", stdout=out)

    assert out.getvalue().strip() == "通知した請求 / requests reminded about: 3"
    assert len(mail.outbox) == 1


# --- demo -----------------------------------------------------------------------------------------


def test_the_demo_requests_cover_every_state_and_a_second_run_adds_nothing(privacy_officer, central) -> None:
    Group.objects.get_or_create(name=Role.PRIVACY_OFFICER)
    patrons = [make_patron(registered_branch=central) for _ in range(8)]
    out = StringIO()

    created = demo.seed_requests(stdout=out)

    assert created == PrivacyRequest.objects.count() >= 8
    assert set(PrivacyRequest.objects.values_list("kind", flat=True)) == set(RequestKind.values)
    assert PrivacyRequest.objects.filter(status=RequestStatus.AMENDING, clock_stopped=True).exists()
    assert Extension.objects.filter(kind=Extension.Kind.NORMAL).exists()
    assert Extension.objects.filter(kind=Extension.Kind.SPECIAL).exists()
    assert Decision.objects.filter(outcome="partial").exists()
    assert CorrectionExecution.objects.exists() and ThirdPartyConsultation.objects.exists()
    assert Amendment.objects.filter(completed_on__isnull=True).exists()
    on = services.today()
    overdue = [
        p
        for p in PrivacyRequest.objects.filter(status__in=services.OPEN_STATUSES)
        if services.request_deadline(p).is_overdue(on)
    ]
    assert len(overdue) == 1
    assert PrivacyRequest.objects.filter(patron__in=patrons).count() >= 5

    assert demo.seed_requests(stdout=(second := StringIO())) == 0
    assert PrivacyRequest.objects.count() == created
    assert "今回追加 0" in second.getvalue()
