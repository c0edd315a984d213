"""disclosure_requests.services.consultation: 意見照会 to third parties (要綱 第26条).

"Today" is Monday 15 June 2026 (see request_helpers). A request received on 1 June under the 山梨県
profile is due 16 June (15 days, the day of receipt not counted).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import services
from disclosure_requests.models import (
    Outcome,
    RequestStatus,
)

from ..request_helpers import d, receive, snapshot
from .helpers import refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_a_consultation_waits_for_the_opinion_and_an_objection_delays_disclosure(officer) -> None:
    pr = receive(officer, received_on=d(5, 20))
    consultation = services.consultation_send(
        actor=officer,
        request=pr,
        third_party_name="第三 太郎",
        third_party_address="あさひ市北町4-5-6",
        information_concerned="紹介状の記載内容",
        sent_on=d(5, 21),
    )
    assert consultation.opinion_due_on == d(6, 4)
    assert pr.status == RequestStatus.CONSULTING

    services.consultation_record_opinion(
        actor=officer, consultation=consultation, received_on=d(5, 28), objected=True
    )
    pr.refresh_from_db()
    assert pr.status == RequestStatus.RECEIVED and consultation.objected

    services.request_decide(actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(5, 25))
    assert services.earliest_disclosure_on(pr) == d(6, 9)  # 要綱 第26条第3項: two weeks in between
    refused(
        lambda: services.disclosure_carry_out(
            actor=officer,
            request=pr,
            method="inspection",
            method_requested_on=d(5, 26),
            carried_out_on=d(6, 8),
            fee_yen=0,
        ),
        "carried_out_on",
        "少なくとも2週間",
        "令和8年6月9日以降",
        "山梨県 要綱第26条第3項",
    )
    services.disclosure_carry_out(
        actor=officer,
        request=pr,
        method="inspection",
        method_requested_on=d(5, 26),
        carried_out_on=d(6, 9),
        fee_yen=0,
    )
    assert pr.status == RequestStatus.CLOSED


def test_consultations_are_for_disclosures_only(officer) -> None:
    pr = receive(officer, kind="correction", disclosed_on=d(5, 20), correction_content="x")

    refused(
        lambda: services.consultation_send(
            actor=officer,
            request=pr,
            third_party_name="第三",
            third_party_address="",
            information_concerned="x",
            sent_on=d(6, 2),
        ),
        "__all__",
        "開示請求についてのみ",
    )


def test_a_consultation_needs_the_third_party_the_information_and_a_real_date(officer) -> None:
    pr = receive(officer, received_on=d(6, 3))
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.consultation_send(
            actor=officer,
            request=pr,
            third_party_name="",
            third_party_address="",
            information_concerned="",
            sent_on=d(6, 2),
        )
    assert set(info.value.message_dict) == {"third_party_name", "information_concerned", "sent_on"}
    assert snapshot() == before


def test_an_opinion_received_before_the_consultation_is_refused(officer) -> None:
    pr = receive(officer)
    consultation = services.consultation_send(
        actor=officer,
        request=pr,
        third_party_name="第三",
        third_party_address="",
        information_concerned="x",
        sent_on=d(6, 5),
    )

    refused(
        lambda: services.consultation_record_opinion(
            actor=officer, consultation=consultation, received_on=d(6, 4), objected=False
        ),
        "received_on",
        "照会日",
    )
