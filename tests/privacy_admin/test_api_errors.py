"""An unexpected error inside an API operation answers JSON (500, a Japanese message) and logs the
operation and the exception's type only — never its message, which may carry personal data."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

import patrons.api
from privacy_admin.accounts.services import api_token_create
from privacy_admin.api import SERVER_ERROR_MESSAGE

SECRET = "山田花子 0123456789"


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(SECRET)


@pytest.fixture
def broken_branches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patrons.api, "active_branches", _boom)


def test_an_unexpected_error_answers_json_without_internals(
    counter_staff: Any, broken_branches: None, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(
        raise_request_exception=False,
        headers={"Authorization": f"Bearer {api_token_create(actor=None, user=counter_staff)}"},
    )
    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/branches")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": SERVER_ERROR_MESSAGE}
    assert "RuntimeError" in caplog.text
    assert SECRET not in caplog.text
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_an_anonymous_call_still_answers_401_through_its_own_handler(broken_branches: None) -> None:
    response = Client().get("/api/v1/branches")
    assert response.status_code == 401
    assert response.json()["detail"]
