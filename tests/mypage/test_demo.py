"""``manage.py seed_demo`` prints the demo patron's card number and password; they open マイページ."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from mypage.demo import DEMO_PATRON_PASSWORD, demo_card_number

pytestmark = pytest.mark.django_db


def test_seed_demo_prints_a_demo_patron_who_can_sign_in() -> None:
    out = StringIO()
    call_command("seed_demo", "--patrons", "5", stdout=out)
    text = out.getvalue()
    logins = text[text.index("デモ用ログイン") :]
    assert demo_card_number() in logins and DEMO_PATRON_PASSWORD in logins
    response = Client().post(
        "/my/login/", {"card_number": demo_card_number(), "password": DEMO_PATRON_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/my/"
    call_command("seed_demo", "--patrons", "5", stdout=StringIO())  # idempotent
    response = Client().post(
        "/my/login/", {"card_number": demo_card_number(), "password": DEMO_PATRON_PASSWORD}
    )
    assert response.status_code == 302
