"""Incident services (要綱 第48条; 個人情報保護法 第68条): numbering per 年度, every step audited and kept in
the history, bad input refused with a clear message and nothing changed, the close refused while a step
is missing (the reads: test_selectors; the demo data: test_demo)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from incidents import selectors, services
from incidents.deadlines import Step
from incidents.models import Incident
from privacy_admin.audit.labels import ACTION_LABELS
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.dataitems import DataItem
from tests.incidents.helpers import (
    CIRCUMSTANCES,
    NOW,
    TODAY,
    at,
    complete_all_steps,
    d,
    facts,
    frozen_now,  # noqa: F401
    record,
    snapshot,
)
from tests.register.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def messages_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def refused(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    """Call a service that must refuse; assert nothing changed; return its messages."""
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    assert snapshot() == before
    return messages_of(exc)


# --- record ------------------------------------------------------------------------------------------


def test_record_numbers_incidents_in_the_requests_style_and_audits_without_personal_data(
    privacy_officer,
) -> None:
    first = record(privacy_officer)
    second = record(privacy_officer, discovered_at=at(4, 1, 9, 0))
    last_year = record(privacy_officer, discovered_at=at(12, 31, 23, 0, year=2025))  # 令和7年
    # One numbering style with the requests (R8-開示-0001) and complaints (R8-苦情-001).
    assert (first.number, second.number, last_year.number) == ("R8-事案-001", "R8-事案-002", "R7-事案-001")
    assert first.status == Incident.Status.OPEN and first.recorded_by == privacy_officer
    event = AuditEvent.objects.filter(action="incident.record", target_id=str(first.pk)).get()
    assert event.detail["people_count"] == 120 and event.detail["reportable"] is True
    assert event.detail["data_items"] == [DataItem.EMAIL]
    dumped = json.dumps([e.detail for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert CIRCUMSTANCES not in dumped and "管理係 職員" not in dumped
    assert [h.history_change_reason for h in first.history.all()] == ["record"]


def test_record_links_register_entries_and_orders_items_by_the_vocabulary(privacy_officer) -> None:
    entry = make_entry()
    incident = record(
        privacy_officer, data_items=[DataItem.EMAIL, DataItem.NAME, DataItem.EMAIL], register_entries=[entry]
    )
    assert incident.data_items == [DataItem.NAME, DataItem.EMAIL]
    assert list(incident.register_entries.all()) == [entry]


def test_more_than_100_people_makes_the_incident_reportable_at_once(privacy_officer) -> None:
    assert record(privacy_officer, people_count=101).reportable
    assert not record(privacy_officer, people_count=100).reportable


@pytest.mark.parametrize(
    ("overrides", "key", "text"),
    [
        ({"discovered_at": at(6, 16, 9, 0)}, "discovered_at", "未来の日時"),
        ({"discovered_at": dt.datetime(2026, 6, 1, 9, 0)}, "discovered_at", "タイムゾーン"),
        ({"discovered_at": None}, "discovered_at", "発覚日時を入力"),
        ({"discovered_at": d(6, 1)}, "discovered_at", "正しい日時"),
        ({"occurred_at": at(6, 15, 11, 0)}, "occurred_at", "発覚日時より後"),
        ({"people_count": -1}, "people_count", "1以上"),
        ({"people_count": 0}, "people_count", "1以上"),
        ({"people_count": True}, "people_count", "整数"),
        ({"people_count": "120"}, "people_count", "整数"),
        ({"people_count": None}, "people_count", "整数"),
        ({"data_items": [], "other_items": ""}, "data_items", "1つ以上"),
        ({"data_items": ["shoe_size"]}, "data_items", "一覧"),
        ({"data_items": "email"}, "data_items", "一覧"),
        ({"kind": "fire"}, "kind", "種別を選んで"),
        ({"title": "  "}, "title", "件名を入力"),
        ({"title": "x" * 201}, "title", "200文字以内"),
        ({"place": ""}, "place", "発生場所を入力"),
        ({"circumstances": ""}, "circumstances", "発生状況を入力"),
        ({"discovered_by": "職員\u200b"}, "discovered_by", "見えない文字"),
        ({"register_entries": [999999]}, "register_entries", "見つかりません"),
    ],
)
def test_bad_facts_are_refused_with_a_clear_message_and_nothing_changes(
    privacy_officer, overrides: dict[str, Any], key: str, text: str
) -> None:
    errors = refused(services.incident_record, actor=privacy_officer, **facts(**overrides))
    assert any(text in m for m in errors[key]), errors


def test_every_bad_field_is_reported_at_once(privacy_officer) -> None:
    errors = refused(
        services.incident_record,
        actor=privacy_officer,
        **facts(title="", people_count=-3, discovered_at=at(7, 1), kind=""),
    )
    assert {"title", "people_count", "discovered_at", "kind"} <= set(errors)


def test_other_items_alone_are_enough(privacy_officer) -> None:
    incident = record(privacy_officer, data_items=[], other_items="紙の申込書の記載事項")
    assert incident.data_items == [] and incident.other_items == "紙の申込書の記載事項"


# --- facts -------------------------------------------------------------------------------------------


def test_update_facts_changes_the_facts_keeps_the_number_and_the_history(privacy_officer) -> None:
    incident = record(privacy_officer, people_count=5)
    assert not incident.reportable
    services.incident_update_facts(actor=privacy_officer, incident=incident, **facts(people_count=150))
    assert incident.people_count == 150 and incident.reportable and incident.number == "R8-事案-001"
    assert [h.history_change_reason for h in incident.history.order_by("history_date")] == ["record", "facts"]
    event = AuditEvent.objects.get(action="incident.update_facts")
    assert event.detail["reportable_changed"] is True


def test_update_facts_cannot_move_the_discovery_after_a_recorded_step(privacy_officer) -> None:
    incident = record(privacy_officer, discovered_at=at(6, 10, 9, 0))
    services.incident_board_report(
        actor=privacy_officer, incident=incident, reported_at=at(6, 10, 10, 0), reported_by="館長"
    )
    errors = refused(
        services.incident_update_facts,
        actor=privacy_officer,
        incident=incident,
        **facts(discovered_at=at(6, 11, 9, 0)),
    )
    assert "第一報" in errors["discovered_at"][0]


# --- board (要綱 第48条) -----------------------------------------------------------------------------


def test_board_report_records_time_and_who(privacy_officer) -> None:
    incident = record(privacy_officer)
    services.incident_board_report(
        actor=privacy_officer, incident=incident, reported_at=at(6, 15, 10, 30), reported_by="館長"
    )
    assert incident.board_reported_at == at(6, 15, 10, 30) and incident.board_reported_by == "館長"
    event = AuditEvent.objects.get(action="incident.board_report")
    assert event.detail == {"corrected": False, "same_day": True}
    item = next(i for i in selectors.incident_due_items(incident) if i.step == Step.BOARD_FIRST_REPORT)
    assert item.done and not item.late


@pytest.mark.parametrize(
    ("reported_at", "reported_by", "key", "text"),
    [
        (at(6, 15, 9, 0), "館長", "reported_at", "発覚日時より前"),
        (at(6, 15, 13, 0), "館長", "reported_at", "未来"),
        (None, "館長", "reported_at", "入力"),
        (at(6, 15, 10, 0), "", "reported_by", "入力"),
    ],
)
def test_bad_board_report_is_refused(
    privacy_officer, reported_at: Any, reported_by: str, key: str, text: str
) -> None:
    incident = record(privacy_officer)
    errors = refused(
        services.incident_board_report,
        actor=privacy_officer,
        incident=incident,
        reported_at=reported_at,
        reported_by=reported_by,
    )
    assert text in errors[key][0]


# --- written report ----------------------------------------------------------------------------------


def test_written_report_is_refused_before_the_first_report_to_the_board(privacy_officer) -> None:
    incident = record(privacy_officer)
    errors = refused(
        services.incident_written_report,
        actor=privacy_officer,
        incident=incident,
        submitted_on=d(6, 15),
        cause="原因",
        prevention_plan="対策",
    )
    assert "第一報" in errors["__all__"][0]


def test_written_report_is_refused_before_the_first_measures(privacy_officer) -> None:
    incident = record(privacy_officer, first_measures="")
    services.incident_board_report(
        actor=privacy_officer, incident=incident, reported_at=at(6, 15, 10, 0), reported_by="館長"
    )
    errors = refused(
        services.incident_written_report,
        actor=privacy_officer,
        incident=incident,
        submitted_on=d(6, 15),
        cause="原因",
        prevention_plan="対策",
    )
    assert "応急措置" in errors["__all__"][0]


def test_written_report_records_date_cause_and_plan_and_refuses_bad_input(privacy_officer) -> None:
    incident = record(privacy_officer, discovered_at=at(6, 10, 9, 0))
    services.incident_board_report(
        actor=privacy_officer, incident=incident, reported_at=at(6, 11, 9, 0), reported_by="館長"
    )
    errors = refused(
        services.incident_written_report,
        actor=privacy_officer,
        incident=incident,
        submitted_on=d(6, 10),
        cause="",
        prevention_plan="",
    )
    assert set(errors) == {"submitted_on", "cause", "prevention_plan"}
    assert "第一報の日より前" in errors["submitted_on"][0]
    future = refused(
        services.incident_written_report,
        actor=privacy_officer,
        incident=incident,
        submitted_on=d(6, 16),
        cause="c",
        prevention_plan="p",
    )
    assert "未来" in future["submitted_on"][0]
    services.incident_written_report(
        actor=privacy_officer, incident=incident, submitted_on=d(6, 12), cause="原因", prevention_plan="対策"
    )
    assert (incident.written_report_on, incident.cause, incident.prevention_plan) == (
        d(6, 12),
        "原因",
        "対策",
    )


# --- checklist and Commission -------------------------------------------------------------------------


def test_set_triggers_records_the_checklist_and_its_result(privacy_officer) -> None:
    incident = record(privacy_officer, people_count=3)
    assert selectors.checklist_confirmed_at(incident) is None
    services.incident_set_triggers(
        actor=privacy_officer,
        incident=incident,
        involves_sensitive=False,
        financial_harm=False,
        wrongful_purpose=True,
    )
    assert incident.wrongful_purpose and incident.reportable
    # The time is a field of the incident (and of its version), read without the history's reasons.
    assert incident.checklist_confirmed_at == NOW
    assert selectors.checklist_confirmed_at(incident) == NOW
    assert incident.history.first().checklist_confirmed_at == NOW
    event = AuditEvent.objects.get(action="incident.set_triggers")
    assert event.detail["reportable"] is True and event.detail["more_than_100"] is False
    final = next(i for i in selectors.incident_due_items(incident) if i.step == Step.COMMISSION_FINAL_REPORT)
    assert final.timing == "60日以内" and final.due_on == d(8, 13)


def test_set_triggers_refuses_a_value_that_is_not_yes_or_no(privacy_officer) -> None:
    incident = record(privacy_officer)
    errors = refused(
        services.incident_set_triggers,
        actor=privacy_officer,
        incident=incident,
        involves_sensitive="yes",
        financial_harm=False,
        wrongful_purpose=None,
    )
    assert set(errors) == {"involves_sensitive", "wrongful_purpose"}


def test_commission_report_is_refused_when_no_trigger_is_met(privacy_officer) -> None:
    incident = record(privacy_officer, people_count=1)
    errors = refused(
        services.incident_commission_report,
        actor=privacy_officer,
        incident=incident,
        stage="first",
        reported_at=at(6, 15, 11, 0),
    )
    assert "報告対象の事態" in errors["__all__"][0]


def test_final_report_before_the_first_is_refused(privacy_officer) -> None:
    incident = record(privacy_officer)
    errors = refused(
        services.incident_commission_report,
        actor=privacy_officer,
        incident=incident,
        stage="final",
        reported_on=d(6, 15),
    )
    assert "速報を記録してから" in errors["__all__"][0]


def test_final_report_dated_before_the_first_is_refused(privacy_officer) -> None:
    incident = record(privacy_officer, discovered_at=at(6, 1, 9, 0))
    services.incident_commission_report(
        actor=privacy_officer, incident=incident, stage="first", reported_at=at(6, 3, 9, 0)
    )
    errors = refused(
        services.incident_commission_report,
        actor=privacy_officer,
        incident=incident,
        stage="final",
        reported_on=d(6, 2),
    )
    assert "速報の日より前" in errors["reported_on"][0]


def test_commission_reports_are_recorded_and_audited_with_their_timeliness(privacy_officer) -> None:
    incident = record(privacy_officer, discovered_at=at(6, 1, 9, 0))
    services.incident_commission_report(
        actor=privacy_officer, incident=incident, stage="first", reported_at=at(6, 5, 9, 0)
    )
    services.incident_commission_report(
        actor=privacy_officer, incident=incident, stage="final", reported_on=d(6, 12)
    )
    assert incident.commission_first_report_at == at(6, 5, 9, 0) and incident.commission_final_report_on == d(
        6, 12
    )
    first = AuditEvent.objects.get(action="incident.commission_first_report")
    final = AuditEvent.objects.get(action="incident.commission_final_report")
    assert first.detail["on_time"] is False  # the 3rd day was 6/3
    assert final.detail["on_time"] is True


@pytest.mark.parametrize("stage", ["", "both", None])
def test_commission_report_with_an_unknown_stage_is_refused(privacy_officer, stage: Any) -> None:
    incident = record(privacy_officer)
    errors = refused(
        services.incident_commission_report,
        actor=privacy_officer,
        incident=incident,
        stage=stage,
        reported_at=at(6, 15, 11, 0),
    )
    assert "stage" in errors


def test_a_datetime_where_a_day_is_expected_is_refused(privacy_officer) -> None:
    incident = record(privacy_officer)
    services.incident_commission_report(
        actor=privacy_officer, incident=incident, stage="first", reported_at=at(6, 15, 11, 0)
    )
    errors = refused(
        services.incident_commission_report,
        actor=privacy_officer,
        incident=incident,
        stage="final",
        reported_on=at(6, 15, 11, 30),
    )
    assert "正しい日付" in errors["reported_on"][0]


# --- persons ------------------------------------------------------------------------------------------


def test_persons_notified_records_day_and_method_and_refuses_bad_input(privacy_officer) -> None:
    incident = record(privacy_officer, discovered_at=at(6, 10, 9, 0))
    errors = refused(
        services.incident_persons_notified,
        actor=privacy_officer,
        incident=incident,
        notified_on=d(6, 9),
        method="",
    )
    assert "発覚日より前" in errors["notified_on"][0] and "入力" in errors["method"][0]
    services.incident_persons_notified(
        actor=privacy_officer, incident=incident, notified_on=d(6, 11), method="個別の電子メール"
    )
    assert incident.persons_notified_on == d(6, 11) and incident.persons_notice_method == "個別の電子メール"


# --- close -------------------------------------------------------------------------------------------


def test_close_is_refused_with_the_list_of_missing_steps(privacy_officer) -> None:
    incident = record(privacy_officer, first_measures="")
    errors = refused(services.incident_close, actor=privacy_officer, incident=incident, closed_on=TODAY)
    lines = errors["__all__"]
    assert lines[0] == "次の手続きが記録されていないため、完了にできません。"
    assert lines[1:] == [
        "・教育委員会への第一報（山梨県 要綱第48条第1項）",
        "・応急措置の内容（山梨県 要綱第48条第1項）",
        "・報告書及び今後の対処方針の提出（山梨県 要綱第48条第1項）",
        "・報告対象の事態に当たるかのチェックリスト（規則 第43条）",
        "・個人情報保護委員会への速報（法第68条第1項、規則 第44条第1項）",
        "・個人情報保護委員会への確報（法第68条第1項、規則 第44条第2項）",
        "・本人への通知（法第68条第2項）",
    ]


def test_not_reportable_incident_closes_without_the_commission(privacy_officer) -> None:
    incident = complete_all_steps(privacy_officer, record(privacy_officer, people_count=2))
    services.incident_close(actor=privacy_officer, incident=incident, closed_on=TODAY)
    assert incident.status == Incident.Status.CLOSED and incident.closed_on == TODAY


def test_reportable_incident_closes_once_every_step_is_recorded_and_then_nothing_changes(
    privacy_officer,
) -> None:
    incident = complete_all_steps(privacy_officer, record(privacy_officer))
    services.incident_close(actor=privacy_officer, incident=incident, closed_on=TODAY)
    assert incident.status == Incident.Status.CLOSED
    reasons = [h.history_change_reason for h in incident.history.order_by("history_date", "history_id")]
    assert reasons == [
        "record",
        "board_report",
        "set_triggers",
        "written_report",
        "commission_first_report",
        "commission_final_report",
        "persons_notified",
        "close",
    ]
    again = refused(services.incident_close, actor=privacy_officer, incident=incident, closed_on=TODAY)
    assert "すでに完了" in again["__all__"][0]
    after = refused(
        services.incident_board_report,
        actor=privacy_officer,
        incident=incident,
        reported_at=at(6, 15, 10, 0),
        reported_by="館長",
    )
    assert "完了しているため" in after["__all__"][0]
    facts_after = refused(services.incident_update_facts, actor=privacy_officer, incident=incident, **facts())
    assert "完了しているため" in facts_after["__all__"][0]


def test_close_before_the_last_step_or_in_the_future_is_refused(privacy_officer) -> None:
    incident = complete_all_steps(privacy_officer, record(privacy_officer, discovered_at=at(6, 1, 9, 0)))
    early = refused(services.incident_close, actor=privacy_officer, incident=incident, closed_on=d(6, 14))
    assert "最後の手続きの日" in early["closed_on"][0]
    future = refused(services.incident_close, actor=privacy_officer, incident=incident, closed_on=d(6, 16))
    assert "未来" in future["closed_on"][0]


def test_every_incident_action_has_a_label() -> None:
    for action in (
        "incident.record",
        "incident.view",
        "incident.update_facts",
        "incident.board_report",
        "incident.written_report",
        "incident.set_triggers",
        "incident.commission_first_report",
        "incident.commission_final_report",
        "incident.persons_notified",
        "incident.close",
        "annual_report.download",
    ):
        assert action in ACTION_LABELS
