"""disclosure_requests.services.reminders: the deadline reminder mailed to privacy officers —
numbers, kinds and dates only; a closed last day counts from the open day before it.
"""

from __future__ import annotations

import logging

import pytest
from django.core import mail

from disclosure_requests import services
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.roles import Role
from tests.factories import UserFactory

from ..request_helpers import REQUESTER, d, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


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
