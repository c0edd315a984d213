"""The patron's password reset with the cache down: the rate limit fails closed with a clear message
(503), never a 500 and never an unlimited door; nothing is changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patrons.models import Patron
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


def test_password_reset_is_refused_clearly_when_the_cache_is_down(dead_cache: Any, central: Any) -> None:
    patron: Patron = make_patron(registered_branch=central)
    client = Client(raise_request_exception=False)
    assert client.get(reverse("patrons:password_reset")).status_code == 200
    response = client.post(
        reverse("patrons:password_reset"),
        {
            "card_number": patron.card_number,
            "email": patron.email,
            "password": "abcdefg1",
            "password_confirm": "abcdefg1",
        },
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert (
        "現在この操作を受け付けられません。しばらくしてからもう一度お試しください。"
        in response.content.decode()
    )
    patron.refresh_from_db()
    assert not patron.has_password
