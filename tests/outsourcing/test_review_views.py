"""Access review pages: privacy officers only, audited, anomalies highlighted, the monthly PDF."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from privacy_admin.audit.models import AuditEvent, Outcome
from privacy_admin.audit.services import audit_record

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def operator(pickup_counter: Any) -> Any:
    return make_operator(make_contract(branches=[pickup_counter]), "op-east")


@pytest.fixture
def busy_operator(operator: Any) -> Any:
    """Views 12 patrons with no handover at the counter and is refused 3 times: flagged."""
    for patron_id in range(1, 13):
        audit_record(
            standalone=True, actor=operator, action="patron.view", target_type="patron", patron_id=patron_id
        )
    for _ in range(3):
        audit_record(standalone=True, actor=operator, action="patron.out_of_scope", target_type="patron", target_id=77,
                     patron_id=77, outcome=Outcome.DENIED)  # fmt: skip
    return operator


def _period(today: dt.date) -> dict[str, str]:
    return {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}


def _urls(operator: Any) -> list[tuple[str, str]]:
    return [
        ("get", reverse("access_review:index")),
        ("get", reverse("access_review:operator", args=[operator.pk])),
        ("post", reverse("access_review:pdf")),
    ]


@pytest.mark.parametrize(
    "persona", ["counter_staff", "administrator", "contractor_operator", "no_role_user"], indirect=True
)
def test_other_roles_are_refused_with_403_and_logged(persona, login, operator, today) -> None:
    client = login(persona)
    for method, url in _urls(operator):
        assert getattr(client, method)(url, _period(today)).status_code == 403, url
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == 3
    assert not AuditEvent.objects.filter(action__startswith="access_review.").exists()


def test_an_operator_in_force_cannot_review_anyone(login, operator, today) -> None:
    client = login(operator)
    for method, url in _urls(operator):
        assert getattr(client, method)(url, _period(today)).status_code == 403, url


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, operator) -> None:
    for method, url in _urls(operator):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_index_lists_operators_flags_anomalies_and_is_audited(
    login, privacy_officer, busy_operator, today
) -> None:
    response = login(privacy_officer).get(reverse("access_review:index"), _period(today))

    html = response.content.decode()
    assert response.status_code == 200
    assert "op-east" in html and 'class="flagged"' in html and "要確認" in html
    assert "拒否された操作（権限外・範囲外）が3件" in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="access_review.view")
    assert event.actor == privacy_officer and event.target_type == "access_review"
    assert event.detail == {**_period(today), "operators": 1}


def test_the_index_defaults_to_last_month_until_today(login, privacy_officer, operator, today) -> None:
    response = login(privacy_officer).get(reverse("access_review:index"))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="access_review.view")
    assert event.detail["date_to"] == today.isoformat()
    assert (
        event.detail["date_from"]
        == ((today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)).isoformat()
    )


def test_all_staff_can_be_included(login, privacy_officer, operator, counter_staff, today) -> None:
    html = (
        login(privacy_officer)
        .get(reverse("access_review:index"), _period(today) | {"all_staff": "on"})
        .content.decode()
    )
    assert "op-east" in html and ">counter<" in html


def test_the_operator_page_has_the_figures_the_chart_and_is_audited(
    login, privacy_officer, busy_operator, today
) -> None:
    response = login(privacy_officer).get(
        reverse("access_review:operator", args=[busy_operator.pk]), _period(today)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<polyline" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # the chart needs no script of its own
    assert "利用者情報の閲覧" in html and "範囲外アクセス" in html
    event = AuditEvent.objects.get(action="access_review.view")
    assert event.target_type == "user" and event.target_id == str(busy_operator.pk)


def test_a_period_in_the_wrong_order_is_refused_with_a_message(
    login, privacy_officer, operator, today
) -> None:
    client = login(privacy_officer)
    bad = {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=1)).isoformat()}

    for url in (reverse("access_review:index"), reverse("access_review:operator", args=[operator.pk])):
        response = client.get(url, bad)
        assert response.status_code == 400 and "終了日が開始日より前です" in response.content.decode()
    response = client.get(reverse("access_review:index"), {"date_from": "yesterday", "date_to": ""})
    assert response.status_code == 400 and "開始日を正しい日付で入力してください" in response.content.decode()
    assert client.post(reverse("access_review:pdf"), bad).status_code == 400
    assert not AuditEvent.objects.filter(action__startswith="access_review.").exists()


def test_an_unknown_operator_is_404(login, privacy_officer, no_role_user, today) -> None:
    client = login(privacy_officer)
    assert client.get(reverse("access_review:operator", args=[999999]), _period(today)).status_code == 404
    # An account with no staff role is nobody's operator.
    assert client.get(reverse("access_review:operator", args=[no_role_user.pk])).status_code == 404


def _pdf_text(pdf: bytes) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S607
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("one_operator", [False, True])
def test_the_monthly_pdf_is_in_wareki_with_page_numbers_and_audited(
    login, privacy_officer, busy_operator, today, one_operator
) -> None:
    data = _period(today) | ({"operator": str(busy_operator.pk)} if one_operator else {})

    response = login(privacy_officer).post(reverse("access_review:pdf"), data)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "op-east" not in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="access_review.download")
    assert event.actor == privacy_officer
    assert event.target_id == (str(busy_operator.pk) if one_operator else "")
    text = _pdf_text(response.content)
    if text is not None:
        flat = text.replace(" ", "")
        assert "操作状況点検表" in flat and "令和" in flat and "op-east" in flat and "要確認" in flat
        assert "1/" in flat  # the page x / y footer


def test_the_index_costs_a_fixed_number_of_queries(
    login, privacy_officer, pickup_counter, today, django_assert_max_num_queries
) -> None:
    def add_operators(first: int, count: int) -> None:
        for n in range(first, first + count):
            user = make_operator(make_contract(branches=[pickup_counter]), f"op-{n}")
            audit_record(standalone=True, actor=user, action="patron.view", target_type="patron", patron_id=n)

    client = login(privacy_officer)
    client.get(reverse("home"))  # the session is warm
    add_operators(0, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("access_review:index"), _period(today))
    add_operators(1, 8)

    # About 11 for the review itself; the rest is the session, the role check and the audit event.
    with django_assert_max_num_queries(24):
        response = client.get(reverse("access_review:index"), _period(today))

    assert response.status_code == 200 and "op-8" in response.content.decode()
    with CaptureQueriesContext(connection) as nine:
        client.get(reverse("access_review:index"), _period(today))
    assert len(nine) == len(one)


def test_the_operator_page_names_branches_pages_and_records_not_codes(
    login, privacy_officer, busy_operator, pickup_counter, today
) -> None:
    audit_record(standalone=True, actor=busy_operator, action="access.denied", target_type="view",
                 target_id="loans:items", outcome=Outcome.DENIED)  # fmt: skip

    html = (
        login(privacy_officer)
        .get(reverse("access_review:operator", args=[busy_operator.pk]), _period(today))
        .content.decode()
    )

    assert "担当窓口" in html and "館コード" not in html
    assert pickup_counter.name in html and pickup_counter.code not in html
    assert "貸出・資料の画面" in html and "loans:items" not in html and "#" + "loans" not in html
    assert "<code>patron.view</code>" not in html and "patron.out_of_scope" not in html
    assert "利用者 #77" not in html and ">patron" not in html
