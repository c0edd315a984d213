"""disclosure_requests.services.carrying_out: 開示の実施, 訂正, 利用停止 and withdrawal
(要綱 第26条第3項, 第27–28条, 第32条, 第36条, 第39条).

"Today" is Monday 15 June 2026 (see request_helpers). A request received on 1 June under the 山梨県
profile is due 16 June (15 days, the day of receipt not counted).
"""

from __future__ import annotations

import functools

import pytest

from disclosure_requests import services
from disclosure_requests.models import (
    CorrectionExecution,
    Outcome,
    PrivacyRequest,
    RequestStatus,
)

from ..request_helpers import d, receive
from .helpers import decided, refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_disclosure_is_carried_out_only_after_a_disclosing_decision(officer) -> None:
    undecided = receive(officer)
    refused_request = decided(officer, Outcome.REFUSED)

    def carry_out(pr: PrivacyRequest) -> None:
        services.disclosure_carry_out(
            actor=officer,
            request=pr,
            method="copy",
            method_requested_on=d(6, 11),
            carried_out_on=d(6, 12),
            fee_yen=0,
        )

    for pr in (undecided, refused_request):
        refused(
            functools.partial(carry_out, pr),
            "__all__",
            "全部開示または部分開示の決定の後",
        )


def test_the_method_must_be_asked_for_within_thirty_days_of_the_decision(officer) -> None:
    pr = decided(officer, received_on=d(5, 1), on=d(5, 14))  # day 30 is Saturday 13 June → Monday 15 June

    assert services.method_choice_deadline(pr) == d(6, 15)
    refused(
        lambda: services.disclosure_carry_out(
            actor=officer,
            request=pr,
            method="copy",
            method_requested_on=d(6, 16),
            carried_out_on=d(6, 15),
            fee_yen=0,
        ),
        "method_requested_on",
        "未来",
    )
    pr2 = decided(officer, received_on=d(5, 1), on=d(5, 13))  # day 30 is Friday 12 June
    refused(
        lambda: services.disclosure_carry_out(
            actor=officer,
            request=pr2,
            method="copy",
            method_requested_on=d(6, 15),
            carried_out_on=d(6, 15),
            fee_yen=0,
        ),
        "method_requested_on",
        "30日以内（令和8年6月12日まで）",
        "山梨県 要綱第27条第2項・第3項",
    )
    services.disclosure_carry_out(
        actor=officer,
        request=pr,
        method="copy",
        method_requested_on=d(6, 15),
        carried_out_on=d(6, 15),
        fee_yen=0,
    )


def test_the_fee_is_never_negative_and_a_charged_fee_states_its_basis(officer) -> None:
    pr = decided(officer)
    call = {
        "actor": officer,
        "request": pr,
        "method": "mail",
        "method_requested_on": d(6, 11),
        "carried_out_on": d(6, 12),
    }

    refused(lambda: services.disclosure_carry_out(**call, fee_yen=-10), "fee_yen", "負の金額")
    refused(lambda: services.disclosure_carry_out(**call, fee_yen=120), "fee_basis", "実費の内訳")
    refused(
        lambda: services.disclosure_carry_out(**(call | {"method": "fax"}), fee_yen=0), "method", "実施方法"
    )

    execution = services.disclosure_carry_out(**call, fee_yen=120, fee_basis="写し 2枚×10円、郵送料 100円")

    assert execution.fee_yen == 120 and pr.status == RequestStatus.CLOSED
    refused(lambda: services.disclosure_carry_out(**call, fee_yen=0), "__all__", "既に実施済み")


def test_a_disclosure_cannot_be_carried_out_before_its_decision_or_the_method_request(officer) -> None:
    pr = decided(officer, on=d(6, 10))
    call = {"actor": officer, "request": pr, "method": "copy", "fee_yen": 0}

    refused(
        lambda: services.disclosure_carry_out(**call, method_requested_on=d(6, 10), carried_out_on=d(6, 9)),
        "carried_out_on",
        "決定日",
    )
    refused(
        lambda: services.disclosure_carry_out(**call, method_requested_on=d(6, 12), carried_out_on=d(6, 11)),
        "carried_out_on",
        "申出日",
    )


def test_a_correction_is_carried_out_and_the_recipients_told(officer) -> None:
    pr = decided(
        officer, Outcome.CORRECT, kind="correction", disclosed_on=d(5, 20), correction_content="住所"
    )
    call = {"actor": officer, "request": pr, "corrected_on": d(6, 11), "what_was_corrected": "住所を訂正"}

    refused(
        lambda: services.correction_carry_out(**call, recipients="あさひ市教育委員会"),
        "recipients_notified_on",
        "（山梨県 要綱第36条: 遅滞なく書面で通知）",
    )
    refused(
        lambda: services.correction_carry_out(**call, recipients_notified_on=d(6, 12)), "recipients", "提供先"
    )
    refused(
        lambda: services.correction_carry_out(**call, recipients="委員会", recipients_notified_on=d(6, 10)),
        "recipients_notified_on",
        "訂正の実施日より前",
    )
    execution = services.correction_carry_out(
        **call, recipients="あさひ市教育委員会", recipients_notified_on=d(6, 12)
    )

    assert isinstance(execution, CorrectionExecution)
    assert pr.status == RequestStatus.CLOSED


def test_no_correction_is_carried_out_after_a_decision_not_to_correct(officer) -> None:
    pr = decided(
        officer, Outcome.NOT_CORRECT, kind="correction", disclosed_on=d(5, 20), correction_content="x"
    )

    refused(
        lambda: services.correction_carry_out(
            actor=officer, request=pr, corrected_on=d(6, 11), what_was_corrected="x"
        ),
        "__all__",
        "「訂正する」旨の決定の後",
    )


def test_a_suspension_is_carried_out_and_its_date_kept_on_the_request(officer) -> None:
    pr = decided(officer, Outcome.SUSPEND, kind="suspension", disclosed_on=d(5, 20), suspension_kind="erase")

    refused(
        lambda: services.suspension_carry_out(actor=officer, request=pr, carried_out_on=d(6, 9)),
        "carried_out_on",
        "決定日",
    )
    services.suspension_carry_out(actor=officer, request=pr, carried_out_on=d(6, 12))

    assert pr.status == RequestStatus.CLOSED
    assert pr.suspension_carried_out_on == d(6, 12)
    # The history names the step; the day is a field of the version, not part of the reason.
    version = pr.history.first()
    assert version.history_change_reason == "suspension_carried_out"
    assert version.suspension_carried_out_on == d(6, 12)


def test_a_withdrawn_request_is_closed_to_further_steps(officer) -> None:
    pr = receive(officer, received_on=d(6, 3))
    refused(lambda: services.request_withdraw(actor=officer, request=pr, on=d(6, 2)), "on", "受付日")

    services.request_withdraw(actor=officer, request=pr, on=d(6, 5))

    assert pr.status == RequestStatus.WITHDRAWN
    assert pr.withdrawn_on == d(6, 5)
    version = pr.history.first()
    assert version.history_change_reason == "withdrawn" and version.withdrawn_on == d(6, 5)
    refused(lambda: services.request_withdraw(actor=officer, request=pr, on=d(6, 6)), "__all__", "取下げ")
    refused(
        lambda: services.request_decide(actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 10)),
        "__all__",
        "取下げ",
    )
