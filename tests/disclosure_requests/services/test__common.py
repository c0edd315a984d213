"""disclosure_requests.services._common: the steps every stage shares — the access-log event each
writes and its label, the view trace, the date check, the refusal of a closed request.

"Today" is Monday 15 June 2026 (see request_helpers). A request received on 1 June under the 山梨県
profile is due 16 June (15 days, the day of receipt not counted).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import services
from disclosure_requests.models import Outcome
from disclosure_requests.services import _common
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.errors import FieldErrors

from ..request_helpers import REQUESTER, d, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_every_step_is_audited_without_the_requesters_or_third_partys_name(officer) -> None:
    pr = receive(officer, received_on=d(5, 20))
    a = services.amendment_request(actor=officer, request=pr, requested_on=d(5, 21), what_to_fix="x")
    services.amendment_complete(actor=officer, amendment=a, completed_on=d(5, 22))
    services.request_extend(actor=officer, request=pr, days=3, reason="x", notified_on=d(5, 25))
    c = services.consultation_send(
        actor=officer,
        request=pr,
        third_party_name="第三 太郎",
        third_party_address="",
        information_concerned="x",
        sent_on=d(5, 26),
    )
    services.consultation_record_opinion(actor=officer, consultation=c, received_on=d(5, 27), objected=False)
    services.request_decide(actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(5, 28))
    services.disclosure_carry_out(
        actor=officer,
        request=pr,
        method="copy",
        method_requested_on=d(5, 29),
        carried_out_on=d(6, 1),
        fee_yen=0,
    )

    events = AuditEvent.objects.filter(target_type="privacy_request")
    assert [e.action for e in events.order_by("seq")] == [
        "privacy_request.receive",
        "privacy_request.amendment_request",
        "privacy_request.amendment_complete",
        "privacy_request.extend",
        "privacy_request.consultation_send",
        "privacy_request.consultation_opinion",
        "privacy_request.decide",
        "privacy_request.disclosure_carry_out",
    ]
    assert {e.target_id for e in events} == {str(pr.pk)}
    dumped = json.dumps([e.detail for e in events], ensure_ascii=False)
    assert REQUESTER not in dumped and "第三 太郎" not in dumped


def test_every_action_has_a_japanese_label() -> None:
    from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS

    for action in (
        "receive",
        "view",
        "amendment_request",
        "amendment_complete",
        "extend",
        "extend_special",
        "consultation_send",
        "consultation_opinion",
        "decide",
        "disclosure_carry_out",
        "correction_carry_out",
        "suspension_carry_out",
        "withdraw",
        "reminder",
    ):
        assert ACTION_LABELS[f"privacy_request.{action}"]
    assert ACTION_GROUP_LABELS["privacy_request."] == "開示等請求（すべて）"


def test_looking_at_a_request_leaves_a_trace_naming_it_by_id(officer) -> None:
    pr = receive(officer)

    services.request_record_view(actor=officer, request=pr, what="letters")

    event = AuditEvent.objects.filter(action="privacy_request.view").get()
    assert (event.actor, event.target_type, event.target_id) == (officer, "privacy_request", str(pr.pk))
    assert event.detail == {"view": "letters"}
    assert REQUESTER not in json.dumps(event.detail, ensure_ascii=False)


def test_a_date_must_be_given_a_date_and_not_in_the_future() -> None:
    on = d(6, 15)
    for value, message in [
        ("", "受付日を入力してください。"),
        (dt.datetime(2026, 6, 1, 9, 0), "受付日を正しい日付で入力してください。"),
        (d(6, 16), "受付日に未来の日付は入力できません。"),
    ]:
        errors = FieldErrors()
        assert _common._date(errors, "received_on", value, label="受付日", on=on) is None
        assert errors.error().message_dict == {"received_on": [message]}
    errors = FieldErrors()
    assert _common._date(errors, "received_on", d(6, 15), label="受付日", on=on) == d(6, 15)
    assert _common._date(errors, "decided_on", None, label="決定日", required=False, on=on) is None
    assert not errors


def test_a_withdrawn_request_refuses_further_steps_by_name(officer) -> None:
    pr = receive(officer)
    services.request_withdraw(actor=officer, request=pr, on=d(6, 10))
    pr.refresh_from_db()

    with pytest.raises(ValidationError) as info:
        _common._require_open(pr, "延長")

    assert info.value.message_dict["__all__"] == [
        f"この請求は「{pr.get_status_display()}」のため、延長はできません。"
    ]
