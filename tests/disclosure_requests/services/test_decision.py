"""disclosure_requests.services.decision: the 決定, its outcome, reasons and dates (要綱 第19–23条, 第32–33条, 第39–40条).

"Today" is Monday 15 June 2026 (see request_helpers). A request received on 1 June under the 山梨県
profile is due 16 June (15 days, the day of receipt not counted).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import services
from disclosure_requests.models import (
    Outcome,
    RequestStatus,
)
from privacy_admin.audit.models import AuditEvent

from ..request_helpers import d, receive, snapshot
from .helpers import decided, refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_a_partial_scope_decision_needs_a_special_extension(officer) -> None:
    pr = receive(officer)

    refused(
        lambda: services.request_decide(
            actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 10), is_partial_scope=True
        ),
        "is_partial_scope",
        "期限の特例",
    )


def test_a_decision_dated_before_the_request_is_refused(officer) -> None:
    pr = receive(officer, received_on=d(6, 5))

    refused(
        lambda: services.request_decide(actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 4)),
        "decided_on",
        "決定日が受付日より前です。",
    )


def test_a_decision_in_the_future_is_refused(officer) -> None:
    pr = receive(officer)

    refused(
        lambda: services.request_decide(actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 16)),
        "decided_on",
        "未来",
    )


@pytest.mark.parametrize(
    "kind,outcome",
    [
        ("disclosure", Outcome.CORRECT),
        ("correction", Outcome.FULL),
        ("suspension", Outcome.NOT_CORRECT),
        ("disclosure", "maybe"),
    ],
)
def test_an_outcome_must_fit_the_kind(officer, kind: str, outcome: str) -> None:
    extra = (
        {"disclosed_on": d(5, 20), "correction_content": "x", "suspension_kind": "erase"}
        if kind != "disclosure"
        else {}
    )
    pr = receive(officer, kind=kind, **extra)

    refused(
        lambda: services.request_decide(
            actor=officer, request=pr, outcome=outcome, decided_on=d(6, 10), reason_text="x"
        ),
        "outcome",
        "決定を選んでください",
    )


@pytest.mark.parametrize("outcome", [Outcome.PARTIAL, Outcome.REFUSED])
def test_withholding_needs_a_category_of_article_19_and_a_reason(officer, outcome: str) -> None:
    pr = receive(officer)

    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.request_decide(actor=officer, request=pr, outcome=outcome, decided_on=d(6, 10))
    assert "不開示情報の区分を1つ以上選んでください" in info.value.message_dict["reasons"][0]
    assert "理由を記載してください（山梨県 要綱第23条第3項）" in info.value.message_dict["reason_text"][0]
    assert snapshot() == before


@pytest.mark.parametrize("outcome", [Outcome.NEITHER, Outcome.NOT_HELD])
def test_other_refusals_need_a_reason(officer, outcome: str) -> None:
    pr = receive(officer)

    refused(
        lambda: services.request_decide(actor=officer, request=pr, outcome=outcome, decided_on=d(6, 10)),
        "reason_text",
        "理由を記載してください",
    )


def test_not_correcting_needs_a_reason_citing_article_33(officer) -> None:
    pr = receive(officer, kind="correction", disclosed_on=d(5, 20), correction_content="x")

    refused(
        lambda: services.request_decide(
            actor=officer, request=pr, outcome=Outcome.NOT_CORRECT, decided_on=d(6, 10)
        ),
        "reason_text",
        "山梨県 要綱第33条第3項",
    )


def test_unknown_categories_and_categories_on_a_correction_are_refused(officer) -> None:
    disclosure = receive(officer)
    correction = receive(officer, kind="correction", disclosed_on=d(5, 20), correction_content="x")

    refused(
        lambda: services.request_decide(
            actor=officer,
            request=disclosure,
            outcome=Outcome.PARTIAL,
            decided_on=d(6, 10),
            reasons=["secret"],
            reason_text="x",
        ),
        "reasons",
        "一覧",
    )
    refused(
        lambda: services.request_decide(
            actor=officer,
            request=correction,
            outcome=Outcome.NOT_CORRECT,
            decided_on=d(6, 10),
            reasons=["law"],
            reason_text="x",
        ),
        "reasons",
        "部分開示・不開示・存否応答拒否",
    )


def test_the_date_a_reason_lapses_must_follow_the_decision(officer) -> None:
    pr = receive(officer)

    refused(
        lambda: services.request_decide(
            actor=officer,
            request=pr,
            outcome=Outcome.REFUSED,
            decided_on=d(6, 10),
            reasons=["deliberation"],
            reason_text="審議中",
            reason_lapses_on=d(6, 10),
        ),
        "reason_lapses_on",
        "決定日より後",
    )


def test_a_partial_disclosure_is_recorded_with_its_categories_in_article_order(officer) -> None:
    pr = receive(officer)

    decision = services.request_decide(
        actor=officer,
        request=pr,
        outcome=Outcome.PARTIAL,
        decided_on=d(6, 10),
        reasons=["public_task", "third_person", "third_person"],
        reason_text="第三者の氏名を含むため",
        reason_lapses_on=dt.date(2027, 3, 31),
        disclosed_content="利用登録情報",
    )

    assert decision.reasons == ["third_person", "public_task"]
    assert pr.status == RequestStatus.DECIDED and not pr.clock_stopped
    event = AuditEvent.objects.get(action="privacy_request.decide")
    assert event.detail["outcome"] == "partial" and event.detail["on_time"] is True


def test_a_late_decision_is_recorded_as_late(officer) -> None:
    pr = receive(officer, received_on=d(5, 25))

    services.request_decide(actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 12))

    assert AuditEvent.objects.get(action="privacy_request.decide").detail["on_time"] is False


def test_a_request_is_decided_once(officer) -> None:
    pr = decided(officer)

    refused(
        lambda: services.request_decide(actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 12)),
        "__all__",
        "決定済み",
    )
