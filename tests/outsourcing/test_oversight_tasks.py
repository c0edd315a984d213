"""The daily oversight reminder: who is mailed, about what, and that no personal data goes out."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from outsourcing import oversight, oversight_tasks
from outsourcing.models import Clause, Contract, Handler
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.roles import Role
from tests.factories import make_patron, make_staff

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def due(pickup_counter: Any, privacy_officer: Any, today: dt.date) -> dict[str, Contract]:
    """A consultation contract overdue, a pre-approved one due in 30 days, one not due, one ended."""
    late = make_contract(branches=[pickup_counter], review_due_on=today - dt.timedelta(days=3))
    pre = make_contract(
        branches=[pickup_counter],
        procedure=Contract.Procedure.PRE_APPROVAL,
        pre_approval_category="類型10 区立施設等の利用者の受付",
        pre_approval_confirmed_on=today - dt.timedelta(days=100),
        review_due_on=today + dt.timedelta(days=30),
    )
    later = make_contract(branches=[pickup_counter], review_due_on=today + dt.timedelta(days=90))
    ended = make_contract(
        branches=[pickup_counter], review_due_on=today - dt.timedelta(days=3), status=Contract.Status.ENDED
    )
    operator = make_operator(later, "op-later")
    audit = oversight.onsite_audit_record(
        actor=privacy_officer, contract=later, audited_on=today - dt.timedelta(days=20),
        auditor="監査 一郎", checklist={c.value: "ok" for c in Clause} | {"no_copying": "ng"},
        findings="利用者 山田太郎 の貸出票が机上に放置",
    )  # fmt: skip
    oversight.corrective_action_add(
        actor=privacy_officer,
        audit=audit,
        description="机上の書類を施錠保管",
        due_on=today - dt.timedelta(days=1),
    )
    oversight.report_submit(
        actor=operator, contract=later, kind="daily", period_start=today, body="受渡し 7件、苦情1件"
    )
    return {"late": late, "pre": pre, "later": later, "ended": ended}


def test_the_officers_are_mailed_contract_numbers_and_dates_only(
    due, privacy_officer, django_capture_on_commit_callbacks
) -> None:
    make_patron(family_name="山田", given_name="太郎")
    make_staff("officer2", Role.PRIVACY_OFFICER)
    make_staff("counter2", Role.COUNTER)
    officers = set(
        get_user_model().objects.filter(groups__name=Role.PRIVACY_OFFICER).values_list("email", flat=True)
    )
    assert len(officers) == 3  # officer, officer2 and the trainer made by make_operator

    with django_capture_on_commit_callbacks(execute=True):
        oversight_tasks.remind_oversight_due.delay()

    assert {m.to[0] for m in mail.outbox} == officers and len(mail.outbox) == 3
    message = mail.outbox[0]
    body = str(message.subject) + str(message.body)
    assert due["late"].number in body and "期限超過" in body
    assert due["pre"].number in body and "事前一括承認基準" in body  # pre-approved contracts are reviewed too
    assert due["later"].number in body  # its corrective action is overdue
    assert due["ended"].number not in body
    assert "未確認の業務報告: 1件" in body
    # Nothing personal: no handler, auditor, patron, finding, action or report text.
    for text in ["山田", "太郎", "監査 一郎", "操作員", "op-later", "机上", "受渡し", "苦情1件"]:
        assert text not in body, text
    assert not re.search(r"責任者\d", body)  # make_contract's handler in charge is named 責任者<n>
    event = AuditEvent.objects.get(action="oversight.reminder")
    assert event.actor is None
    assert event.detail == {"reviews": 2, "reviews_overdue": 1, "actions_overdue": 1, "recipients": 3}


def test_no_mail_when_nothing_is_due(
    pickup_counter, privacy_officer, today, django_capture_on_commit_callbacks
) -> None:
    make_contract(branches=[pickup_counter], review_due_on=today + dt.timedelta(days=31))

    with django_capture_on_commit_callbacks(execute=True):
        assert oversight.oversight_remind() == 0

    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="oversight.reminder").exists()


def test_the_task_takes_no_arguments_and_has_a_stable_name() -> None:
    assert oversight_tasks.remind_oversight_due.name == "outsourcing.oversight_tasks.remind_oversight_due"
    assert list(inspect.signature(oversight_tasks.remind_oversight_due.run).parameters) == []


def test_handler_names_never_reach_the_mail(due, privacy_officer, django_capture_on_commit_callbacks) -> None:
    Handler.objects.filter(contract=due["late"]).update(name="秘密 花子")
    with django_capture_on_commit_callbacks(execute=True):
        oversight.oversight_remind()
    assert mail.outbox and all("秘密" not in m.body for m in mail.outbox)
