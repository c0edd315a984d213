"""``manage.py loans_safety_net``: progress and a Japanese summary, a dry run that erases nothing, no name or
card number in its output."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from loans.models import Loan
from tests.loans.stale_rows import stale_returned_loan

pytestmark = pytest.mark.django_db


def test_command_prints_progress_and_a_japanese_summary(central, patron) -> None:
    for _ in range(3):
        stale_returned_loan(patron, central)
    dry = StringIO()
    call_command("loans_safety_net", "--dry-run", "--batch-size", "2", stdout=dry)
    assert "[返却済み資料の貸出記録] バッチ1: 2件該当（累計 2件）" in dry.getvalue()
    assert "試行・消去していません）: 貸出記録 3件、予約記録 0件が該当" in dry.getvalue()
    assert Loan.objects.count() == 3
    out = StringIO()
    call_command("loans_safety_net", "--batch-size", "2", stdout=out)
    text = out.getvalue()
    assert "バッチ2: 1件消去（累計 3件）" in text
    assert "安全網ジョブ完了: 貸出記録 3件、予約記録 0件を消去" in text
    assert not Loan.objects.exists()
    assert patron.family_name not in text and patron.card_number not in text
    with pytest.raises(CommandError):
        call_command("loans_safety_net", "--batch-size", "0")
