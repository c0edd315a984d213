"""Incident pages: who may use them, what they show (deadlines, overdue flags, the timeline, the PDF),
that a refused step changes nothing, and the panel on the officers' dashboard."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from incidents import services
from incidents.models import Incident
from privacy_admin.audit.models import AuditEvent
from privacy_admin.audit.models import Outcome as AuditOutcome
from tests.disclosure_requests.profile_helpers import put_in_force
from tests.incidents.helpers import (
    CIRCUMSTANCES,
    TODAY,
    at,
    complete_all_steps,
    frozen_now,  # noqa: F401
    record,
    snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]

REFUSED_PERSONAS = ["counter_staff", "contractor_operator", "no_role_user"]


@pytest.fixture
def incident(privacy_officer: Any) -> Incident:
    return record(privacy_officer, discovered_at=at(6, 10, 9, 0))


@pytest.fixture
def officer_client(login: Any, privacy_officer: Any) -> Client:
    return login(privacy_officer)


def _urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("incidents:list")),
        ("get", reverse("incidents:create")),
        ("post", reverse("incidents:create")),
        ("get", reverse("incidents:detail", args=[pk])),
        ("post", reverse("incidents:facts", args=[pk])),
        ("post", reverse("incidents:board_report", args=[pk])),
        ("post", reverse("incidents:written_report", args=[pk])),
        ("post", reverse("incidents:triggers", args=[pk])),
        ("post", reverse("incidents:commission_first", args=[pk])),
        ("post", reverse("incidents:commission_final", args=[pk])),
        ("post", reverse("incidents:persons_notified", args=[pk])),
        ("post", reverse("incidents:close", args=[pk])),
        ("get", reverse("incidents:pdf", args=[pk])),
    ]


# --- who may use the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", REFUSED_PERSONAS, indirect=True)
def test_every_page_and_step_refuses_other_roles_with_403_and_logs_it(persona, login, incident) -> None:
    client = login(persona)
    before = snapshot()
    for method, url in _urls(incident.pk):
        response = getattr(client, method)(url, {"board-reported_by": "館長"} if method == "post" else None)
        assert response.status_code == 403, url
        assert CIRCUMSTANCES not in response.content.decode()
    denied = AuditEvent.objects.filter(action="access.denied", outcome=AuditOutcome.DENIED)
    assert denied.count() == len(_urls(incident.pk))
    assert not AuditEvent.objects.filter(action="incident.view").exists()
    assert Incident.objects.get(pk=incident.pk).board_reported_at is None
    assert snapshot()["Incident"] == before["Incident"]


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, incident) -> None:
    for method, url in _urls(incident.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_officers_and_administrators_use_the_pages(persona, login, incident) -> None:
    client = login(persona)
    assert client.get(reverse("incidents:list")).status_code == 200
    assert client.get(reverse("incidents:create")).status_code == 200
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 200


# --- list ------------------------------------------------------------------------------------------------


def test_list_shows_open_incidents_first_with_the_next_deadline_and_overdue_flag(
    officer_client, privacy_officer, incident
) -> None:
    closed = complete_all_steps(privacy_officer, record(privacy_officer, people_count=1, title="閉じた事案"))
    services.incident_close(actor=privacy_officer, incident=closed, closed_on=TODAY)
    page = officer_client.get(reverse("incidents:list")).content.decode()
    assert page.index(incident.number) < page.index(closed.number)
    assert "教育委員会への第一報" in page  # the next step of the open one, due 6/10 (直ちに), now overdue
    assert "令和8年6月10日" in page and "期限超過" in page
    assert 'class="overdue"' in page


def test_list_query_count_does_not_grow_with_incidents(
    officer_client, privacy_officer, django_assert_max_num_queries
) -> None:
    for n in range(5):
        record(privacy_officer, title=f"事案{n}")
    with django_assert_max_num_queries(15):
        assert officer_client.get(reverse("incidents:list")).status_code == 200


# --- create ----------------------------------------------------------------------------------------------


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "行事案内メールの宛先誤り",
        "kind": "leak",
        "discovered_at": "2026-06-15T09:40",
        "discovered_by": "管理係 職員",
        "occurred_at": "",
        "data_items": ["email"],
        "other_items": "",
        "people_count": "120",
        "place": "中央図書館 事務室",
        "circumstances": CIRCUMSTANCES,
        "first_measures": "",
    }
    data.update(overrides)
    return data


def test_create_records_the_incident_and_warns_when_reportable(officer_client) -> None:
    response = officer_client.post(reverse("incidents:create"), _form(), follow=True)
    incident = Incident.objects.get()
    assert response.redirect_chain[-1][0] == reverse("incidents:detail", args=[incident.pk])
    page = response.content.decode()
    assert "事案 R8-事案-001 を記録しました" in page
    assert "100人を超える" in page
    assert incident.discovered_at == at(6, 15, 9, 40)
    assert "個人情報保護委員会への確報" in page and "令和8年7月14日" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"people_count": "-1"}, "本人の数は1以上"),
        ({"people_count": "abc"}, "整数で入力"),
        ({"discovered_at": "2026-06-16T09:00"}, "未来の日時"),
        ({"discovered_at": "2026-02-30T09:00"}, "存在しない日時"),
        ({"data_items": [], "other_items": ""}, "1つ以上"),
        ({"data_items": ["nope"]}, "一覧から選んで"),
        ({"title": ""}, "件名を入力"),
    ],
)
def test_create_with_bad_input_shows_the_message_and_records_nothing(
    officer_client, overrides: dict[str, Any], message: str
) -> None:
    response = officer_client.post(reverse("incidents:create"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Incident.objects.exists()


# --- detail and steps --------------------------------------------------------------------------------------


def test_detail_shows_the_timeline_and_due_steps_and_is_audited(
    officer_client, privacy_officer, incident
) -> None:
    services.incident_board_report(
        actor=privacy_officer, incident=incident, reported_at=at(6, 11, 9, 0), reported_by="館長"
    )
    page = officer_client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "経過" in page and "教育委員会への第一報" in page and "報告者: 館長" in page
    assert "期限（令和8年6月10日）を過ぎてから記録" in page  # the first report came the next day
    assert "個人情報保護委員会への速報" in page
    assert "「速やかに」" in page
    assert AuditEvent.objects.filter(action="incident.view", target_id=str(incident.pk)).exists()


def _post(client: Client, name: str, pk: int, data: dict[str, Any]) -> Any:
    return client.post(reverse(f"incidents:{name}", args=[pk]), data, follow=True)


def test_steps_through_the_pages_to_the_close(officer_client, incident) -> None:
    pk = incident.pk
    steps = [
        ("board_report", {"board-reported_at": "2026-06-10T09:30", "board-reported_by": "館長"}, "第一報を記録しました"),
        ("triggers", {"triggers-wrongful_purpose": "on"}, "報告と本人への通知が必要です"),
        ("written_report", {"written-submitted_on": "2026-06-12", "written-cause": "誤送信", "written-prevention_plan": "BCC必須"}, "報告書及び今後の対処方針の提出を記録しました"),
        ("commission_first", {"first-reported_at": "2026-06-11T10:00"}, "速報を記録しました"),
        ("commission_final", {"final-reported_on": "2026-06-15"}, "確報を記録しました"),
        ("persons_notified", {"persons-notified_on": "2026-06-12", "persons-method": "個別の電子メール"}, "本人への通知を記録しました"),
        ("close", {"close-closed_on": "2026-06-15"}, "を完了にしました"),
    ]  # fmt: skip
    for name, data, message in steps:
        response = _post(officer_client, name, pk, data)
        assert message in response.content.decode(), name
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED and incident.wrongful_purpose


def test_a_refused_step_shows_the_message_on_the_detail_page_and_changes_nothing(
    officer_client, incident
) -> None:
    before = snapshot()
    response = _post(officer_client, "close", incident.pk, {"close-closed_on": "2026-06-15"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "次の手続きが記録されていないため、完了にできません。" in page
    assert "・教育委員会への第一報（山梨県 要綱第48条第1項）" in page
    after = snapshot()
    assert (
        after["Incident"] == before["Incident"]
        and after["HistoricalIncident"] == before["HistoricalIncident"]
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("commission_final", {"final-reported_on": "2026-06-15"}, "速報を記録してから"),
        ("written_report", {"written-submitted_on": "2026-06-12", "written-cause": "c", "written-prevention_plan": "p"}, "第一報"),
        ("board_report", {"board-reported_at": "2026-06-09T09:00", "board-reported_by": "館長"}, "発覚日時より前"),
        ("board_report", {"board-reported_at": "yesterday", "board-reported_by": "館長"}, "存在しない日時"),
        ("persons_notified", {"persons-notified_on": "2026-06-12", "persons-method": ""}, "通知の方法を入力"),
        ("facts", {"facts-people_count": "-5"}, "本人の数は1以上"),
    ],
)  # fmt: skip
def test_bad_step_input_is_refused_with_a_clear_message(
    officer_client, incident, name, data, message
) -> None:
    before = snapshot()["Incident"]
    response = _post(officer_client, name, incident.pk, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot()["Incident"] == before


def test_commission_report_on_a_not_reportable_incident_is_refused(officer_client, privacy_officer) -> None:
    incident = record(privacy_officer, people_count=2)
    response = _post(
        officer_client, "commission_first", incident.pk, {"first-reported_at": "2026-06-15T11:00"}
    )
    assert "報告対象の事態（規則第43条各号）に当たらない" in response.content.decode()
    incident.refresh_from_db()
    assert incident.commission_first_report_at is None


def test_unknown_incident_is_404(officer_client) -> None:
    assert officer_client.get(reverse("incidents:detail", args=[999999])).status_code == 404
    assert officer_client.post(reverse("incidents:close", args=[999999]), {}).status_code == 404


# --- PDF ---------------------------------------------------------------------------------------------------


def test_incident_pdf_has_every_item_of_article_48_in_wareki_and_is_audited(
    officer_client, privacy_officer, incident
) -> None:
    complete_all_steps(privacy_officer, incident)
    response = officer_client.get(reverse("incidents:pdf", args=[incident.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="R8-incident-001.pdf"' in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    for expected in (
        "事故報告書",
        "R8-事案-001",
        "電子メールアドレス",
        "120人",
        "中央図書館事務室",
        "令和8年6月10日",
        "教育委員会への第一報",
        "個人情報保護委員会への確報",
        "本人の数が100人を超える",
        "報告対象の事態に該当する",
        "再発防止策",
        "BCCを必須にする",
    ):
        assert expected in compact, expected
    assert AuditEvent.objects.filter(action="incident.view", detail__view="pdf").exists()


# --- the officers' dashboard ----------------------------------------------------------------------------


def test_dashboard_shows_open_incidents_with_their_next_deadline(officer_client, privacy_officer) -> None:
    reportable = record(privacy_officer, title="誤送信", discovered_at=at(6, 14, 9, 0))
    services.incident_board_report(
        actor=privacy_officer, incident=reportable, reported_at=at(6, 14, 9, 30), reported_by="館長"
    )
    page = officer_client.get(reverse("requests:dashboard")).content.decode()
    assert "漏えい等事案の期限" in page
    assert reportable.number in page
    assert "個人情報保護委員会への確報" in page and "令和8年7月13日" in page  # 6/14 is day 1
    assert "本人への通知" in page


def test_dashboard_says_so_when_no_incident_is_open(officer_client) -> None:
    page = officer_client.get(reverse("requests:dashboard")).content.decode()
    assert "対応中の漏えい等事案はありません。" in page


def test_facts_step_updates_the_facts_and_keeps_a_link_to_an_entry_abolished_since(
    officer_client, privacy_officer
) -> None:
    from register.models import RegisterEntry
    from tests.register.factories import make_entry

    entry = make_entry()
    incident = record(privacy_officer, register_entries=[entry], people_count=3)
    RegisterEntry.objects.filter(pk=entry.pk).update(status="abolished", abolished_on=entry.registered_on)
    data = {
        "facts-title": incident.title,
        "facts-kind": incident.kind,
        "facts-discovered_at": "2026-06-15T09:40",
        "facts-discovered_by": incident.discovered_by,
        "facts-data_items": ["email"],
        "facts-register_entries": [str(entry.pk)],
        "facts-people_count": "150",
        "facts-place": incident.place,
        "facts-circumstances": incident.circumstances,
        "facts-first_measures": "削除を依頼した。",
    }
    response = _post(officer_client, "facts", incident.pk, data)
    assert "事実関係を修正しました。報告対象の事態に当たるようになりました。" in response.content.decode()
    incident.refresh_from_db()
    assert incident.people_count == 150 and list(incident.register_entries.all()) == [entry]


def test_the_data_items_checkboxes_are_named_by_a_legend_not_an_empty_label(officer_client) -> None:
    page = officer_client.get(reverse("incidents:create")).content.decode()
    assert 'for=""' not in page
    legend = page.index("<legend>個人情報の項目")
    fieldset_start = page.rindex("<fieldset", 0, legend)
    fieldset_end = page.index("</fieldset>", legend)
    assert 'type="checkbox"' in page[fieldset_start:fieldset_end]


def test_a_refused_record_lists_its_errors_with_links_to_the_fields(officer_client) -> None:
    form = _form(title="", data_items=[], other_items="")
    page = officer_client.post(reverse("incidents:create"), form).content.decode()
    opening = page.rindex("<div", 0, page.index("data-error-summary"))
    summary = page[opening : page.index("</div>", opening)]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "件名を入力" in summary and ('href="#id_facts-title"' in summary or 'href="#id_title"' in summary)
    assert '_0"' in summary  # the checkbox group's link goes to its first box


# --- the law the pages cite ------------------------------------------------------------------------------


def _incident_pages(client: Client, pk: int) -> str:
    return "".join(
        client.get(url).content.decode()
        for url in (
            reverse("incidents:list"),
            reverse("incidents:create"),
            reverse("incidents:detail", args=[pk]),
            reverse("requests:dashboard"),
        )
    )


def test_incident_pages_and_pdf_cite_the_yamanashi_article_under_that_profile(
    officer_client, incident
) -> None:
    put_in_force("yamanashi-15")
    pages = _incident_pages(officer_client, incident.pk)
    assert "（山梨県 要綱第48条第1項）" in pages
    assert "山梨県 要綱第48条第1項" in pages  # the board steps' basis in the table of steps
    pdf = officer_client.get(reverse("incidents:pdf", args=[incident.pk])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")
    assert (
        "山梨県立図書館の個人情報の保護に関する要綱第48条第1項の規定により、次のとおり報告します"
        in text.replace("\n", "")
    )


def test_incident_pages_and_pdf_cite_no_yamanashi_article_under_the_appi_profile(
    officer_client, privacy_officer
) -> None:
    put_in_force("appi")
    incident = record(privacy_officer, first_measures="")
    pages = _incident_pages(officer_client, incident.pk)
    assert "要綱" not in pages and "第48条" not in pages
    assert "（個人情報の保護に関する法律第68条第1項）" in pages or "法第68条第1項" in pages
    # The close refusal lists the board steps without a citation the Act does not have.
    page = _post(officer_client, "close", incident.pk, {"close-closed_on": "2026-06-15"}).content.decode()
    assert "・教育委員会への第一報<" in page or "・教育委員会への第一報\n" in page
    pdf = officer_client.get(reverse("incidents:pdf", args=[incident.pk])).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert "要綱" not in flat and "第48条" not in flat
    assert "に係る事件等について、次のとおり報告します" in flat
