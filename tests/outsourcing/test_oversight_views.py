"""Oversight pages: who may use them, what they show, and that refused input changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from outsourcing import oversight
from outsourcing.models import (
    BusinessReport,
    Clause,
    Contract,
    ContractReview,
    CorrectiveAction,
    Handler,
    OnSiteAudit,
    TrainingSession,
)
from privacy_admin.audit.models import AuditEvent, Outcome

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def contract(pickup_counter: Any) -> Contract:
    return make_contract(branches=[pickup_counter])


@pytest.fixture
def operator(contract: Contract) -> Any:
    return make_operator(contract, "op-east")


@pytest.fixture
def other_contract(central: Any) -> Contract:
    return make_contract(branches=[central], title="学校図書館業務委託")


@pytest.fixture
def other_operator(other_contract: Contract) -> Any:
    return make_operator(other_contract, "op-school")


@pytest.fixture
def report(contract: Contract, operator: Any, today: dt.date) -> BusinessReport:
    return oversight.report_submit(
        actor=operator, contract=contract, kind="daily", period_start=today, body="受渡し 12件"
    )


@pytest.fixture
def audit(contract: Contract, privacy_officer: Any, today: dt.date) -> OnSiteAudit:
    return oversight.onsite_audit_record(
        actor=privacy_officer, contract=contract, audited_on=today, auditor="管理係長",
        checklist={c.value: "ok" for c in Clause}, findings="",
    )  # fmt: skip


@pytest.fixture
def action(audit: OnSiteAudit, privacy_officer: Any, today: dt.date) -> CorrectiveAction:
    return oversight.corrective_action_add(
        actor=privacy_officer, audit=audit, description="施錠の徹底", due_on=today + dt.timedelta(days=7)
    )


def _officer_urls(contract: Contract, report: BusinessReport, audit: OnSiteAudit, action: Any) -> list:
    return [
        ("get", reverse("oversight:overview")),
        ("get", reverse("oversight:contract", args=[contract.pk])),
        ("get", reverse("oversight:training_create", args=[contract.pk])),
        ("post", reverse("oversight:training_create", args=[contract.pk])),
        ("get", reverse("oversight:reports", args=[contract.pk])),
        ("get", reverse("oversight:report", args=[report.pk])),
        ("post", reverse("oversight:report_review", args=[report.pk])),
        ("get", reverse("oversight:audit_create", args=[contract.pk])),
        ("post", reverse("oversight:audit_create", args=[contract.pk])),
        ("get", reverse("oversight:audit", args=[audit.pk])),
        ("post", reverse("oversight:action_add", args=[audit.pk])),
        ("post", reverse("oversight:action_done", args=[action.pk])),
        ("get", reverse("oversight:review_create", args=[contract.pk])),
        ("post", reverse("oversight:review_create", args=[contract.pk])),
    ]


def _operator_urls(contract: Contract, report: BusinessReport) -> list:
    return [
        ("get", reverse("oversight:my_reports")),
        ("get", reverse("oversight:operator_reports", args=[contract.pk])),
        ("get", reverse("oversight:report_submit", args=[contract.pk])),
        ("post", reverse("oversight:report_submit", args=[contract.pk])),
        ("get", reverse("oversight:operator_report", args=[report.pk])),
    ]


# --- who may use the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_library_pages_refuse_other_roles_with_403_and_log_it(
    persona, login, contract, report, audit, action
) -> None:
    client = login(persona)
    urls = _officer_urls(contract, report, audit, action)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403, url
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == len(urls)
    report.refresh_from_db()
    assert report.reviewed_at is None and not ContractReview.objects.exists()


def test_an_operator_of_a_contract_in_force_cannot_reach_the_library_pages(
    login, operator, contract, report, audit, action
) -> None:
    client = login(operator)
    for method, url in _officer_urls(contract, report, audit, action):
        assert getattr(client, method)(url).status_code == 403, url


@pytest.mark.parametrize(
    "persona", ["counter_staff", "privacy_officer", "administrator", "no_role_user"], indirect=True
)
def test_operator_pages_refuse_library_staff_with_403(persona, login, contract, report) -> None:
    client = login(persona)
    for method, url in _operator_urls(contract, report):
        assert getattr(client, method)(url).status_code == 403, url
    assert BusinessReport.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, contract, report, audit, action) -> None:
    for method, url in _officer_urls(contract, report, audit, action) + _operator_urls(contract, report):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_privacy_officers_and_administrators_use_the_library_pages(
    persona, login, contract, report, audit, action
) -> None:
    client = login(persona)
    for method, url in _officer_urls(contract, report, audit, action):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_the_overview_lists_every_contract_with_its_oversight(
    login, privacy_officer, contract, report
) -> None:
    html = login(privacy_officer).get(reverse("oversight:overview")).content.decode()

    assert "委託の監督" in html and contract.number in html
    assert "令和" in html  # review date in 和暦


def test_the_operator_uses_their_own_report_pages(login, operator, contract, report) -> None:
    client = login(operator)

    response = client.get(reverse("oversight:my_reports"))
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:operator_reports", args=[contract.pk])
    page = client.get(response["Location"])
    assert (
        page.status_code == 200 and "受渡し 12件" not in page.content.decode()
    )  # body shown on the report page
    assert page["Cache-Control"].count("no-store") == 1
    report_page = client.get(reverse("oversight:operator_report", args=[report.pk]))
    assert report_page.status_code == 200 and "受渡し 12件" in report_page.content.decode()
    form = client.get(reverse("oversight:report_submit", args=[contract.pk])).content.decode()
    assert "個人情報は書かないでください" in form


# --- an operator stays in their contract ---------------------------------------------------------------


def test_an_operator_cannot_submit_for_another_contract(login, operator, other_contract, today) -> None:
    client = login(operator)
    url = reverse("oversight:report_submit", args=[other_contract.pk])

    assert client.get(url).status_code == 404
    response = client.post(url, {"kind": "daily", "period_start": today.isoformat(), "body": "受渡し 3件"})

    assert response.status_code == 404
    assert not BusinessReport.objects.exists()
    refused = AuditEvent.objects.filter(action="oversight.report_out_of_scope", actor=operator)
    assert refused.count() == 2 and {e.outcome for e in refused} == {Outcome.DENIED}
    assert client.get(reverse("oversight:operator_reports", args=[other_contract.pk])).status_code == 404


def test_an_operator_cannot_read_another_contracts_report(login, other_operator, report) -> None:
    client = login(other_operator)

    assert client.get(reverse("oversight:operator_report", args=[report.pk])).status_code == 404
    mine = client.get(reverse("oversight:my_reports"), follow=True).content.decode()
    assert "受渡し 12件" not in mine
    assert AuditEvent.objects.filter(
        action="oversight.report_out_of_scope", actor=other_operator, target_id=str(report.pk)
    ).exists()


def test_an_operator_without_a_contract_in_force_has_no_report_pages(
    login, contractor_operator, contract
) -> None:
    client = login(contractor_operator)
    assert client.get(reverse("oversight:my_reports")).status_code == 404
    assert client.get(reverse("oversight:report_submit", args=[contract.pk])).status_code == 404


# --- submitting and reviewing reports ------------------------------------------------------------------


def test_an_operator_submits_a_report_through_the_page(login, operator, contract, today) -> None:
    client = login(operator)
    response = client.post(
        reverse("oversight:report_submit", args=[contract.pk]),
        {
            "kind": "monthly",
            "period_start": today.isoformat(),
            "body": "受渡し 250件",
            "incidents_noted": "on",
        },
    )

    assert response.status_code == 302
    report = BusinessReport.objects.get()
    assert (report.kind, report.period_start, report.incidents_noted) == (
        "monthly",
        today.replace(day=1),
        True,
    )


def test_a_duplicate_report_is_refused_with_a_message_and_nothing_changes(
    login, operator, contract, report, today
) -> None:
    response = login(operator).post(
        reverse("oversight:report_submit", args=[contract.pk]),
        {"kind": "daily", "period_start": today.isoformat(), "body": "差し替え"},
    )

    assert response.status_code == 400
    assert "この日の日報はすでに提出されています" in response.content.decode()
    assert BusinessReport.objects.get().body == "受渡し 12件"


def test_a_report_naming_a_patron_is_refused_on_the_page(login, operator, contract, today) -> None:
    response = login(operator).post(
        reverse("oversight:report_submit", args=[contract.pk]),
        {"kind": "daily", "period_start": today.isoformat(), "body": "2100000123 の方に受渡し"},
    )
    assert response.status_code == 400 and "個人が分かる情報は書かず" in response.content.decode()
    assert not BusinessReport.objects.exists()


def test_an_officer_reviews_a_report(login, privacy_officer, report) -> None:
    client = login(privacy_officer)
    assert "受渡し 12件" in client.get(reverse("oversight:report", args=[report.pk])).content.decode()

    response = client.post(reverse("oversight:report_review", args=[report.pk]), {"comment": "確認済み"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reviewed_by == privacy_officer and report.review_comment == "確認済み"


def test_the_report_list_shows_unreviewed_and_missing_days(login, privacy_officer, contract, report) -> None:
    html = login(privacy_officer).get(reverse("oversight:reports", args=[contract.pk])).content.decode()
    assert "未確認" in html and "日報が提出されていない日" in html
    bad_month = login(privacy_officer).get(reverse("oversight:reports", args=[contract.pk]), {"month": "x"})
    assert bad_month.status_code == 200


# --- training, audits, reviews through the pages -------------------------------------------------------


def test_training_with_an_attendee_of_another_contract_is_refused(
    login, privacy_officer, contract, other_contract, today
) -> None:
    stranger = Handler.objects.create(contract=other_contract, name="他契約 太郎")
    response = login(privacy_officer).post(
        reverse("oversight:training_create", args=[contract.pk]),
        {"held_on": today.isoformat(), "provider": "library", "material": "研修", "attendees": [stranger.pk]},
    )

    assert response.status_code == 400
    assert "この契約の取扱者だけを選べます" in response.content.decode()
    assert not TrainingSession.objects.filter(contract=contract).exists()


def test_training_is_recorded_through_the_page(login, privacy_officer, contract, today) -> None:
    handler = Handler.objects.create(contract=contract, name="新任 花子")
    client = login(privacy_officer)
    page = client.get(reverse("oversight:contract", args=[contract.pk])).content.decode()
    assert "未受講（従事不可）" in page

    response = client.post(
        reverse("oversight:training_create", args=[contract.pk]),
        {
            "held_on": today.isoformat(),
            "provider": "contractor",
            "material": "研修",
            "attendees": [handler.pk],
        },
    )

    assert response.status_code == 302
    assert TrainingSession.objects.get(contract=contract).attendees.get() == handler


def test_an_audit_is_recorded_with_the_checklist_through_the_page(
    login, privacy_officer, contract, today
) -> None:
    client = login(privacy_officer)
    form = client.get(reverse("oversight:audit_create", args=[contract.pk])).content.decode()
    assert all(str(c.label) in form for c in Clause)
    data = {f"clause_{c.value}": "ok" for c in Clause} | {"clause_no_copying": "ng"}
    data |= {"audited_on": today.isoformat(), "auditor": "管理係長", "findings": "メモの貼付"}

    response = client.post(reverse("oversight:audit_create", args=[contract.pk]), data)

    audit = OnSiteAudit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("oversight:audit", args=[audit.pk])
    assert audit.checklist["no_copying"] == "ng"
    detail = client.get(response["Location"]).content.decode()
    assert "複写等の禁止" in detail and "不適合" in detail


def test_an_audit_missing_a_clause_is_refused_on_the_page(login, privacy_officer, contract, today) -> None:
    data = {f"clause_{c.value}": "ok" for c in Clause if c != Clause.AUDIT}
    data |= {"audited_on": today.isoformat(), "auditor": "管理係長"}
    response = login(privacy_officer).post(reverse("oversight:audit_create", args=[contract.pk]), data)
    assert response.status_code == 400 and "確認結果を選んでください" in response.content.decode()
    assert not OnSiteAudit.objects.exists()


def test_a_corrective_action_due_before_the_audit_is_refused_on_the_page(
    login, privacy_officer, audit, today
) -> None:
    response = login(privacy_officer).post(
        reverse("oversight:action_add", args=[audit.pk]),
        {"description": "施錠", "due_on": (today - dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400 and "監査日より前" in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_a_corrective_action_is_marked_done(login, privacy_officer, action, today) -> None:
    client = login(privacy_officer)
    bad = client.post(reverse("oversight:action_done", args=[action.pk]), {"done_on": "not a date"})
    assert bad.status_code == 400 and "完了日を正しい日付で入力してください" in bad.content.decode()

    response = client.post(reverse("oversight:action_done", args=[action.pk]), {"done_on": today.isoformat()})

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == today


def test_a_review_through_the_page_moves_the_review_date(login, privacy_officer, contract, today) -> None:
    client = login(privacy_officer)
    next_on = today + dt.timedelta(days=200)
    response = client.post(
        reverse("oversight:review_create", args=[contract.pk]),
        {
            "reviewed_on": today.isoformat(),
            "outcome": "continue",
            "note": "",
            "next_review_on": next_on.isoformat(),
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.review_due_on == next_on

    bad = client.post(
        reverse("oversight:review_create", args=[contract.pk]),
        {"reviewed_on": today.isoformat(), "outcome": "continue", "next_review_on": today.isoformat()},
    )
    assert bad.status_code == 400 and "見直し日より後" in bad.content.decode()
    contract.refresh_from_db()
    assert contract.review_due_on == next_on


def test_an_unknown_contract_or_report_is_404(login, privacy_officer) -> None:
    client = login(privacy_officer)
    assert client.get(reverse("oversight:contract", args=[999999])).status_code == 404
    assert client.get(reverse("oversight:report", args=[999999])).status_code == 404
    assert client.post(reverse("oversight:action_done", args=[999999])).status_code == 404


def test_the_report_pages_write_months_in_wareki_not_yyyy_mm(
    login, privacy_officer, operator, contract, report, today
) -> None:
    from privacy_admin.core.dates import format_japanese_month

    this_month = format_japanese_month(today)  # 令和8年12月
    html = login(privacy_officer).get(reverse("oversight:reports", args=[contract.pk])).content.decode()
    assert f"{this_month}の報告" in html
    started = format_japanese_month(contract.starts_on)
    if contract.starts_on.replace(day=1) < today.replace(day=1):  # a month without its 月報
        assert f"<li>{started}</li>" in html
    assert f">{today:%Y-%m}<" not in html and f"{today:%Y-%m}の報告" not in html

    mine = login(operator).get(reverse("oversight:operator_reports", args=[contract.pk])).content.decode()
    assert f"{this_month}の報告" in mine and f"{today:%Y-%m}の報告" not in mine
