"""Annual report pages: who may use them, the 年度 picker (default: the current 年度), the previews,
the PDF downloads (audited), and a bad 年度 answered with a message, never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from privacy_admin.audit.models import AuditEvent
from privacy_admin.audit.models import Outcome as AuditOutcome
from reports import selectors as reports
from tests.register.factories import make_entry

pytestmark = [pytest.mark.django_db]

REFUSED_PERSONAS = ["counter_staff", "contractor_operator", "no_role_user"]
URLS = [
    "annual_reports:index",
    "annual_reports:register_status",
    "annual_reports:register_status_pdf",
    "annual_reports:enforcement",
    "annual_reports:enforcement_pdf",
]


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    day = dt.date(2026, 6, 15)
    monkeypatch.setattr(reports, "today", lambda: day)
    return day


@pytest.mark.parametrize("persona", REFUSED_PERSONAS, indirect=True)
def test_other_roles_are_refused_with_403_and_it_is_logged(persona, login) -> None:
    client = login(persona)
    for name in URLS:
        assert client.get(reverse(name)).status_code == 403, name
    assert AuditEvent.objects.filter(action="access.denied", outcome=AuditOutcome.DENIED).count() == len(URLS)
    assert not AuditEvent.objects.filter(action="annual_report.download").exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    for name in URLS:
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"], name


@pytest.mark.parametrize("persona", ["administrator", "privacy_officer"], indirect=True)
def test_index_opens_on_the_current_fiscal_year(persona, login, frozen_today) -> None:
    page = login(persona).get(reverse("annual_reports:index")).content.decode()
    assert "令和8年度（令和8年4月1日〜令和9年3月31日）" in page
    assert '<option value="2026" selected>' in page
    assert "?fy=2026" in page


def test_index_shows_the_chosen_year(login, administrator, frozen_today) -> None:
    page = login(administrator).get(reverse("annual_reports:index"), {"fy": "2025"}).content.decode()
    assert "令和7年度（令和7年4月1日〜令和8年3月31日）" in page


@pytest.mark.parametrize("fy", ["abc", "2099", "1800", "-1"])
def test_a_bad_year_falls_back_to_the_default_with_a_message(
    login, administrator, frozen_today, fy: str
) -> None:
    response = login(administrator).get(reverse("annual_reports:register_status"), {"fy": fy})
    assert response.status_code == 200
    page = response.content.decode()
    assert "指定された年度が正しくないため、今年度を表示しています" in page and "令和8年度" in page


def test_register_status_preview_shows_the_same_content_as_the_pdf(
    login, administrator, frozen_today
) -> None:
    make_entry(name="行事参加申込の受付", registered_on=dt.date(2025, 5, 1), starts_on=dt.date(2025, 5, 1))
    page = (
        login(administrator).get(reverse("annual_reports:register_status"), {"fy": "2025"}).content.decode()
    )
    assert "個人情報取扱事務登録簿の登録状況報告書" in page
    assert "年度中に登録した事務" in page and "行事参加申込の受付" in page
    assert "令和7年5月1日" in page


def test_enforcement_preview_shows_each_section(login, privacy_officer, frozen_today) -> None:
    page = login(privacy_officer).get(reverse("annual_reports:enforcement"), {"fy": "2025"}).content.decode()
    for section in (
        "開示・訂正・利用停止の請求の状況",
        "苦情の処理の状況",
        "漏えい等事案の状況",
        "委託契約なし",
        "登録簿の変更",
    ):
        assert section in page, section


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("annual_reports:register_status_pdf", "register-status-FY2025.pdf"),
        ("annual_reports:enforcement_pdf", "enforcement-FY2025.pdf"),
    ],
)
def test_pdf_download_is_a_pdf_and_is_audited(
    login, administrator, frozen_today, name: str, filename: str
) -> None:
    response = login(administrator).get(reverse(name), {"fy": "2025"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{filename}"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="annual_report.download")
    assert event.detail["fiscal_year"] == 2025 and event.actor_id == administrator.pk


def test_pdf_with_a_bad_year_goes_back_to_the_index_with_a_message(
    login, administrator, frozen_today
) -> None:
    response = login(administrator).get(
        reverse("annual_reports:enforcement_pdf"), {"fy": "next"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("annual_reports:index")
    assert "年度が正しくないため、報告書を作成できませんでした" in response.content.decode()
    assert not AuditEvent.objects.filter(action="annual_report.download").exists()


def test_pdf_default_year_when_none_is_given(login, administrator, frozen_today: Any) -> None:
    response = login(administrator).get(reverse("annual_reports:register_status_pdf"))
    assert 'filename="register-status-FY2026.pdf"' in response["Content-Disposition"]
