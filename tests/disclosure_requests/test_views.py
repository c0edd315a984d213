"""Request pages: who may use them, what they show, and that a refused step changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.template import TemplateDoesNotExist, loader
from django.test import Client
from django.urls import reverse

from disclosure_requests import services
from disclosure_requests.models import (
    Amendment,
    ClosedDay,
    PrivacyRequest,
    RequestStatus,
    ThirdPartyConsultation,
)
from privacy_admin.audit.models import AuditEvent
from privacy_admin.audit.models import Outcome as AuditOutcome

from .request_helpers import REQUESTER, TODAY, d, receive, snapshot, today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

REFUSED_PERSONAS = ["counter_staff", "contractor_operator", "no_role_user"]


@pytest.fixture
def pr(privacy_officer: Any) -> PrivacyRequest:
    return receive(privacy_officer)


@pytest.fixture
def officer_client(login: Any, privacy_officer: Any) -> Client:
    return login(privacy_officer)


def _urls(pk: int) -> list[tuple[str, str]]:
    """(method, url) of every page and step."""
    return [
        ("get", reverse("requests:dashboard")),
        ("get", reverse("requests:list")),
        ("get", reverse("requests:receive")),
        ("post", reverse("requests:receive")),
        ("get", reverse("requests:detail", args=[pk])),
        ("post", reverse("requests:amend", args=[pk])),
        ("post", reverse("requests:amend_complete", args=[pk, 1])),
        ("post", reverse("requests:extend", args=[pk])),
        ("post", reverse("requests:extend_special", args=[pk])),
        ("post", reverse("requests:consult", args=[pk])),
        ("post", reverse("requests:opinion", args=[pk, 1])),
        ("post", reverse("requests:decide", args=[pk])),
        ("post", reverse("requests:disclose", args=[pk])),
        ("post", reverse("requests:correct", args=[pk])),
        ("post", reverse("requests:suspend", args=[pk])),
        ("post", reverse("requests:withdraw", args=[pk])),
    ]


# --- who may use the pages -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", REFUSED_PERSONAS, indirect=True)
def test_every_page_and_step_refuses_other_roles_with_403_and_logs_it(persona, login, pr) -> None:
    client = login(persona)
    before = PrivacyRequest.objects.get(pk=pr.pk)
    for method, url in _urls(pr.pk):
        response = getattr(client, method)(url, {"extend-days": "5"} if method == "post" else None)
        assert response.status_code == 403, url
        assert REQUESTER not in response.content.decode()
    assert AuditEvent.objects.filter(action="access.denied", outcome=AuditOutcome.DENIED).count() == len(
        _urls(pr.pk)
    )
    assert not AuditEvent.objects.filter(action="privacy_request.view").exists()
    after = PrivacyRequest.objects.get(pk=pr.pk)
    assert (after.status, after.due_on) == (before.status, before.due_on)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, pr) -> None:
    for method, url in _urls(pr.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_privacy_officers_and_administrators_use_the_pages(persona, login, pr) -> None:
    client = login(persona)
    for name, args in [("dashboard", []), ("list", []), ("receive", []), ("detail", [pr.pk])]:
        assert client.get(reverse(f"requests:{name}", args=args)).status_code == 200, name


def test_an_unknown_request_is_404(officer_client) -> None:
    assert officer_client.get(reverse("requests:detail", args=[999999])).status_code == 404
    assert officer_client.post(reverse("requests:decide", args=[999999])).status_code == 404


def test_steps_accept_post_only(officer_client, pr) -> None:
    assert officer_client.get(reverse("requests:decide", args=[pr.pk])).status_code == 405


# --- the detail page ------------------------------------------------------------------------------------


def test_viewing_a_request_is_audited(officer_client, pr, privacy_officer) -> None:
    response = officer_client.get(reverse("requests:detail", args=[pr.pk]))

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="privacy_request.view")
    assert event.target_id == str(pr.pk) and event.actor == privacy_officer
    assert event.detail == {"view": "detail"}


def test_the_detail_shows_dates_in_wareki_the_deadline_and_the_steps(officer_client, pr) -> None:
    html = officer_client.get(reverse("requests:detail", args=[pr.pk])).content.decode()

    assert pr.number in html and REQUESTER in html
    assert "令和8年6月1日" in html  # received
    assert "令和8年6月16日" in html and "あと1日" in html
    for step in ("決定", "補正の依頼", "第三者への意見照会", "期限の延長", "期限の特例延長", "取下げ"):
        assert f"<summary>{step}</summary>" in html, step
    assert 'value="2026-06-15"' in html  # ISO in the inputs
    assert "変更履歴" in html and "受付" in html


def test_the_detail_warns_when_the_deadline_falls_on_a_closed_day(officer_client, privacy_officer) -> None:
    pr = receive(privacy_officer, received_on=d(6, 5))  # due Saturday 20 June

    html = officer_client.get(reverse("requests:detail", args=[pr.pk])).content.decode()

    assert "決定期限は土曜日に当たります" in html and "令和8年6月19日" in html


def test_the_detail_marks_an_overdue_request(officer_client, privacy_officer) -> None:
    pr = receive(privacy_officer, received_on=d(5, 25))  # due 9 June

    html = officer_client.get(reverse("requests:detail", args=[pr.pk])).content.decode()

    assert "期限超過 6日" in html


def test_the_detail_includes_the_letters_panel_once_it_exists(officer_client, pr) -> None:
    try:
        loader.get_template("disclosure_requests/letters/_panel.html")
    except TemplateDoesNotExist:
        pytest.skip("the letters panel (H6) is not written yet")

    html = officer_client.get(reverse("requests:detail", args=[pr.pk])).content.decode()

    assert 'id="letters-heading"' in html


def test_the_detail_lists_formal_defects_to_fix_by_amendment(officer_client, privacy_officer) -> None:
    pr = receive(
        privacy_officer,
        kind="correction",
        disclosed_on=d(5, 20),
        correction_content="x",
        requester_address="",
    )

    html = officer_client.get(reverse("requests:detail", args=[pr.pk])).content.decode()

    assert "請求者の住所又は居所" in html and "請求の理由（山梨県 要綱第31条第1項第3号）" in html


# --- intake -------------------------------------------------------------------------------------------------


def _intake_form(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "disclosure",
        "received_on": "2026-06-01",
        "channel": "counter",
        "requester_kind": "self",
        "requester_name": REQUESTER,
        "requester_address": "あさひ市中央1-2-3",
        "requester_phone": "",
        "identity_document_type": "drivers_license",
        "information_requested": "利用登録の情報",
    }
    data.update(overrides)
    return data


def test_receiving_a_request_redirects_to_its_page_by_id_only(officer_client) -> None:
    response = officer_client.post(reverse("requests:receive"), _intake_form())

    pr = PrivacyRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[pr.pk])
    page = officer_client.get(response["Location"]).content.decode()
    assert "受付番号は R8-開示-0001、決定期限は令和8年6月16日です。" in page


def test_the_intake_form_preselects_the_kind_asked_for(officer_client) -> None:
    html = officer_client.get(reverse("requests:receive") + "?kind=correction").content.decode()

    assert re.search(r'value="correction"[^>]*checked', html)


def test_a_bad_intake_shows_every_problem_and_saves_nothing(officer_client) -> None:
    before = snapshot()
    response = officer_client.post(
        reverse("requests:receive"),
        _intake_form(requester_name="", identity_document_type="", received_on="2026-06-16"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "請求者氏名を入力してください。" in html
    assert "確認した本人確認書類の種類を選んでください" in html
    assert "受付日に未来の日付は入力できません。" in html
    assert snapshot() == before


def test_a_late_correction_is_refused_on_the_intake_page(officer_client) -> None:
    response = officer_client.post(
        reverse("requests:receive"),
        _intake_form(
            kind="correction", received_on="2026-06-15", disclosed_on="2026-03-01", correction_content="x"
        ),
    )

    assert "訂正請求はできません（山梨県 要綱第30条第3項）" in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_an_unknown_basis_number_is_a_field_error(officer_client) -> None:
    response = officer_client.post(
        reverse("requests:receive"),
        _intake_form(
            kind="correction",
            disclosed_on="2026-05-20",
            correction_content="x",
            based_on_number="R8-開示-9999",
        ),
    )

    assert "この受付番号の開示請求は見つかりません。" in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_an_unknown_card_number_on_the_intake_page_says_not_found(officer_client) -> None:
    response = officer_client.post(reverse("requests:receive"), _intake_form(card_number="2100000000"))

    assert "該当する利用者が見つかりません" in response.content.decode()
    assert not PrivacyRequest.objects.exists()


# --- the steps ---------------------------------------------------------------------------------------------


def _post(client: Client, name: str, pr: PrivacyRequest, data: dict[str, Any], *extra: int) -> Any:
    return client.post(reverse(f"requests:{name}", args=[pr.pk, *extra]), data)


def test_an_amendment_round_trip_through_the_pages(officer_client, pr) -> None:
    response = _post(
        officer_client, "amend", pr, {"amend-requested_on": "2026-06-03", "amend-what_to_fix": "情報の特定"}
    )
    assert response.status_code == 302
    pr.refresh_from_db()
    assert pr.status == RequestStatus.AMENDING

    amendment = Amendment.objects.get()
    response = _post(
        officer_client, "amend_complete", pr, {"complete-completed_on": "2026-06-08"}, amendment.pk
    )
    assert response.status_code == 302
    pr.refresh_from_db()
    assert pr.due_on == d(6, 21)
    page = officer_client.get(response["Location"]).content.decode()
    assert "補正の完了を記録しました。決定期限は令和8年6月21日です。" in page
    assert "日曜日のため、最終開庁日は令和8年6月19日" in page


def test_a_completion_before_the_request_for_amendment_is_shown_and_changes_nothing(
    officer_client, pr, privacy_officer
) -> None:
    amendment = services.amendment_request(
        actor=privacy_officer, request=pr, requested_on=d(6, 5), what_to_fix="x"
    )
    before = snapshot()

    response = _post(
        officer_client, "amend_complete", pr, {"complete-completed_on": "2026-06-04"}, amendment.pk
    )

    assert response.status_code == 200
    assert "補正の完了日が補正を求めた日より前です。" in response.content.decode()
    after = snapshot()
    # Only the page view itself was logged.
    assert {k: v for k, v in after.items() if k != "AuditEvent"} == {
        k: v for k, v in before.items() if k != "AuditEvent"
    }
    assert list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:1]) == [
        "privacy_request.view"
    ]


def test_an_amendment_of_another_request_is_404(officer_client, pr, privacy_officer) -> None:
    other = receive(privacy_officer)
    amendment = services.amendment_request(
        actor=privacy_officer, request=other, requested_on=d(6, 3), what_to_fix="x"
    )

    response = _post(
        officer_client, "amend_complete", pr, {"complete-completed_on": "2026-06-04"}, amendment.pk
    )

    assert response.status_code == 404


def test_an_extension_beyond_the_maximum_is_refused_on_the_page(officer_client, pr) -> None:
    before = PrivacyRequest.objects.get(pk=pr.pk).due_on

    response = _post(
        officer_client,
        "extend",
        pr,
        {"extend-days": "16", "extend-reason": "大量", "extend-notified_on": "2026-06-10"},
    )

    assert "延長できる日数は合計15日までです" in response.content.decode()
    assert PrivacyRequest.objects.get(pk=pr.pk).due_on == before and not pr.extensions.exists()

    response = _post(
        officer_client,
        "extend",
        pr,
        {"extend-days": "10", "extend-reason": "大量", "extend-notified_on": "2026-06-10"},
    )
    assert response.status_code == 302
    assert PrivacyRequest.objects.get(pk=pr.pk).due_on == d(6, 26)


def test_a_special_extension_through_the_page(officer_client, pr) -> None:
    response = _post(
        officer_client,
        "extend_special",
        pr,
        {
            "special-reason": "著しく大量",
            "special-notified_on": "2026-06-10",
            "special-remainder_due_on": "2026-08-31",
        },
    )

    assert response.status_code == 302
    pr.refresh_from_db()
    assert pr.special_extension and pr.due_on == d(7, 1) and pr.final_due_on == d(8, 31)
    html = officer_client.get(reverse("requests:detail", args=[pr.pk])).content.decode()
    assert "相当の部分についての決定" in html  # the decision form now offers the partial scope


def test_a_consultation_and_an_objection_through_the_pages(officer_client, pr) -> None:
    response = _post(
        officer_client,
        "consult",
        pr,
        {
            "consult-third_party_name": "第三 太郎",
            "consult-third_party_address": "",
            "consult-information_concerned": "紹介状",
            "consult-sent_on": "2026-06-02",
        },
    )
    assert response.status_code == 302
    consultation = ThirdPartyConsultation.objects.get()

    response = _post(
        officer_client,
        "opinion",
        pr,
        {"opinion-received_on": "2026-06-05", "opinion-objected": "true"},
        consultation.pk,
    )

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.objected and consultation.opinion_received_on == d(6, 5)
    page = officer_client.get(response["Location"]).content.decode()
    assert "山梨県 要綱第26条第3項" in page


def test_a_decision_dated_before_the_request_is_refused_on_the_page(officer_client, pr) -> None:
    before = snapshot()

    response = _post(
        officer_client, "decide", pr, {"decide-outcome": "full", "decide-decided_on": "2026-05-31"}
    )

    html = response.content.decode()
    assert "決定日が受付日より前です。" in html
    assert "<details open>\n    <summary>決定</summary>" in html or "<details open>" in html
    pr.refresh_from_db()
    assert pr.status == RequestStatus.RECEIVED and not pr.decisions.exists()
    assert snapshot()["Decision"] == before["Decision"]


def test_a_partial_disclosure_through_the_page_and_carrying_it_out(officer_client, pr) -> None:
    response = _post(
        officer_client,
        "decide",
        pr,
        {
            "decide-outcome": "partial",
            "decide-decided_on": "2026-06-10",
            "decide-reasons": ["third_person"],
            "decide-reason_text": "第三者の氏名を含むため",
            "decide-disclosed_content": "利用登録の情報",
        },
    )
    assert response.status_code == 302
    pr.refresh_from_db()
    assert pr.status == RequestStatus.DECIDED
    html = officer_client.get(reverse("requests:detail", args=[pr.pk])).content.decode()
    assert "開示請求者以外の個人に関する情報" in html and "開示の実施" in html
    assert "令和8年7月10日" in html  # the last day to ask for a method (30 days)

    response = _post(
        officer_client,
        "disclose",
        pr,
        {
            "disclose-method": "copy",
            "disclose-method_requested_on": "2026-06-11",
            "disclose-carried_out_on": "2026-06-12",
            "disclose-fee_yen": "-1",
        },
    )
    assert (
        "費用に負の金額は入力できません。" in response.content.decode()
        or "以上の数" in response.content.decode()
    )
    response = _post(
        officer_client,
        "disclose",
        pr,
        {
            "disclose-method": "copy",
            "disclose-method_requested_on": "2026-06-11",
            "disclose-carried_out_on": "2026-06-12",
            "disclose-fee_yen": "20",
            "disclose-fee_basis": "写し2枚",
        },
    )
    assert response.status_code == 302
    pr.refresh_from_db()
    assert pr.status == RequestStatus.CLOSED


def test_a_correction_carried_out_through_the_page(officer_client, privacy_officer) -> None:
    pr = receive(privacy_officer, kind="correction", disclosed_on=d(5, 20), correction_content="住所")
    _post(officer_client, "decide", pr, {"decide-outcome": "correct", "decide-decided_on": "2026-06-10"})

    response = _post(
        officer_client,
        "correct",
        pr,
        {
            "correct-corrected_on": "2026-06-11",
            "correct-what_was_corrected": "住所",
            "correct-recipients": "委員会",
        },
    )
    assert "山梨県 要綱第36条" in response.content.decode()

    response = _post(
        officer_client,
        "correct",
        pr,
        {
            "correct-corrected_on": "2026-06-11",
            "correct-what_was_corrected": "住所",
            "correct-recipients": "委員会",
            "correct-recipients_notified_on": "2026-06-12",
        },
    )
    assert response.status_code == 302
    pr.refresh_from_db()
    assert pr.status == RequestStatus.CLOSED


def test_a_suspension_carried_out_and_a_withdrawal_show_in_the_timeline(
    officer_client, privacy_officer
) -> None:
    suspension = receive(privacy_officer, kind="suspension", disclosed_on=d(5, 20), suspension_kind="erase")
    _post(
        officer_client, "decide", suspension, {"decide-outcome": "suspend", "decide-decided_on": "2026-06-10"}
    )
    assert (
        _post(officer_client, "suspend", suspension, {"suspend-carried_out_on": "2026-06-12"}).status_code
        == 302
    )
    withdrawn = receive(privacy_officer)
    assert _post(officer_client, "withdraw", withdrawn, {"withdraw-on": "2026-06-05"}).status_code == 302

    html = officer_client.get(reverse("requests:detail", args=[suspension.pk])).content.decode()
    assert "利用停止の実施" in html and "令和8年6月12日" in html
    html = officer_client.get(reverse("requests:detail", args=[withdrawn.pk])).content.decode()
    assert "取下げ" in html and "令和8年6月5日" in html
    assert "<summary>決定</summary>" not in html


def test_a_malformed_date_is_a_form_error_and_nothing_changes(officer_client, pr) -> None:
    response = _post(officer_client, "withdraw", pr, {"withdraw-on": "2026-02-30"})

    assert "存在しない日付" in response.content.decode()
    pr.refresh_from_db()
    assert pr.status == RequestStatus.RECEIVED


# --- dashboard and list --------------------------------------------------------------------------------------


def test_the_dashboard_orders_by_days_left_and_marks_overdue_ones(officer_client, privacy_officer) -> None:
    later = receive(privacy_officer, received_on=d(6, 10))  # due 25 June
    overdue = receive(privacy_officer, received_on=d(5, 25))  # due 9 June
    this_week = receive(privacy_officer, received_on=d(6, 3))  # due 18 June
    paused = receive(privacy_officer, received_on=d(6, 2))
    services.amendment_request(actor=privacy_officer, request=paused, requested_on=d(6, 4), what_to_fix="x")

    html = officer_client.get(reverse("requests:dashboard")).content.decode()

    table = html[html.index('id="open-requests"') : html.index('id="this-week"')]
    order = [table.index(p.number) for p in (overdue, this_week, later, paused)]
    assert order == sorted(order)
    assert "期限超過 6日" in html
    week = html[html.index('id="this-week"') : html.index('id="waiting"')]
    assert this_week.number in week and later.number not in week and overdue.number not in week
    waiting = html[html.index('id="waiting"') :]
    assert paused.number in waiting[: waiting.index("</section>")]
    assert REQUESTER not in html  # numbers only on the dashboard


def test_the_dashboard_calendar_shows_deadlines_and_closed_days_and_moves_by_month(
    officer_client, privacy_officer
) -> None:
    ClosedDay.objects.create(date=d(6, 24), reason="館内整理日")
    pr = receive(privacy_officer, received_on=d(6, 5))  # due Saturday 20 June

    html = officer_client.get(reverse("requests:dashboard")).content.decode()
    assert "令和8年6月の期限" in html
    assert "?month=2026-05" in html and "?month=2026-07" in html
    assert "休館日" in html
    calendar = html[html.index('class="month-calendar"') :]
    assert f"{pr.number}</a> 決定期限 ⚠" in calendar

    july = officer_client.get(reverse("requests:dashboard") + "?month=2026-07").content.decode()
    assert "令和8年7月の期限" in july and "海の日" in july
    assert officer_client.get(reverse("requests:dashboard") + "?month=garbage").status_code == 200


def test_the_dashboard_reads_few_queries(
    officer_client, privacy_officer, django_assert_max_num_queries
) -> None:
    for day in range(1, 11):
        receive(privacy_officer, received_on=d(6, day))
    with django_assert_max_num_queries(30):
        officer_client.get(reverse("requests:dashboard"))


def test_the_list_filters_by_kind_status_and_year(officer_client, privacy_officer) -> None:
    disclosure = receive(privacy_officer)
    correction = receive(privacy_officer, kind="correction", disclosed_on=d(5, 20), correction_content="x")
    old = receive(privacy_officer, received_on=dt.date(2025, 12, 1))
    services.request_withdraw(actor=privacy_officer, request=old, on=dt.date(2025, 12, 2))

    def numbers(query: str) -> set[str]:
        html = officer_client.get(reverse("requests:list") + query).content.decode()
        return set(re.findall(r"R\d+-[^<\"]+-\d{4}", html))

    assert numbers("") == {disclosure.number, correction.number, old.number}
    assert numbers("?kind=correction") == {correction.number}
    assert numbers("?status=open") == {disclosure.number, correction.number}
    assert numbers("?status=withdrawn") == {old.number}
    assert numbers("?year=2025") == {old.number}
    assert REQUESTER not in officer_client.get(reverse("requests:list")).content.decode()


def test_the_list_reads_few_queries(officer_client, privacy_officer, django_assert_max_num_queries) -> None:
    for day in range(1, 11):
        receive(privacy_officer, received_on=d(6, day))
    with django_assert_max_num_queries(12):
        officer_client.get(reverse("requests:list"))


def test_no_request_url_carries_a_name(officer_client, privacy_officer) -> None:
    pr = receive(privacy_officer)
    html = officer_client.get(reverse("requests:detail", args=[pr.pk])).content.decode()

    for url in re.findall(r'(?:href|action)="([^"]+)"', html):
        assert REQUESTER not in url and "%E8%AB%8B" not in url


def test_the_dashboard_names_its_week_and_month_in_wareki(officer_client) -> None:
    html = officer_client.get(reverse("requests:dashboard")).content.decode()
    # TODAY is Monday 15 June 2026: this week runs to Sunday 21 June, both ends shown.
    assert "今週（令和8年6月15日（月）〜令和8年6月21日（日））が期限" in html
    assert "令和8年6月の期限" in html and "2026年6月の期限" not in html
