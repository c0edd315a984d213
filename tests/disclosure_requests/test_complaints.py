"""苦情 (要綱 第45条): receive with a 和暦 number, assign to a privacy officer, answer, close; counts per
fiscal year; the pages and who may use them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disclosure_requests import complaints
from disclosure_requests.models import Channel, Complaint
from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.calendar import fiscal_year_label

from . import factories as f

pytestmark = pytest.mark.django_db

NAME = "苦情 申出子"


def _receive(actor: Any, **kwargs: Any) -> Complaint:
    values: dict[str, Any] = {
        "received_on": f.today() - dt.timedelta(days=3),
        "channel": Channel.COUNTER,
        "complainant_name": NAME,
        "contact": "090-0000-0000",
        "summary": "督促のはがきに資料名が書かれていないか心配です。",
    }
    values.update(kwargs)
    return complaints.complaint_receive(actor=actor, **values)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- services --------------------------------------------------------------------------------------


def test_receive_numbers_by_wareki_year(privacy_officer: Any) -> None:
    first = _receive(privacy_officer)
    second = _receive(privacy_officer, complainant_name="", contact="")
    older = _receive(privacy_officer, received_on=dt.date(2025, 12, 26))
    assert first.number == "R8-苦情-001"
    assert second.number == "R8-苦情-002"
    assert older.number == "R7-苦情-001"
    assert first.status == Complaint.Status.OPEN
    event = AuditEvent.objects.filter(action="complaint.receive").first()
    assert event is not None and event.target_type == "complaint"
    # The access log names the complaint by id, never the complainant.
    assert NAME not in str(AuditEvent.objects.values_list("detail", flat=True))


def test_receive_links_a_request(privacy_officer: Any) -> None:
    request = f.make_request()
    complaint = _receive(privacy_officer, related_request=request)
    assert complaint.related_request == request
    assert AuditEvent.objects.get(action="complaint.receive").detail == {"related_request_id": request.pk}


def test_receive_validates(privacy_officer: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        _receive(privacy_officer, received_on=f.today() + dt.timedelta(days=1), summary="  ", channel="fax")
    errors = _errors(exc)
    assert errors["received_on"] == ["受付日に未来の日付は入力できません。"]
    assert errors["summary"] == ["苦情の内容を入力してください。"]
    assert errors["channel"] == ["受付方法を選んでください。"]
    assert not Complaint.objects.exists()


def test_only_privacy_officers_can_be_assigned(
    privacy_officer: Any, administrator: Any, counter_staff: Any
) -> None:
    complaint = _receive(privacy_officer)
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
    complaint = _receive(privacy_officer)
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
    complaint = _receive(privacy_officer)
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
    _receive(privacy_officer, received_on=dt.date(2025, 3, 31))  # 令和6年度
    april = _receive(privacy_officer, received_on=dt.date(2025, 4, 1), channel=Channel.MAIL)  # 令和7年度
    _receive(privacy_officer, received_on=dt.date(2026, 3, 31))  # 令和7年度
    _receive(privacy_officer, received_on=dt.date(2026, 4, 1))  # 令和8年度
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
    assert counts["by_channel"] == {"counter": 1, "mail": 1, "online": 0}
    assert complaints.complaints_count_by_fiscal_year(2024)["received"] == 1
    assert complaints.complaints_count_by_fiscal_year(2026)["received"] == 1
    assert complaints.complaint_fiscal_years() == [2026, 2025, 2024]
    assert fiscal_year_label(2019) == "令和元年度"


# --- pages -----------------------------------------------------------------------------------------


def test_list_shows_open_first_with_filters_and_counts(
    login: Any, privacy_officer: Any, django_assert_max_num_queries: Any
) -> None:
    closed = _receive(privacy_officer, received_on=f.today())
    complaints.complaint_answer(actor=privacy_officer, complaint=closed, answer="回答", answered_on=f.today())
    complaints.complaint_close(actor=privacy_officer, complaint=closed, closed_on=f.today())
    still_open = _receive(privacy_officer, received_on=f.today() - dt.timedelta(days=30))
    client = login(privacy_officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("complaints:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index(still_open.number) < body.index(closed.number)
    assert NAME not in body  # the list shows no complainant
    assert "令和8年度" in body
    body = client.get(reverse("complaints:list"), {"status": "closed"}).content.decode()
    assert closed.number in body and still_open.number not in body
    body = client.get(reverse("complaints:list"), {"fy": "2019"}).content.decode()  # unknown year: ignored
    assert closed.number in body


def test_create_page(login: Any, privacy_officer: Any) -> None:
    request = f.make_request()
    client = login(privacy_officer)
    assert client.get(reverse("complaints:create")).status_code == 200
    response = client.post(
        reverse("complaints:create"),
        {
            "received_on": f.today().isoformat(),
            "channel": "mail",
            "complainant_name": NAME,
            "contact": "",
            "summary": "開示の手続が分かりにくい。",
            "related_request_number": request.number,
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    assert complaint.related_request == request
    assert complaint.channel == "mail"


def test_create_page_shows_errors(login: Any, privacy_officer: Any) -> None:
    response = login(privacy_officer).post(
        reverse("complaints:create"),
        {
            "received_on": (f.today() + dt.timedelta(days=2)).isoformat(),
            "channel": "counter",
            "summary": "内容",
            "related_request_number": "R8-開示-9999",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "この受付番号の請求はありません。" in body
    assert not Complaint.objects.exists()
    response = login(privacy_officer).post(
        reverse("complaints:create"),
        {
            "received_on": (f.today() + dt.timedelta(days=2)).isoformat(),
            "channel": "counter",
            "summary": "内容",
        },
    )
    assert "受付日に未来の日付は入力できません。" in response.content.decode()


def test_detail_is_audited_and_forms_work(login: Any, privacy_officer: Any, administrator: Any) -> None:
    complaint = _receive(privacy_officer)
    client = login(administrator)
    url = reverse("complaints:detail", args=[complaint.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert NAME in response.content.decode()
    assert AuditEvent.objects.filter(action="complaint.view", target_id=str(complaint.pk)).count() == 1

    response = client.post(reverse("complaints:assign", args=[complaint.pk]), {"assignee": administrator.pk})
    assert response.status_code == 400  # not a privacy officer: not even offered
    response = client.post(
        reverse("complaints:assign", args=[complaint.pk]), {"assignee": privacy_officer.pk}
    )
    assert response.status_code == 302

    response = client.post(
        reverse("complaints:close", args=[complaint.pk]), {"closed_on": f.today().isoformat()}
    )
    assert response.status_code == 400
    assert "回答を記録してから完了にしてください。" in response.content.decode()

    response = client.post(
        reverse("complaints:answer", args=[complaint.pk]),
        {"answer": "ご説明しました。", "answered_on": f.today().isoformat()},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("complaints:close", args=[complaint.pk]), {"closed_on": f.today().isoformat()}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assigned_to, complaint.answer) == (
        "closed",
        privacy_officer,
        "ご説明しました。",
    )

    body = client.get(url).content.decode()
    assert "変更履歴" in body
    assert body.count("<tr>") >= 5  # receive, assign, answer, close (+ header)
    assert "完了にする" not in body  # closed: no more forms


def test_unknown_complaint_is_404(login: Any, privacy_officer: Any) -> None:
    assert login(privacy_officer).get(reverse("complaints:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_other_roles_are_refused_403(persona: Any, login: Any, privacy_officer: Any) -> None:
    complaint = _receive(privacy_officer)
    client = login(persona)
    assert client.get(reverse("complaints:list")).status_code == 403
    assert client.get(reverse("complaints:create")).status_code == 403
    assert client.post(reverse("complaints:create"), {"summary": "x"}).status_code == 403
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 403
    for name, data in (
        ("assign", {"assignee": privacy_officer.pk}),
        ("answer", {"answer": "x", "answered_on": f.today().isoformat()}),
        ("close", {"closed_on": f.today().isoformat()}),
    ):
        assert client.post(reverse(f"complaints:{name}", args=[complaint.pk]), data).status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "open" and complaint.assigned_to is None
    assert not AuditEvent.objects.filter(action="complaint.view").exists()


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get(reverse("complaints:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_admin_list_is_read_only_and_hides_the_complainant(
    client: Any, administrator: Any, privacy_officer: Any
) -> None:
    complaint = _receive(privacy_officer)
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    response = client.get("/admin/disclosure_requests/complaint/")
    assert response.status_code == 200
    assert complaint.number in response.content.decode()
    detail = client.get(f"/admin/disclosure_requests/complaint/{complaint.pk}/change/")
    assert detail.status_code == 200
    assert NAME not in detail.content.decode()
    assert client.get("/admin/disclosure_requests/complaint/add/").status_code == 403
    assert client.post(f"/admin/disclosure_requests/complaint/{complaint.pk}/delete/").status_code == 403


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
