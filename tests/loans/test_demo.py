"""The demo circulation data: made through the services, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from loans import services
from loans.demo import seed_circulation
from loans.models import CirculationDailyStat, DamageCase, Item, Loan, Reservation
from outsourcing.demo import SCHOOL_BRANCH
from privacy_admin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_patrons() -> None:
    call_command("seed_demo", patrons=120, stdout=io.StringIO())


def test_seed_circulation_fills_every_state_and_is_idempotent(demo_patrons) -> None:
    out = io.StringIO()
    seed_circulation(stdout=out)
    assert Item.objects.count() == 200
    # The school contract's demo (outsourcing.demo) lends to its own pupils besides these 40.
    assert Loan.objects.exclude(patron__registered_branch__code=SCHOOL_BRANCH[0]).count() == 40
    assert Loan.objects.filter(due_on__lt=services.today()).exists()  # some are overdue
    for status in Reservation.Status.values:
        assert Reservation.objects.filter(status=status).count() == 15, status
    assert DamageCase.objects.count() == 2
    assert CirculationDailyStat.objects.filter(action="return").exists()
    assert "資料: 200点" in out.getvalue()
    # Every circulation event names a patron or an item, never both.
    assert not AuditEvent.objects.filter(target_type="item", patron_id__isnull=False).exists()

    before = (
        Item.objects.count(),
        Loan.objects.count(),
        Reservation.objects.count(),
        AuditEvent.objects.count(),
    )
    seed_circulation(stdout=io.StringIO())
    assert (
        Item.objects.count(),
        Loan.objects.count(),
        Reservation.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_seed_circulation_without_patrons_does_nothing(db) -> None:
    out = io.StringIO()
    seed_circulation(stdout=out)
    assert not Item.objects.exists()
    assert "seed_demo" in out.getvalue()
