"""``manage.py seed_demo``: idempotent, prints the demo logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from mypage.demo import demo_card_number
from outsourcing.demo import SCHOOL_BRANCH
from patrons.models import Patron

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_logins() -> None:
    out = StringIO()
    call_command("seed_demo", "--patrons", "20", stdout=out)
    first = Patron.objects.count()
    # 20 patrons plus the pupils the school contract's demo registers (outsourcing.demo).
    # ... and the マイページ demo patron (mypage.demo).
    assert (
        Patron.objects.exclude(registered_branch__code=SCHOOL_BRANCH[0])
        .exclude(card_number=demo_card_number())
        .count()
        == 20
    )
    assert "counter" in out.getvalue() and "Shiori-Counter-2026" in out.getvalue()
    call_command("seed_demo", "--patrons", "20", stdout=StringIO())
    assert Patron.objects.count() == first
