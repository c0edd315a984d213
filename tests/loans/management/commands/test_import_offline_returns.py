"""``manage.py import_offline_returns``: reads a CSV, refuses bad lines changing nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from loans.models import Loan
from tests.loans.factories import make_item
from tests.loans.stale_rows import NOW, lend

pytestmark = pytest.mark.django_db


def test_import_command_reads_a_csv_and_refuses_bad_lines(central, mobile, patron, tmp_path: Path) -> None:
    item = make_item(home_branch=central)
    lend(patron, item, central)
    good = tmp_path / "returns.csv"
    stamp = timezone.localtime(NOW() - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    good.write_text(f"barcode,returned_at\n{item.barcode},{stamp}\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{item.barcode},yesterday\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_offline_returns", str(bad), stdout=StringIO(), stderr=StringIO())
    assert Loan.objects.filter(item=item).exists()
    out = StringIO()
    call_command("import_offline_returns", str(good), "--branch", "mobile", stdout=out)
    assert "消去した貸出記録: 1" in out.getvalue()
    assert not Loan.objects.filter(item=item).exists()
    assert patron.family_name not in out.getvalue()
