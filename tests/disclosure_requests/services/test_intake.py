"""disclosure_requests.services.intake: receiving a request: its number, the rule profile fixed at intake,
the requester and representative, a correction's 90-day window (要綱 第17–18条, 第30–31条, 第37–38条).

"Today" is Monday 15 June 2026 (see request_helpers). A request received on 1 June under the 山梨県
profile is due 16 June (15 days, the day of receipt not counted).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import services
from disclosure_requests.models import (
    RequestStatus,
    RuleProfile,
)
from disclosure_requests.profiles import rule_profile_make_current
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron

from ..request_helpers import d, receive, snapshot
from .helpers import decided, refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


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
        "開示を受けた日から90日（末日が閉庁日の場合は翌開庁日）を過ぎているため、訂正請求はできません（山梨県 要綱第30条第3項）。",
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
        "利用停止請求はできません（山梨県 要綱第37条第3項）",
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


def test_without_a_rule_profile_in_force_nothing_is_received(officer) -> None:
    RuleProfile.objects.update(is_current=False)

    refused(lambda: receive(officer), "__all__", "期限ルールが選ばれていない")
