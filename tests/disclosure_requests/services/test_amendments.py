"""disclosure_requests.services.amendments: 補正 and extensions of the period, ordinary and special
(要綱 第18条第3項, 第24–25条, 第34–35条, 第41–42条).

"Today" is Monday 15 June 2026 (see request_helpers). A request received on 1 June under the 山梨県
profile is due 16 June (15 days, the day of receipt not counted).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import deadlines, services
from disclosure_requests.models import (
    DisclosureExecution,
    Extension,
    Outcome,
    RequestKind,
    RequestStatus,
)

from ..request_helpers import d, receive
from .helpers import refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_an_amendment_stops_the_clock_and_its_days_are_added_when_it_is_complete(officer) -> None:
    pr = receive(officer)

    amendment = services.amendment_request(
        actor=officer, request=pr, requested_on=d(6, 3), what_to_fix="請求する情報の特定"
    )

    assert amendment.reply_by == d(6, 17)  # 14 days for the requester
    assert pr.status == RequestStatus.AMENDING and pr.clock_stopped
    assert services.request_deadline(pr).paused

    services.amendment_complete(actor=officer, amendment=amendment, completed_on=d(6, 8))
    pr.refresh_from_db()

    assert pr.status == RequestStatus.RECEIVED and not pr.clock_stopped
    assert pr.due_on == d(6, 21)  # 16 June + 5 days (6/4–6/8)
    deadline = services.request_deadline(pr)
    assert deadline.pause_days == 5 and deadline.last_open_day_before == d(6, 19)


def test_the_requesters_reply_date_moves_to_the_next_open_day(officer) -> None:
    pr = receive(officer)

    amendment = services.amendment_request(actor=officer, request=pr, requested_on=d(6, 7), what_to_fix="x")

    assert amendment.reply_by == d(6, 22)  # 6/21 is a Sunday


def test_an_amendment_completed_before_it_was_requested_is_refused(officer) -> None:
    pr = receive(officer)
    amendment = services.amendment_request(actor=officer, request=pr, requested_on=d(6, 5), what_to_fix="x")

    refused(
        lambda: services.amendment_complete(actor=officer, amendment=amendment, completed_on=d(6, 4)),
        "completed_on",
        "補正の完了日が補正を求めた日より前です。",
    )
    refused(
        lambda: services.amendment_complete(actor=officer, amendment=amendment, completed_on=d(6, 16)),
        "completed_on",
        "未来の日付",
    )


def test_an_amendment_cannot_be_asked_before_receipt_nor_in_the_future_nor_twice_at_once(officer) -> None:
    pr = receive(officer, received_on=d(6, 3))
    refused(
        lambda: services.amendment_request(actor=officer, request=pr, requested_on=d(6, 2), what_to_fix="x"),
        "requested_on",
        "受付日",
    )
    refused(
        lambda: services.amendment_request(actor=officer, request=pr, requested_on=d(6, 16), what_to_fix="x"),
        "requested_on",
        "未来",
    )
    refused(
        lambda: services.amendment_request(actor=officer, request=pr, requested_on=d(6, 4), what_to_fix=" "),
        "what_to_fix",
        "補正を求める事項",
    )
    services.amendment_request(actor=officer, request=pr, requested_on=d(6, 4), what_to_fix="x")
    refused(
        lambda: services.amendment_request(actor=officer, request=pr, requested_on=d(6, 5), what_to_fix="y"),
        "requested_on",
        "完了していない補正",
    )


def test_an_amendment_after_the_deadline_is_refused(officer) -> None:
    pr = receive(officer, received_on=d(5, 25))  # due 9 June

    refused(
        lambda: services.amendment_request(actor=officer, request=pr, requested_on=d(6, 10), what_to_fix="x"),
        "requested_on",
        "決定期限（令和8年6月9日）を過ぎてから",
    )


def test_an_amendment_can_be_completed_once_only(officer) -> None:
    pr = receive(officer)
    amendment = services.amendment_request(actor=officer, request=pr, requested_on=d(6, 3), what_to_fix="x")
    services.amendment_complete(actor=officer, amendment=amendment, completed_on=d(6, 4))

    refused(
        lambda: services.amendment_complete(actor=officer, amendment=amendment, completed_on=d(6, 5)),
        "completed_on",
        "既に完了",
    )


def test_two_amendments_add_up(officer) -> None:
    pr = receive(officer)
    first = services.amendment_request(actor=officer, request=pr, requested_on=d(6, 2), what_to_fix="x")
    services.amendment_complete(actor=officer, amendment=first, completed_on=d(6, 4))
    second = services.amendment_request(actor=officer, request=pr, requested_on=d(6, 5), what_to_fix="y")
    services.amendment_complete(actor=officer, amendment=second, completed_on=d(6, 8))
    pr.refresh_from_db()

    assert pr.due_on == d(6, 21)  # 2 + 3 days


def test_extensions_add_up_to_the_profiles_maximum(officer) -> None:
    pr = receive(officer)

    services.request_extend(
        actor=officer, request=pr, days=10, reason="事務処理上の困難", notified_on=d(6, 10)
    )
    assert pr.due_on == d(6, 26)
    services.request_extend(actor=officer, request=pr, days=5, reason="追加の確認", notified_on=d(6, 15))
    assert pr.due_on == d(7, 1)

    refused(
        lambda: services.request_extend(
            actor=officer, request=pr, days=1, reason="さらに", notified_on=d(6, 15)
        ),
        "days",
        "合計15日までです（残り0日）",
    )


def test_an_extension_beyond_the_maximum_is_refused(officer) -> None:
    pr = receive(officer)

    refused(
        lambda: services.request_extend(
            actor=officer, request=pr, days=16, reason="大量", notified_on=d(6, 10)
        ),
        "days",
        "延長できる日数は合計15日まで",
        "山梨県 要綱第24条第2項",
    )


def test_a_correction_may_be_extended_by_up_to_thirty_days(officer) -> None:
    pr = receive(officer, kind="correction", disclosed_on=d(5, 20), correction_content="x")

    services.request_extend(
        actor=officer, request=pr, days=30, reason="調査に時間を要するため", notified_on=d(6, 15)
    )

    assert pr.due_on == d(7, 31)


def test_an_extension_after_the_deadline_is_refused(officer) -> None:
    pr = receive(officer, received_on=d(5, 25))  # due 9 June

    refused(
        lambda: services.request_extend(
            actor=officer, request=pr, days=5, reason="遅れ", notified_on=d(6, 10)
        ),
        "notified_on",
        "期限を過ぎてからの延長はできません",
    )


def test_an_extension_needs_days_a_reason_and_a_real_notice_date(officer) -> None:
    pr = receive(officer)
    refused(
        lambda: services.request_extend(actor=officer, request=pr, days=0, reason="x", notified_on=d(6, 5)),
        "days",
        "1日以上",
    )
    refused(
        lambda: services.request_extend(actor=officer, request=pr, days=5, reason=" ", notified_on=d(6, 5)),
        "reason",
        "理由",
    )
    refused(
        lambda: services.request_extend(actor=officer, request=pr, days=5, reason="x", notified_on=d(6, 16)),
        "notified_on",
        "未来",
    )
    refused(
        lambda: services.request_extend(actor=officer, request=pr, days=5, reason="x", notified_on=d(5, 31)),
        "notified_on",
        "受付日",
    )
    refused(
        lambda: services.request_extend(
            actor=officer,
            request=pr,
            days=None,  # type: ignore[arg-type]
            reason="x",
            notified_on=d(6, 5),
        ),
        "days",
    )


def test_a_special_extension_of_a_disclosure_sets_the_substantial_part_and_the_rest(officer) -> None:
    pr = receive(officer)

    special = services.request_extend_special(
        actor=officer, request=pr, reason="著しく大量", notified_on=d(6, 10), remainder_due_on=d(8, 31)
    )

    assert special.kind == Extension.Kind.SPECIAL and special.remainder_due_on == d(8, 31)
    assert pr.special_extension and pr.final_due_on == d(8, 31)
    assert pr.due_on == d(7, 1)  # 要綱 第25条: a substantial part within 30 days

    services.request_decide(
        actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 15), is_partial_scope=True
    )

    assert pr.status == RequestStatus.RECEIVED  # the rest is still to be decided
    assert pr.due_on == d(8, 31)
    services.request_decide(actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 15))
    assert pr.status == RequestStatus.DECIDED


def test_a_special_extension_must_be_notified_within_the_ordinary_period(officer) -> None:
    pr = receive(officer, received_on=d(5, 25))  # notice due 9 June

    refused(
        lambda: services.request_extend_special(
            actor=officer, request=pr, reason="大量", notified_on=d(6, 10), remainder_due_on=d(8, 31)
        ),
        "notified_on",
        "15日以内",
        "山梨県 要綱第25条",
    )


def test_the_rest_must_be_due_after_the_substantial_part(officer) -> None:
    pr = receive(officer)

    refused(
        lambda: services.request_extend_special(
            actor=officer, request=pr, reason="大量", notified_on=d(6, 10), remainder_due_on=d(7, 1)
        ),
        "remainder_due_on",
        "相当の部分を決定する期限（令和8年7月1日）より後",
    )
    refused(
        lambda: services.request_extend_special(
            actor=officer,
            request=pr,
            reason="",
            notified_on=d(6, 10),
            remainder_due_on=None,  # type: ignore[arg-type]
        ),
        "remainder_due_on",
    )


def test_a_special_extension_of_a_correction_makes_the_set_date_the_deadline(officer) -> None:
    pr = receive(officer, kind="correction", disclosed_on=d(5, 20), correction_content="x")

    services.request_extend_special(
        actor=officer,
        request=pr,
        reason="特に長期間を要する",
        notified_on=d(6, 15),
        remainder_due_on=d(9, 30),
    )

    assert pr.due_on == d(9, 30) and pr.final_due_on is None
    assert services.request_deadline(pr).due_on == d(9, 30)


def test_after_a_special_extension_no_ordinary_extension_or_second_special_one(officer) -> None:
    pr = receive(officer)
    services.request_extend_special(
        actor=officer, request=pr, reason="大量", notified_on=d(6, 10), remainder_due_on=d(8, 31)
    )

    refused(
        lambda: services.request_extend(actor=officer, request=pr, days=5, reason="x", notified_on=d(6, 11)),
        "__all__",
        "通常の延長はできません",
    )
    refused(
        lambda: services.request_extend_special(
            actor=officer, request=pr, reason="x", notified_on=d(6, 11), remainder_due_on=d(9, 30)
        ),
        "__all__",
        "既に期限の特例",
    )


def test_the_callers_instance_is_left_as_it_was_when_a_step_is_refused(officer) -> None:
    pr = receive(officer)

    with pytest.raises(ValidationError):
        services.request_extend(actor=officer, request=pr, days=99, reason="x", notified_on=d(6, 5))

    assert pr.due_on == d(6, 16) and not pr.extensions.exists()
    assert isinstance(services.request_deadline(pr), deadlines.Deadline)
    assert pr.kind == RequestKind.DISCLOSURE and not DisclosureExecution.objects.exists()
