"""Annual reports (要綱 第16条第6項, 第50条): the 年度 (April–March), the register's year from the entries
and their history, the 施行状況 counts (requests by kind and outcome with the on-time rate, extensions,
complaints, incidents, trainings and audits per contract), the PDFs in 和暦 with page numbers, and the
audited download."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from disclosure_requests import complaints
from disclosure_requests import services as request_services
from incidents import services as incident_services
from incidents.models import Incident
from outsourcing.models import Handler, OnSiteAudit, TrainingSession
from privacy_admin.audit.models import AuditEvent
from register.services import entries as entry_services
from reports import selectors as reports
from tests.disclosure_requests.profile_helpers import put_in_force
from tests.disclosure_requests.request_helpers import receive, today  # noqa: F401
from tests.incidents.helpers import at, frozen_now, record  # noqa: F401
from tests.outsourcing.factories import make_contract
from tests.register.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today", "frozen_now")]

FY = 2025  # 令和7年度: 2025-04-01 – 2026-03-31
D = dt.date


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


# --- the 年度 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year", "default"),
    [
        (D(2026, 3, 31), 2025, 2025),
        (D(2026, 4, 1), 2026, 2026),
        (D(2026, 6, 15), 2026, 2026),
        (D(2027, 1, 10), 2026, 2026),
    ],
)
def test_fiscal_year_runs_april_to_march_and_the_default_is_the_current_one(
    day: dt.date, year: int, default: int
) -> None:
    assert reports.fiscal_year_of(day) == year
    assert reports.default_fiscal_year(day) == default
    assert reports.fiscal_year_bounds(2025) == (D(2025, 4, 1), D(2026, 3, 31))
    assert reports.fiscal_year_label(2025) == "令和7年度"


def test_report_years_go_from_the_earliest_data_to_the_current_year(privacy_officer) -> None:
    make_entry(registered_on=D(2022, 5, 1), starts_on=D(2022, 5, 1))
    assert reports.report_years(D(2026, 6, 15))[:5] == [2026, 2025, 2024, 2023, 2022]


@pytest.mark.parametrize("year", [1999, 2027, "2025", None, True])
def test_a_year_not_begun_or_not_a_year_is_refused(year: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        reports.validate_year(year, on=D(2026, 6, 15))
    assert "年度は" in exc.value.message_dict["fiscal_year"][0]


# --- (a) 登録状況 -----------------------------------------------------------------------------------------


@pytest.fixture
def register_year(privacy_officer) -> dict[str, Any]:
    """One entry registered in the year and changed in it and after it; one abolished in it; one
    registered before and untouched; one registered after."""
    new = make_entry(name="行事参加申込の受付", registered_on=D(2025, 5, 1), starts_on=D(2025, 5, 10))
    entry_services.register_entry_change(
        actor=privacy_officer,
        entry=new,
        reason="目的の追加",
        changed_on=D(2025, 9, 1),
        purpose="行事の案内と受付のため",
    )
    entry_services.register_entry_change(
        actor=privacy_officer,
        entry=new,
        reason="名称変更",
        changed_on=D(2026, 5, 1),
        name="行事・講座の参加申込の受付",
    )
    old = make_entry(name="複写サービス申込", registered_on=D(2024, 4, 1), starts_on=D(2024, 4, 1))
    entry_services.register_entry_abolish(
        actor=privacy_officer, entry=old, abolished_on=D(2026, 2, 1), reason="サービスの終了"
    )
    kept = make_entry(name="読書会名簿", registered_on=D(2023, 4, 1), starts_on=D(2023, 4, 1))
    later = make_entry(name="来年度の事務", registered_on=D(2026, 4, 10), starts_on=D(2026, 4, 10))
    return {"new": new, "old": old, "kept": kept, "later": later}


def test_register_status_counts_registrations_changes_and_abolitions_of_the_year(register_year) -> None:
    status = reports.register_status(FY)
    new, old, kept, later = (register_year[k] for k in ("new", "old", "kept", "later"))
    assert [r.number for r in status.registered] == [new.number]
    assert [(c.number, c.changed_on, c.reason) for c in status.changed] == [
        (new.number, D(2025, 9, 1), "目的の追加")
    ]
    assert status.changed[0].fields == ["個人情報取扱事務の目的"]
    assert [r.number for r in status.abolished] == [old.number]
    at_end = {r.number: r for r in status.in_force_at_end}
    assert new.number in at_end and kept.number in at_end
    assert old.number not in at_end and later.number not in at_end
    # As it stood on 3/31: the name before the change of 2026-05-01.
    assert at_end[new.number].name == "行事参加申込の受付"
    assert at_end[new.number].changed_on == D(2025, 9, 1)
    assert status.changed_entries == 1


def test_register_status_of_the_next_year_shows_the_later_change(register_year) -> None:
    status = reports.register_status(2026)
    assert [c.reason for c in status.changed] == ["名称変更"]
    assert status.changed[0].fields == ["個人情報取扱事務の名称"]
    # (the core entries of the data migration are registered in this year too; ours start at 1000)
    assert [r.name for r in status.registered if r.number >= 1000] == ["来年度の事務"]
    start_count = reports.register_status(FY).in_force_at_end
    assert status.in_force_at_start == len(start_count)


def test_register_status_pdf_is_in_wareki_with_page_numbers(register_year) -> None:
    pdf = reports.render_report_pdf(reports.REGISTER_STATUS, FY)
    text = text_of(pdf)
    for expected in (
        "令和7年度",
        "個人情報取扱事務登録簿の登録状況報告書",
        "要綱第16条第6項",
        "令和7年4月1日から令和8年3月31日まで",
        "行事参加申込の受付",
        "目的の追加",
        "複写サービス申込",
        "令和8年2月1日",
        "年度末（令和8年3月31日）現在",
        "1/",
    ):
        assert expected in text, expected


# --- (b) 施行状況 ------------------------------------------------------------------------------------------


@pytest.fixture
def request_year(privacy_officer) -> None:
    officer = privacy_officer
    on_time = receive(officer, received_on=D(2025, 6, 2))  # due 6/17
    request_services.request_decide(actor=officer, request=on_time, outcome="full", decided_on=D(2025, 6, 10))
    late = receive(officer, received_on=D(2025, 7, 1))  # due 7/16
    request_services.request_decide(
        actor=officer,
        request=late,
        outcome="partial",
        decided_on=D(2025, 7, 20),
        reasons=["third_person"],
        reason_text="他の利用者の情報を含むため",
    )
    extended = receive(officer, received_on=D(2025, 8, 1))  # due 8/16, +10 → 8/26
    request_services.request_extend(
        actor=officer,
        request=extended,
        days=10,
        reason="資料の確認に時間を要するため",
        notified_on=D(2025, 8, 10),
    )
    request_services.request_decide(
        actor=officer, request=extended, outcome="full", decided_on=D(2025, 8, 25)
    )
    withdrawn = receive(officer, received_on=D(2025, 9, 1))
    request_services.request_withdraw(actor=officer, request=withdrawn, on=D(2025, 9, 5))
    receive(officer, received_on=D(2026, 3, 25))  # pending
    correction = receive(
        officer,
        kind="correction",
        received_on=D(2025, 10, 1),
        disclosed_on=D(2025, 9, 20),
        correction_content="住所",
    )
    request_services.request_decide(
        actor=officer, request=correction, outcome="correct", decided_on=D(2025, 10, 20)
    )
    receive(officer, received_on=D(2026, 4, 5))  # next year: not counted


def test_requests_by_kind_outcome_on_time_rate_and_extensions(request_year) -> None:
    rows, totals = reports.request_rows(FY)
    by_kind = {r.kind: r for r in rows}
    disclosure = by_kind["disclosure"]
    assert disclosure.received == 5
    assert dict(disclosure.outcomes)["全部開示"] == 2 and dict(disclosure.outcomes)["部分開示"] == 1
    assert (disclosure.withdrawn, disclosure.pending, disclosure.decided, disclosure.on_time) == (1, 1, 3, 2)
    assert disclosure.on_time_rate == "66.7%"
    assert disclosure.extensions == 1 and disclosure.special_extensions == 0
    assert disclosure.outcome_text == "全部開示 2件、部分開示 1件"
    assert disclosure.outcome_parts == ["全部開示 2件", "部分開示 1件"]  # each printed unbroken
    correction = by_kind["correction"]
    assert (correction.received, correction.decided, correction.on_time_rate) == (1, 1, "100.0%")
    suspension = by_kind["suspension"]
    assert suspension.received == 0 and suspension.on_time_rate == "—" and suspension.outcome_text == "—"
    assert (totals.received, totals.decided, totals.on_time) == (6, 4, 3)


@pytest.fixture
def overdue_year(privacy_officer) -> None:
    """令和8年度 as it stands on 2026-06-15: three requests decided in time, one 25 days overdue and
    undecided (received 5/7, due in May), one received 6/10 and not yet due."""
    officer = privacy_officer
    for received, decided in (
        (D(2026, 4, 1), D(2026, 4, 10)),
        (D(2026, 4, 13), D(2026, 4, 20)),
        (D(2026, 5, 1), D(2026, 5, 8)),
    ):
        request = receive(officer, received_on=received)
        request_services.request_decide(actor=officer, request=request, outcome="full", decided_on=decided)
    receive(officer, received_on=D(2026, 5, 7))  # overdue by 6/15
    receive(officer, received_on=D(2026, 6, 10))  # due 6/25: not yet


def test_an_undecided_request_past_its_deadline_counts_against_the_on_time_rate(overdue_year) -> None:
    rows, totals = reports.request_rows(2026, on=D(2026, 6, 15))
    disclosure = {r.kind: r for r in rows}["disclosure"]
    assert (disclosure.decided, disclosure.on_time, disclosure.pending, disclosure.overdue) == (3, 3, 2, 1)
    assert disclosure.due == 4 and disclosure.on_time_rate == "75.0%"
    assert (totals.overdue, totals.due, totals.on_time_rate) == (1, 4, "75.0%")


def test_overdue_is_judged_on_the_report_cutoff_and_the_deadline_day_is_still_in_time(
    privacy_officer,
) -> None:
    request = receive(privacy_officer, received_on=D(2026, 6, 1))
    due_on = request_services.request_deadline(request, D(2026, 6, 1)).due_on
    assert not reports.overdue_undecided(request, cutoff=due_on)
    assert reports.overdue_undecided(request, cutoff=due_on + dt.timedelta(days=1))
    # the cut-off is the 年度's last day, or the day the report is made while the 年度 runs
    assert reports.report_cutoff(2026, on=D(2026, 6, 15)) == D(2026, 6, 15)
    assert reports.report_cutoff(2025, on=D(2026, 6, 15)) == D(2026, 3, 31)


def test_enforcement_pdf_shows_the_overdue_requests_and_explains_the_rate(
    overdue_year, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reports, "today", lambda: D(2026, 6, 15))
    text = text_of(reports.render_report_pdf(reports.ENFORCEMENT, 2026))
    assert "うち期限超過" in text
    assert "3/4（75.0%）" in text and "3/3（100.0%）" not in text
    assert "令和8年6月15日（基準日" in text
    assert "決定した請求と期限超過の請求の合計のうち" in text


def test_incidents_are_counted_by_the_year_they_were_known(privacy_officer) -> None:
    reportable = record(privacy_officer, discovered_at=at(7, 1, 9, 0, year=2025))
    incident_services.incident_commission_report(
        actor=privacy_officer, incident=reportable, stage="first", reported_at=at(7, 2, 9, 0, year=2025)
    )
    record(
        privacy_officer, kind=Incident.Kind.LOSS, people_count=1, discovered_at=at(3, 31, 23, 30, year=2026)
    )
    record(privacy_officer, discovered_at=at(4, 1, 0, 30, year=2026))  # 令和8年度
    counts = reports.incident_counts(FY)
    assert counts.total == 2 and counts.reportable == 1 and counts.commission_reported == 1
    assert dict(counts.by_kind) == {"漏えい": 1, "滅失": 1, "き損": 0, "漏えい等のおそれ": 0}
    assert (counts.open, counts.closed) == (2, 0)


def test_without_contracts_the_report_says_so(privacy_officer) -> None:
    assert reports.contract_rows(FY) == []
    text = text_of(reports.render_report_pdf(reports.ENFORCEMENT, FY))
    assert "委託契約なし" in text


def test_trainings_and_audits_are_counted_per_contract_in_the_year(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], starts_on=D(2025, 4, 1), ends_on=D(2026, 3, 31))
    handler = Handler.objects.filter(contract=contract).first() or Handler.objects.create(
        contract=contract, name="担当"
    )
    for held_on in (D(2025, 4, 10), D(2025, 10, 1), D(2026, 4, 2)):
        session = TrainingSession.objects.create(
            contract=contract,
            held_on=held_on,
            provider="library",
            material="個人情報保護研修",
            recorded_by=privacy_officer,
        )
        session.attendees.add(handler)
    OnSiteAudit.objects.create(
        contract=contract, audited_on=D(2025, 12, 1), auditor="監査担当", recorded_by=privacy_officer
    )
    make_contract(branches=[pickup_counter], starts_on=D(2026, 4, 1), ends_on=D(2027, 3, 31))  # next year
    rows = reports.contract_rows(FY)
    assert [(r.number, r.trainings, r.attendees, r.audits) for r in rows] == [(contract.number, 2, 1, 1)]


def test_enforcement_report_pdf_has_every_section_in_wareki(request_year, privacy_officer) -> None:
    complaints.complaint_receive(
        actor=privacy_officer, received_on=D(2025, 11, 1), channel="counter", summary="対応が遅い"
    )
    record(privacy_officer, discovered_at=at(7, 1, 9, 0, year=2025))
    make_entry(registered_on=D(2025, 5, 1), starts_on=D(2025, 5, 1))
    pdf = reports.render_report_pdf(reports.ENFORCEMENT, FY)
    text = text_of(pdf)
    for expected in (
        "令和7年度",
        "施行状況報告書",
        "要綱第50条",
        "開示請求",
        "全部開示2件、部分開示1件",
        "2/3（66.7%）",
        "苦情",
        "受け付けた苦情1件",
        "漏えい等事案",
        "うち個人情報保護委員会への報告対象",
        "委託契約なし",
        "年度中に登録した事務1件",
    ):
        assert expected in text, expected
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1


def test_download_is_audited_and_refuses_a_bad_report_or_year(privacy_officer) -> None:
    content, filename = reports.annual_report_download(
        actor=privacy_officer, report=reports.ENFORCEMENT, year=FY
    )
    assert content.startswith(b"%PDF") and filename == "enforcement-FY2025.pdf"
    event = AuditEvent.objects.get(action="annual_report.download")
    assert event.detail == {"report": "enforcement", "fiscal_year": 2025}
    with pytest.raises(ValidationError):
        reports.annual_report_download(actor=privacy_officer, report="secret", year=FY)
    with pytest.raises(ValidationError):
        reports.annual_report_download(actor=privacy_officer, report=reports.ENFORCEMENT, year=2099)
    assert AuditEvent.objects.filter(action="annual_report.download").count() == 1


def _page_texts(pdf: bytes) -> list[str]:
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_enforcement_pdf_never_splits_a_summary_table_over_two_pages(privacy_officer, settings) -> None:
    """The 漏えい等事案 table once ran over a page break, leaving 「合計」 and the rest alone at the top of
    the next page. Wherever the page break falls (the addressee's name moves everything down line by
    line), each summary stays on one page with its heading."""
    record(privacy_officer, discovered_at=at(7, 1, 9, 0, year=2025))
    sections = [("2苦情の処理の状況", "うち対応中"), ("3漏えい等事案の状況", "完了／対応中")]
    for lines in range(0, 24, 2):
        settings.LIBRARY_APPEAL_AUTHORITY = "あさひ市教育委員会" + "　" * 40 * lines
        pages = _page_texts(reports.render_report_pdf(reports.ENFORCEMENT, FY))
        for heading, last_row in sections:
            page = next(p for p in pages if heading in p)
            assert last_row in page.split(heading, 1)[1], (lines, heading)


def test_enforcement_pdf_keeps_a_contract_title_on_one_line(privacy_officer, pickup_counter) -> None:
    """The 業務名 column was so narrow that the title broke 「駅前資料受取窓口管理業/務」."""
    make_contract(
        branches=[pickup_counter],
        title="駅前資料受取窓口管理業務",
        starts_on=D(2025, 4, 1),
        ends_on=D(2026, 3, 31),
    )
    pdf = reports.render_report_pdf(reports.ENFORCEMENT, FY)
    lines = [line for page in PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().splitlines()]
    assert any("駅前資料受取窓口管理業務" in line for line in lines)
    assert any("令和7年4月1日" in line for line in lines)


@pytest.mark.parametrize(("code", "cited"), [("yamanashi-15", "（山梨県要綱第16条第2項）"), ("appi", "")])
def test_the_register_section_cites_the_registration_rule_of_the_profile_in_force(
    privacy_officer, code: str, cited: str
) -> None:
    """Under the Act the 事務登録簿 is the city's own (法第75条第5項): the section cites no 第75条第1項."""
    put_in_force(code)
    text = text_of(reports.render_report_pdf(reports.ENFORCEMENT, FY))
    assert f"5個人情報取扱事務登録簿の変更の状況{cited}" in text.replace("\u3000", "")
    assert "第75条" not in text
