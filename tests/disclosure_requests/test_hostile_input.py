"""Receipt dates before 1873 (the first day 和暦 numbering renders) are refused with a message on the
intake form, the complaint form and the API — once a server error while the record was numbered."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disclosure_requests.models import Complaint, PrivacyRequest
from privacy_admin.accounts.services import api_token_create

from .request_helpers import REQUESTER, today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _intake(**overrides: str) -> dict[str, str]:
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


@pytest.mark.parametrize(
    ("received_on", "message"), [("1872-12-31", "以降の日付"), ("1868-01-01", "以降の日付")]
)
def test_the_intake_form_refuses_a_receipt_before_1873(
    privacy_officer: Any, received_on: str, message: str
) -> None:
    response = _client(privacy_officer).post(reverse("requests:receive"), _intake(received_on=received_on))
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors["received_on"])
    assert not PrivacyRequest.objects.exists()


def test_the_complaint_form_refuses_a_receipt_before_1873(privacy_officer: Any) -> None:
    response = _client(privacy_officer).post(
        reverse("complaints:create"),
        {"received_on": "1872-01-01", "channel": "mail", "complainant_name": "山田", "summary": "苦情"},
    )
    assert response.status_code == 400  # the complaint page answers a refused form with 400
    assert "以降の日付" in " ".join(str(e) for e in response.context["form"].errors["received_on"])
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        ("1872-12-31", "1873-01-01以降の日付で指定してください。"),
        ("9999-12-31", "以前の日付で指定してください。"),
    ],
)
def test_the_api_refuses_a_receipt_outside_the_accepted_range(
    privacy_officer: Any, received_on: str, message: str
) -> None:
    client = Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=privacy_officer)}"})
    body = {
        "kind": "disclosure",
        "received_on": received_on,
        "requester_name": REQUESTER,
        "identity_document_type": "drivers_license",
        "information_requested": "利用登録の情報",
    }
    response = client.post("/api/v1/requests", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    found = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert message in found["received_on"]
    assert not PrivacyRequest.objects.exists()
