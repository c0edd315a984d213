"""The officers' page that receives a 電子申請: officers and administrators only; others 403/404."""

from __future__ import annotations

from typing import Any

import pytest

from disclosure_requests.models import OnlineApplication
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(central: Any) -> OnlineApplication:
    return OnlineApplication.objects.create(
        kind="disclosure",
        patron=make_patron(registered_branch=central),
        submitted_on="2026-05-01",
        information_requested="登録内容と貸出記録",
        identity_by="counter",
    )


def test_an_officer_sees_the_patrons_answers(login: Any, privacy_officer: Any, application: Any) -> None:
    response = login(privacy_officer).get(f"/requests/online/{application.pk}/receive/")
    assert response.status_code == 200
    assert "登録内容と貸出記録" in response.content.decode()


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_other_roles_are_refused(login: Any, persona: Any, application: Any) -> None:
    assert login(persona).get(f"/requests/online/{application.pk}/receive/").status_code in (403, 404)


def test_a_missing_application_is_404(login: Any, privacy_officer: Any, db: Any) -> None:
    assert login(privacy_officer).get("/requests/online/999999/receive/").status_code == 404


def test_receiving_without_a_document_is_refused(login: Any, privacy_officer: Any, application: Any) -> None:
    response = login(privacy_officer).post(f"/requests/online/{application.pk}/receive/", {})
    assert response.status_code == 422
    application.refresh_from_db()
    assert application.status == "awaiting"
