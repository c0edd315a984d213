"""backups.models: a medium is either kept (no destruction fields) or destroyed with all of them; its
status on a day follows retention and destruction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from backups.models import BackupMedium

from .conftest import make_medium

pytestmark = pytest.mark.django_db


def test_status_on_a_day_is_kept_then_overdue_then_destroyed(administrator) -> None:
    medium = make_medium(retain_days=35)
    taken_on = timezone.localdate(medium.taken_at)
    assert medium.status_on(taken_on + dt.timedelta(days=35)) == BackupMedium.Status.KEPT
    assert medium.status_on(taken_on + dt.timedelta(days=36)) == BackupMedium.Status.OVERDUE
    medium.destroyed_on = taken_on + dt.timedelta(days=40)
    medium.destruction_method = BackupMedium.DestructionMethod.KEY_DESTRUCTION
    medium.confirmed_by = administrator
    medium.save()
    assert medium.status_on(taken_on + dt.timedelta(days=36)) == BackupMedium.Status.DESTROYED


@pytest.mark.parametrize(
    "fields",
    [
        {"destroyed_on": dt.date(2026, 11, 1)},  # no method, nobody confirmed
        {"destruction_method": BackupMedium.DestructionMethod.OVERWRITE},  # a method without a date
        {
            "destroyed_on": dt.date(2026, 11, 1),
            "destruction_method": BackupMedium.DestructionMethod.OVERWRITE,
        },
    ],
)
def test_a_half_recorded_destruction_is_refused_by_the_database(fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_medium(**fields)
    assert not BackupMedium.objects.exists()


def test_str_names_the_kind_and_the_medium() -> None:
    medium = make_medium(medium="TAPE-2026-001", kind=BackupMedium.Kind.TAPE)
    assert str(medium) == "バックアップテープ TAPE-2026-001"
