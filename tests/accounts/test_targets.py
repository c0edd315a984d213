"""privacy_admin.accounts.targets: a staff account by the staff member's name."""

from __future__ import annotations

import pytest

from privacy_admin.accounts.targets import staff_shown
from privacy_admin.core import targets

pytestmark = pytest.mark.django_db


def test_staff_by_name_or_sign_in_id(counter_staff, privacy_officer) -> None:
    counter_staff.last_name, counter_staff.first_name = "山田", "花子"
    counter_staff.save()
    shown = staff_shown({str(counter_staff.pk), str(privacy_officer.pk), "987654"})
    assert shown == {str(counter_staff.pk): "山田 花子", str(privacy_officer.pk): privacy_officer.username}
    assert targets.TARGETS["user"].resolver is staff_shown
