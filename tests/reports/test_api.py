"""The annual reports' figures as JSON: officers and administrators only; a year not yet begun is 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from privacy_admin.accounts.services import api_token_create
from privacy_admin.core.calendar import fiscal_year_of
from privacy_admin.core.dates import today
from tests.register.factories import make_entry

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"})


def test_the_register_status_counts_this_years_entries(privacy_officer: Any) -> None:
    year = fiscal_year_of(today())
    entry = make_entry(name="今年度に登録した事務", registered_on=today(), starts_on=today())

    response = bearer(privacy_officer).get(f"/api/v1/reports/{year}/register-status")

    assert response.status_code == 200
    body = response.json()
    assert body["fiscal_year"] == year
    assert entry.number in [row["number"] for row in body["registered"]]
    assert entry.number in [row["number"] for row in body["in_force_at_end"]]


def test_the_enforcement_report_has_every_section(administrator: Any) -> None:
    year = fiscal_year_of(today())

    response = bearer(administrator).get(f"/api/v1/reports/{year}/enforcement")

    assert response.status_code == 200
    body = response.json()
    assert {"requests", "totals", "complaints_received", "incidents", "contracts", "register"} <= set(body)
    assert body["totals"]["received"] == sum(row["received"] for row in body["requests"])


def test_a_year_not_yet_begun_is_404(privacy_officer: Any) -> None:
    year = fiscal_year_of(today()) + 1
    response = bearer(privacy_officer).get(f"/api/v1/reports/{year}/enforcement")
    assert response.status_code == 404
    assert "年度" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["counter_staff", "working_operator"], indirect=True)
def test_other_roles_are_refused(persona: Any) -> None:
    year = fiscal_year_of(today())
    client = bearer(persona)
    assert client.get(f"/api/v1/reports/{year}/register-status").status_code == 403
    assert client.get(f"/api/v1/reports/{year}/enforcement").status_code == 403
