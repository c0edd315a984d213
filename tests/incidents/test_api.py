"""The incidents API: officers and administrators list incidents with their next deadline and read one
(logged as ``incident.view``); every other role is refused, an unknown id is 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from incidents import services
from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.models import AuditEvent
from tests.incidents.helpers import complete_all_steps, d, frozen_now, record  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def bearer(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"})


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_officers_list_incidents_with_the_next_step_due(persona: Any) -> None:
    incident = record(persona, people_count=120)  # more than 100 people: reportable

    response = bearer(persona).get("/api/v1/incidents")

    assert response.status_code == 200
    (row,) = response.json()
    assert row["number"] == incident.number
    assert row["reportable"] is True
    assert row["status"] == "open"
    assert row["next_step"]["step"] == "board_first_report"
    assert row["next_step"]["basis"]


def test_one_incident_shows_every_step_and_what_is_missing_and_is_logged(privacy_officer: Any) -> None:
    incident = record(privacy_officer, people_count=3)

    response = bearer(privacy_officer).get(f"/api/v1/incidents/{incident.pk}")

    assert response.status_code == 200
    body = response.json()
    assert [s["step"] for s in body["steps"]] == ["board_first_report", "written_report"]
    assert any("第一報" in line for line in body["missing"])
    assert AuditEvent.objects.filter(
        action="incident.view", target_id=str(incident.pk), detail__view="api"
    ).exists()


def test_open_only_leaves_out_closed_incidents(privacy_officer: Any) -> None:
    still_open = record(privacy_officer, title="対応中の事案")
    closed = complete_all_steps(privacy_officer, record(privacy_officer, title="完了した事案"))
    services.incident_close(actor=privacy_officer, incident=closed, closed_on=d(6, 15))
    client = bearer(privacy_officer)

    everything = client.get("/api/v1/incidents").json()
    open_only = client.get("/api/v1/incidents", {"open_only": "true"}).json()

    assert {row["number"] for row in everything} == {still_open.number, closed.number}
    assert [row["number"] for row in open_only] == [still_open.number]
    assert next(r for r in everything if r["number"] == closed.number)["next_step"] is None


def test_an_unknown_incident_is_404(privacy_officer: Any) -> None:
    assert bearer(privacy_officer).get("/api/v1/incidents/999999").status_code == 404


@pytest.mark.parametrize("persona", ["counter_staff", "working_operator"], indirect=True)
def test_other_roles_are_refused(persona: Any, privacy_officer: Any) -> None:
    incident = record(privacy_officer)
    client = bearer(persona)
    assert client.get("/api/v1/incidents").status_code == 403
    assert client.get(f"/api/v1/incidents/{incident.pk}").status_code == 403
    assert not AuditEvent.objects.filter(action="incident.view").exists()


def test_without_credentials_the_answer_is_401() -> None:
    assert Client().get("/api/v1/incidents").status_code == 401
