"""``manage.py send_overdue_notices``: queues the overdue notices and prints a count, never a name."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.factories import make_patron
from tests.loans.factories import make_item
from tests.loans.stale_rows import lend

pytestmark = pytest.mark.django_db


def test_send_overdue_notices_command(central, capsys) -> None:
    patron = make_patron(email="", phone="")
    lend(patron, make_item(home_branch=central), central, lent_days_ago=19)  # due five days ago
    call_command("send_overdue_notices")
    out = capsys.readouterr().out
    assert "overdue notices queued: 1" in out
    assert patron.family_name not in out
