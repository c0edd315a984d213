"""The request services: every rule of 要綱 第17–42条 they enforce, and that a refusal changes nothing.

"Today" is Monday 15 June 2026 (see request_helpers). A request received on 1 June under the 山梨県
profile is due 16 June (15 days, the day of receipt not counted).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import deadlines, services
from disclosure_requests.models import (
    ClosedDay,
    CorrectionExecution,
    DisclosureExecution,
    Extension,
    Outcome,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    RuleProfile,
    WithholdingReason,
)
from disclosure_requests.profiles import rule_profile_make_current
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron

from .request_helpers import REQUESTER, d, intake, receive, snapshot, today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def officer(privacy_officer: Any) -> Any:
    return privacy_officer


def refused(call: Callable[[], object], field: str, *fragments: str) -> str:
    """Run ``call``, expect a ValidationError on ``field`` containing every fragment, and prove that
    nothing at all was written (requests, steps, history, access log)."""
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    text = " ".join(info.value.message_dict[field])
    for fragment in fragments:
        assert fragment in text, text
    assert snapshot() == before
    return text


def decided(
    officer: Any, outcome: str = Outcome.FULL, *, on: dt.date | None = None, **kw: Any
) -> PrivacyRequest:
    pr = receive(officer, **kw)
    extra: dict[str, Any] = {}
    if outcome in (Outcome.PARTIAL, Outcome.REFUSED):
        extra = {"reasons": [WithholdingReason.THIRD_PERSON], "reason_text": "第三者の情報を含むため。"}
    elif outcome not in services.GRANTING_OUTCOMES:
        extra = {"reason_text": "理由。"}
    services.request_decide(actor=officer, request=pr, outcome=outcome, decided_on=on or d(6, 10), **extra)
    pr.refresh_from_db()
    return pr


# --- intake ----------------------------------------------------------------------------------------


def test_receive_numbers_requests_by_wareki_year_kind_and_sequence(officer) -> None:
    first = receive(officer)
    second = receive(officer)
    correction = receive(officer, kind="correction", disclosed_on=d(5, 20), correction_content="住所の訂正")
    heisei = receive(officer, received_on=dt.date(2019, 4, 30))
    reiwa_first = receive(officer, received_on=dt.date(2019, 5, 1))

    assert [first.number, second.number] == ["R8-開示-0001", "R8-開示-0002"]
    assert correction.number == "R8-訂正-0001"
    assert heisei.number == "H31-開示-0001"
    assert reiwa_first.number == "R1-開示-0001"


def test_receive_fixes_the_current_profile_and_the_first_deadline(officer) -> None:
    pr = receive(officer)

    assert pr.profile.code == "yamanashi-15"
    assert pr.status == RequestStatus.RECEIVED
    assert pr.due_on == d(6, 16)  # 要綱 第24条: 15 days, the day of receipt not counted
    assert pr.clock_stopped is False
    event = AuditEvent.objects.get(action="privacy_request.receive")
    assert event.target_type == "privacy_request" and event.target_id == str(pr.pk)
    assert event.detail["number"] == pr.number and event.detail["profile"] == "yamanashi-15"


def test_receive_under_the_appi_profile_gives_thirty_days(officer) -> None:
    rule_profile_make_current(actor=officer, profile=RuleProfile.objects.get(code="appi"))

    pr = receive(officer)

    assert pr.profile.code == "appi"
    assert pr.due_on == d(7, 1)


def test_switching_the_library_profile_does_not_move_a_running_deadline(officer) -> None:
    pr = receive(officer)
    rule_profile_make_current(actor=officer, profile=RuleProfile.objects.get(code="appi"))

    services.request_extend(
        actor=officer, request=pr, days=5, reason="確認に時間を要するため", notified_on=d(6, 5)
    )

    assert pr.profile.code == "yamanashi-15"
    assert pr.due_on == d(6, 21)  # 15 + 5 days, not APPI's 30


def test_receive_corrections_and_suspensions_have_thirty_days(officer) -> None:
    correction = receive(officer, kind="correction", disclosed_on=d(5, 20), correction_content="住所の訂正")
    suspension = receive(officer, kind="suspension", disclosed_on=d(5, 20), suspension_kind="erase")

    assert correction.due_on == suspension.due_on == d(7, 1)  # 要綱 第34条, 第41条


def test_a_representative_must_name_the_principal_and_the_proof_of_representation(officer) -> None:
    refused(
        lambda: receive(officer, requester_kind="minor_representative"),
        "principal_name",
        "本人（情報の主体）の氏名",
    )
    refused(
        lambda: receive(officer, requester_kind="ward_representative", principal_name="請求 一郎"),
        "representation_document",
        "代理権を確認した書類",
    )
    pr = receive(
        officer,
        requester_kind="minor_representative",
        principal_name="請求 一郎",
        representation_document="戸籍謄本",
    )
    assert (pr.principal_name, pr.representation_document) == ("請求 一郎", "戸籍謄本")


def test_a_person_asking_for_themself_keeps_no_representative_fields(officer) -> None:
    pr = receive(officer, principal_name="誰か", representation_document="委任状")

    assert pr.principal_name == pr.representation_document == ""


def test_the_proof_of_representation_is_recorded_by_type_never_by_number(officer) -> None:
    refused(
        lambda: receive(
            officer,
            requester_kind="minor_representative",
            principal_name="請求 一郎",
            representation_document="戸籍謄本 第12345号",
        ),
        "representation_document",
        "番号は記録しません",
    )


@pytest.mark.parametrize(
    "code", ["", "passport_number_123", "school_roster", "library_card", "drivers license"]
)
def test_the_identity_document_must_come_from_the_configured_list(officer, code: str) -> None:
    refused(lambda: receive(officer, identity_document_type=code), "identity_document_type", "本人確認書類")


def test_identity_documents_offered_are_the_patrons_list_without_roster_and_library_card() -> None:
    codes = {code for code, _label in services.request_identity_documents()}

    assert {"drivers_license", "passport", "my_number_card", "resident_record"} <= codes
    assert "school_roster" not in codes and "library_card" not in codes


def test_blank_requester_name_and_information_are_refused_together(officer) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        receive(officer, requester_name="  ", information_requested="")
    assert set(info.value.message_dict) >= {"requester_name", "information_requested"}
    assert snapshot() == before


def test_invisible_characters_and_overlong_names_are_refused(officer) -> None:
    refused(lambda: receive(officer, requester_name="請求\u202e花子"), "requester_name", "見えない文字")
    refused(lambda: receive(officer, requester_name="長" * 61), "requester_name", "60文字以内")


def test_a_request_received_in_the_future_is_refused(officer) -> None:
    refused(lambda: receive(officer, received_on=d(6, 16)), "received_on", "未来の日付")


@pytest.mark.parametrize(
    "field,value", [("kind", "appeal"), ("channel", "fax"), ("requester_kind", "friend")]
)
def test_unknown_choices_are_refused(officer, field: str, value: str) -> None:
    refused(lambda: receive(officer, **{field: value}), field)


def test_a_card_number_links_the_patron_and_the_event_names_the_patron_by_id(officer, central) -> None:
    patron = make_patron(registered_branch=central)

    pr = receive(officer, card_number=patron.card_number)

    assert pr.patron == patron
    event = AuditEvent.objects.get(action="privacy_request.receive")
    assert event.patron_id == patron.pk
    assert patron.card_number not in json.dumps(event.detail, ensure_ascii=False)


@pytest.mark.parametrize("card", ["2199999999", "abc", "1" * 40])
def test_an_unknown_card_number_is_a_field_error_not_a_404(officer, card: str) -> None:
    refused(lambda: receive(officer, card_number=card), "card_number", "該当する利用者が見つかりません")


def test_a_correction_needs_the_disclosure_date_and_what_to_correct(officer) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        receive(officer, kind="correction")
    errors = info.value.message_dict
    assert "開示を受けた日を入力してください" in errors["disclosed_on"][0]
    assert "訂正を求める内容" in errors["correction_content"][0]
    assert snapshot() == before


def test_a_suspension_needs_the_measure_asked_for(officer) -> None:
    refused(
        lambda: receive(officer, kind="suspension", disclosed_on=d(5, 20), suspension_kind="burn"),
        "suspension_kind",
        "利用の停止・消去・提供の停止",
    )


def test_a_correction_outside_ninety_days_of_the_disclosure_is_refused_at_intake(officer) -> None:
    text = refused(
        lambda: receive(
            officer, kind="correction", received_on=d(6, 15), disclosed_on=d(3, 13), correction_content="x"
        ),
        "disclosed_on",
        "開示を受けた日から90日（末日が閉庁日の場合は翌開庁日）を過ぎているため、訂正請求はできません（要綱 第30条第3項）。",
    )
    assert "請求できたのは令和8年6月11日までです。" in text


def test_the_ninety_day_window_ends_on_the_next_open_day_when_its_last_day_is_closed(officer) -> None:
    # Disclosed 15 March: day 90 is Saturday 13 June, so the window runs to Monday 15 June (地方自治法 第4条の2).
    pr = receive(
        officer, kind="correction", received_on=d(6, 15), disclosed_on=d(3, 15), correction_content="x"
    )
    assert pr.disclosed_on == d(3, 15)

    refused(
        lambda: receive(
            officer, kind="suspension", received_on=d(6, 15), disclosed_on=d(3, 14), suspension_kind="erase"
        ),
        "disclosed_on",
        "利用停止請求はできません（要綱 第37条第3項）",
        "令和8年6月12日",
    )


def test_the_disclosure_cannot_come_after_the_request(officer) -> None:
    refused(
        lambda: receive(
            officer, kind="correction", received_on=d(6, 1), disclosed_on=d(6, 2), correction_content="x"
        ),
        "disclosed_on",
        "受付日より後",
    )


def test_a_correction_can_rest_on_a_carried_out_disclosure_and_take_its_date(officer) -> None:
    disclosure = decided(officer, on=d(6, 2))
    services.disclosure_carry_out(
        actor=officer,
        request=disclosure,
        method="copy",
        method_requested_on=d(6, 3),
        carried_out_on=d(6, 5),
        fee_yen=0,
    )

    correction = receive(
        officer, kind="correction", received_on=d(6, 12), based_on=disclosure, correction_content="x"
    )

    assert correction.based_on == disclosure and correction.disclosed_on == d(6, 5)


def test_only_a_disclosure_request_can_be_the_basis(officer) -> None:
    suspension = receive(officer, kind="suspension", disclosed_on=d(5, 20), suspension_kind="erase")

    refused(
        lambda: receive(
            officer, kind="correction", disclosed_on=d(5, 20), correction_content="x", based_on=suspension
        ),
        "based_on",
        "開示請求を指定",
    )


# --- the deadline in force ---------------------------------------------------------------------------


def test_a_deadline_on_a_closed_day_is_not_moved_but_warned_with_the_last_open_day(officer) -> None:
    pr = receive(officer, received_on=d(6, 5))  # Friday + 15 = Saturday 20 June

    deadline = services.request_deadline(pr)

    assert deadline.due_on == d(6, 20)
    assert deadline.falls_on_closed_day and deadline.closed_reason == "土曜日"
    assert deadline.last_open_day_before == d(6, 19)


def test_the_librarys_own_closed_days_are_warned_about(officer) -> None:
    ClosedDay.objects.create(date=d(6, 16), reason="館内整理日")
    pr = receive(officer)

    deadline = services.request_deadline(pr)

    assert deadline.due_on == d(6, 16)
    assert deadline.closed_reason == "休館日" and deadline.last_open_day_before == d(6, 15)


# --- 補正 ------------------------------------------------------------------------------------------------


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


# --- extensions ----------------------------------------------------------------------------------------


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
        "要綱 第24条第2項",
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


# --- special extensions ---------------------------------------------------------------------------------


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
        "要綱 第25条",
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


def test_a_partial_scope_decision_needs_a_special_extension(officer) -> None:
    pr = receive(officer)

    refused(
        lambda: services.request_decide(
            actor=officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 10), is_partial_scope=True
        ),
        "is_partial_scope",
        "期限の特例",
    )


# --- third parties -------------------------------------------------------------------------------------


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
        "要綱 第26条第3項",
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


# --- decisions -----------------------------------------------------------------------------------------


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
    assert "要綱 第19条各号" in info.value.message_dict["reasons"][0]
    assert "理由を記載してください（要綱 第23条第3項）" in info.value.message_dict["reason_text"][0]
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
        "要綱 第33条第3項",
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


# --- carrying out --------------------------------------------------------------------------------------


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
        "要綱 第27条第3項",
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
    refused(
        lambda: services.disclosure_carry_out(**call, fee_yen=120), "fee_basis", "実費の内訳", "要綱 第28条"
    )
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
        "要綱 第36条",
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


# --- the access log -------------------------------------------------------------------------------------


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


def test_the_callers_instance_is_left_as_it_was_when_a_step_is_refused(officer) -> None:
    pr = receive(officer)

    with pytest.raises(ValidationError):
        services.request_extend(actor=officer, request=pr, days=99, reason="x", notified_on=d(6, 5))

    assert pr.due_on == d(6, 16) and not pr.extensions.exists()
    assert isinstance(services.request_deadline(pr), deadlines.Deadline)
    assert pr.kind == RequestKind.DISCLOSURE and not DisclosureExecution.objects.exists()


def test_without_a_rule_profile_in_force_nothing_is_received(officer) -> None:
    RuleProfile.objects.update(is_current=False)

    refused(lambda: receive(officer), "__all__", "期限ルールが選ばれていない")
