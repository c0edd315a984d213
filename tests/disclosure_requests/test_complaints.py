"""苦情 (要綱 第45条): receive with a 和暦 number, assign to a privacy officer, answer, close; counts per
fiscal year (the pages are in test_complaint_views)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import complaints
from disclosure_requests.models import Channel, Complaint
from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.calendar import fiscal_year_label

from . import factories as f
from .complaint_helpers import COMPLAINANT, receive_complaint

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- services --------------------------------------------------------------------------------------


def test_receive_numbers_by_wareki_year(privacy_officer: Any) -> None:
    first = receive_complaint(privacy_officer)
    second = receive_complaint(privacy_officer, complainant_name="", contact="")
    older = receive_complaint(privacy_officer, received_on=dt.date(2025, 12, 26))
    assert first.number == "R8-苦情-001"
    assert second.number == "R8-苦情-002"
    assert older.number == "R7-苦情-001"
    assert first.status == Complaint.Status.OPEN
    event = AuditEvent.objects.filter(action="complaint.receive").first()
    assert event is not None and event.target_type == "complaint"
    # The access log names the complaint by id, never the complainant.
    assert COMPLAINANT not in str(AuditEvent.objects.values_list("detail", flat=True))


def test_receive_links_a_request(privacy_officer: Any) -> None:
    request = f.make_request()
    complaint = receive_complaint(privacy_officer, related_request=request)
    assert complaint.related_request == request
    assert AuditEvent.objects.get(action="complaint.receive").detail == {"related_request_id": request.pk}


def test_receive_validates(privacy_officer: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        receive_complaint(
            privacy_officer, received_on=f.today() + dt.timedelta(days=1), summary="  ", channel="fax"
        )
    errors = _errors(exc)
    assert errors["received_on"] == ["受付日に未来の日付は入力できません。"]
    assert errors["summary"] == ["苦情の内容を入力してください。"]
    assert errors["channel"] == ["受付方法を選んでください。"]
    assert not Complaint.objects.exists()


def test_only_privacy_officers_can_be_assigned(
    privacy_officer: Any, administrator: Any, counter_staff: Any
) -> None:
    complaint = receive_complaint(privacy_officer)
    for user in (counter_staff, administrator, None):
        with pytest.raises(ValidationError) as exc:
            complaints.complaint_assign(actor=administrator, complaint=complaint, assignee=user)
        assert "個人情報保護責任者" in _errors(exc)["assignee"][0]
    complaint = complaints.complaint_assign(
        actor=administrator, complaint=complaint, assignee=privacy_officer
    )
    assert complaint.assigned_to == privacy_officer
    event = AuditEvent.objects.get(action="complaint.assign")
    assert event.detail == {"assignee_id": privacy_officer.pk}


def test_answer_dates(privacy_officer: Any) -> None:
    complaint = receive_complaint(privacy_officer)
    with pytest.raises(ValidationError) as exc:
        complaints.complaint_answer(
            actor=privacy_officer,
            complaint=complaint,
            answer="回答",
            answered_on=complaint.received_on - dt.timedelta(days=1),
        )
    assert _errors(exc)["answered_on"] == ["回答日が受付日より前です。"]
    with pytest.raises(ValidationError) as exc:
        complaints.complaint_answer(
            actor=privacy_officer,
            complaint=complaint,
            answer="",
            answered_on=f.today() + dt.timedelta(days=1),
        )
    assert "answer" in _errors(exc) and "answered_on" in _errors(exc)
    complaint = complaints.complaint_answer(
        actor=privacy_officer,
        complaint=complaint,
        answer="はがきには資料名を記載していません。",
        answered_on=f.today(),
    )
    assert complaint.status == Complaint.Status.ANSWERED
    assert complaint.answered_on == f.today()


def test_close_only_after_answer(privacy_officer: Any) -> None:
    complaint = receive_complaint(privacy_officer)
    with pytest.raises(ValidationError) as exc:
        complaints.complaint_close(actor=privacy_officer, complaint=complaint, closed_on=f.today())
    assert _errors(exc)["closed_on"] == ["回答を記録してから完了にしてください。"]
    answered_on = f.today() - dt.timedelta(days=1)
    complaints.complaint_answer(
        actor=privacy_officer, complaint=complaint, answer="回答しました。", answered_on=answered_on
    )
    with pytest.raises(ValidationError) as exc:
        complaints.complaint_close(
            actor=privacy_officer, complaint=complaint, closed_on=answered_on - dt.timedelta(days=1)
        )
    assert _errors(exc)["closed_on"] == ["完了日が回答日より前です。"]
    with pytest.raises(ValidationError):
        complaints.complaint_close(
            actor=privacy_officer, complaint=complaint, closed_on=f.today() + dt.timedelta(days=1)
        )
    complaint = complaints.complaint_close(actor=privacy_officer, complaint=complaint, closed_on=f.today())
    assert complaint.status == Complaint.Status.CLOSED
    with pytest.raises(ValidationError):
        complaints.complaint_answer(
            actor=privacy_officer, complaint=complaint, answer="追記", answered_on=f.today()
        )
    with pytest.raises(ValidationError):
        complaints.complaint_close(actor=privacy_officer, complaint=complaint, closed_on=f.today())
    with pytest.raises(ValidationError):
        complaints.complaint_assign(actor=privacy_officer, complaint=complaint, assignee=privacy_officer)
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="complaint.").order_by("seq")] == [
        "complaint.receive",
        "complaint.answer",
        "complaint.close",
    ]


def test_count_by_fiscal_year_runs_april_to_march(privacy_officer: Any) -> None:
    receive_complaint(privacy_officer, received_on=dt.date(2025, 3, 31))  # 令和6年度
    april = receive_complaint(
        privacy_officer, received_on=dt.date(2025, 4, 1), channel=Channel.MAIL
    )  # 令和7年度
    receive_complaint(privacy_officer, received_on=dt.date(2026, 3, 31))  # 令和7年度
    receive_complaint(privacy_officer, received_on=dt.date(2026, 4, 1))  # 令和8年度
    complaints.complaint_answer(
        actor=privacy_officer, complaint=april, answer="回答", answered_on=dt.date(2025, 4, 10)
    )
    counts = complaints.complaints_count_by_fiscal_year(2025)
    assert counts["label"] == "令和7年度"
    assert (counts["start"], counts["end"]) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert counts["received"] == 2
    assert counts["open"] == 1
    assert counts["answered"] == 1
    assert counts["closed"] == 0
    assert counts["answered_in_year"] == 1
    assert counts["by_channel"] == {"counter": 1, "phone": 0, "mail": 1, "online": 0}
    assert complaints.complaints_count_by_fiscal_year(2024)["received"] == 1
    assert complaints.complaints_count_by_fiscal_year(2026)["received"] == 1
    assert complaints.complaint_fiscal_years() == [2026, 2025, 2024]
    assert fiscal_year_label(2019) == "令和元年度"


def test_complaint_actions_have_labels() -> None:
    for action in (
        "complaint.receive",
        "complaint.view",
        "complaint.assign",
        "complaint.answer",
        "complaint.close",
    ):
        assert ACTION_LABELS[action]
    assert ACTION_GROUP_LABELS["complaint."] == "苦情（すべて）"
