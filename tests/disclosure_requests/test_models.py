"""disclosure_requests.models — what the database itself refuses (a second current rule profile, a
closed day twice, an amendment completed before it was asked for), the outcomes each kind of request
may end in, the 第19条 categories as their labels, and records that name themselves without personal
data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from disclosure_requests.models import (
    OUTCOMES_BY_KIND,
    Amendment,
    ClosedDay,
    Outcome,
    RequestKind,
    RuleProfile,
    WithholdingReason,
)

from . import factories as f

pytestmark = pytest.mark.django_db


def test_one_rule_profile_is_current_at_a_time() -> None:
    other = RuleProfile.objects.filter(is_current=False).first()
    assert other is not None

    with pytest.raises(IntegrityError), transaction.atomic():
        RuleProfile.objects.filter(pk=other.pk).update(is_current=True)

    assert RuleProfile.objects.filter(is_current=True).count() == 1


def test_a_closed_day_is_recorded_once_and_named_by_date_and_reason() -> None:
    day = ClosedDay.objects.create(date=dt.date(2026, 6, 16), reason="館内整理日")
    assert str(day) == "2026-06-16 館内整理日"

    with pytest.raises(IntegrityError), transaction.atomic():
        ClosedDay.objects.create(date=dt.date(2026, 6, 16), reason="重複")


def test_an_amendment_cannot_be_completed_before_it_was_asked_for() -> None:
    request = f.make_request()
    asked = dt.date(2026, 6, 1)
    values = {"request": request, "requested_on": asked, "what_to_fix": "本人確認書類", "reply_by": asked}

    with pytest.raises(IntegrityError), transaction.atomic():
        Amendment.objects.create(**values, completed_on=asked - dt.timedelta(days=1))

    amendment = Amendment.objects.create(**values, completed_on=asked)
    assert str(amendment) == f"補正 #{amendment.pk}"


def test_each_kind_of_request_has_its_own_outcomes() -> None:
    assert set(OUTCOMES_BY_KIND) == set(RequestKind.values)
    every = [o for outcomes in OUTCOMES_BY_KIND.values() for o in outcomes]
    assert sorted(every) == sorted(Outcome.values)  # each outcome belongs to exactly one kind
    assert OUTCOMES_BY_KIND[RequestKind.CORRECTION] == (Outcome.CORRECT, Outcome.NOT_CORRECT)


def test_a_decision_names_its_categories_by_label_in_its_order_and_skips_unknown_ones() -> None:
    request = f.make_request()
    decision = f.decide(
        request, Outcome.PARTIAL, reasons=[WithholdingReason.BUSINESS, "gone", WithholdingReason.LAW]
    )

    assert decision.reason_labels == [
        str(WithholdingReason.BUSINESS.label),
        str(WithholdingReason.LAW.label),
    ]
    assert str(decision) == f"{decision._meta.verbose_name} #{decision.pk}"


def test_a_request_is_named_by_its_number_never_by_the_requester() -> None:
    request = f.make_request()
    assert str(request) == request.number
    assert request.requester_name not in str(request)
