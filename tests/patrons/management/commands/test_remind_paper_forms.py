"""``manage.py remind_paper_forms``: runnable by hand; run twice, the second run does nothing more."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_patron

pytestmark = pytest.mark.django_db


def test_run_by_hand_and_twice_does_nothing_more(counter_staff) -> None:
    make_patron(expires_on=timezone.localdate() - dt.timedelta(days=800))
    out = StringIO()
    call_command("remind_paper_forms", stdout=out)
    call_command("remind_paper_forms", stdout=(second := StringIO()))
    assert second.getvalue().strip().endswith(": 0")
