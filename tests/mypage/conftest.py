from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from tests.factories import make_patron

PATRON_PASSWORD = "Sagami-Ooyama-1252"


@pytest.fixture(autouse=True)
def _fresh_audit_context() -> Iterator[None]:
    # current_patron() sets the acting patron in the audit context; the request middleware resets it
    # after each request, but tests that call it directly must not leave it to the next test.
    from privacy_admin.audit.context import _context

    token = _context.set(None)
    yield
    _context.reset(token)


@pytest.fixture(autouse=True)
def _cheap_argon2(settings: Any) -> None:
    settings.READING_HISTORY_ARGON2_TIME_COST = 1
    settings.READING_HISTORY_ARGON2_MEMORY_KIB = 64


@pytest.fixture
def patron(db: Any, central: Any, general_category: Any) -> Any:
    return make_patron(
        password=make_password(PATRON_PASSWORD), registered_branch=central, category=general_category
    )


@pytest.fixture
def other_patron(db: Any, central: Any, general_category: Any) -> Any:
    return make_patron(
        password=make_password(PATRON_PASSWORD), registered_branch=central, category=general_category
    )


def sign_in(client: Client, patron: Any, password: str = PATRON_PASSWORD) -> Client:
    response = client.post("/my/login/", {"card_number": patron.card_number, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def patron_client(patron: Any) -> Client:
    return sign_in(Client(), patron)
