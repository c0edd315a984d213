"""incidents.targets: an incident by its 事案番号."""

from __future__ import annotations

import pytest

from incidents.targets import incidents_shown
from privacy_admin.core import targets

from .helpers import frozen_now, record  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_incidents_by_their_number(privacy_officer) -> None:
    incident = record(privacy_officer)
    assert incidents_shown({str(incident.pk), "987654"}) == {str(incident.pk): incident.number}
    assert targets.TARGETS["incident"].resolver is incidents_shown
