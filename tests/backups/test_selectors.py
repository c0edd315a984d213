"""backups.selectors: the register lists media past retention first, then those kept, then the destroyed;
the counts by status."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backups import selectors
from backups.models import BackupMedium

from .conftest import make_medium

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(administrator) -> dict[str, BackupMedium]:
    destroyed = make_medium(days_ago=60, medium="destroyed")
    destroyed.destroyed_on = timezone.localdate()
    destroyed.destruction_method = BackupMedium.DestructionMethod.KEY_DESTRUCTION
    destroyed.confirmed_by = administrator
    destroyed.save()
    return {
        "kept": make_medium(days_ago=1, medium="kept"),
        "overdue": make_medium(days_ago=40, medium="overdue"),
        "destroyed": destroyed,
    }


def test_the_register_lists_overdue_then_kept_then_destroyed(media) -> None:
    listed = list(selectors.media_for_register(today=timezone.localdate()))
    assert [m.medium for m in listed] == ["overdue", "kept", "destroyed"]


@pytest.mark.parametrize("status", ["overdue", "kept", "destroyed"])
def test_the_register_filters_by_status(media, status: str) -> None:
    listed = list(selectors.media_for_register(today=timezone.localdate(), status=status))
    assert [m.medium for m in listed] == [status]


def test_counts_by_status(media) -> None:
    assert selectors.media_counts(today=timezone.localdate()) == {
        BackupMedium.Status.OVERDUE: 1,
        BackupMedium.Status.KEPT: 1,
        BackupMedium.Status.DESTROYED: 1,
    }
