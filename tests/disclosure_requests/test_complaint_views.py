"""disclosure_requests.complaint_views: the complaint pages — list, create, detail with its forms —
and who may use them (privacy officers and administrators; others 403, anonymous to the login page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from disclosure_requests import complaints
from disclosure_requests.models import Complaint
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.calendar import fiscal_year_of

from . import factories as f
from .complaint_helpers import COMPLAINANT, receive_complaint

pytestmark = pytest.mark.django_db


def test_list_shows_open_first_with_filters_and_counts(
    login: Any, privacy_officer: Any, django_assert_max_num_queries: Any
) -> None:
    closed = receive_complaint(privacy_officer, received_on=f.today())
    complaints.complaint_answer(actor=privacy_officer, complaint=closed, answer="回答", answered_on=f.today())
    complaints.complaint_close(actor=privacy_officer, complaint=closed, closed_on=f.today())
    still_open = receive_complaint(privacy_officer, received_on=f.today() - dt.timedelta(days=30))
    client = login(privacy_officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("complaints:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index(still_open.number) < body.index(closed.number)
    assert COMPLAINANT not in body  # the list shows no complainant
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
            "complainant_name": COMPLAINANT,
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
    complaint = receive_complaint(privacy_officer)
    client = login(administrator)
    url = reverse("complaints:detail", args=[complaint.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert COMPLAINANT in response.content.decode()
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
    complaint = receive_complaint(privacy_officer)
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


def test_a_complaint_received_by_phone_is_recorded_and_counted(login: Any, privacy_officer: Any) -> None:
    client = login(privacy_officer)
    form_page = client.get(reverse("complaints:create")).content.decode()
    assert 'value="phone"' in form_page and "電話" in form_page

    response = client.post(
        reverse("complaints:create"),
        {
            "received_on": f.today().isoformat(),
            "channel": "phone",
            "complainant_name": "",
            "contact": "",
            "summary": "電話で、督促の電話で資料名を言われたとの申出。",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.channel == "phone"
    assert complaint.get_channel_display() == "電話"
    counts = complaints.complaints_count_by_fiscal_year(fiscal_year_of(f.today()))
    assert counts["by_channel"]["phone"] == 1
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "電話" in detail
