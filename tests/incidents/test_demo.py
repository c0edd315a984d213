"""incidents.demo — one closed and one open reportable incident, made once."""

from __future__ import annotations

import pytest

from incidents import selectors
from incidents.deadlines import Step
from incidents.demo import LOST_SLIP, MISDIRECTED_MAIL, seed_incidents
from incidents.models import Incident
from tests.incidents.helpers import (
    NOW,
    TODAY,
    frozen_now,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_demo_makes_one_closed_and_one_open_reportable_incident_once(privacy_officer) -> None:
    created = seed_incidents(today=TODAY, actor=privacy_officer)
    assert [i.title for i in created] == [LOST_SLIP, MISDIRECTED_MAIL]
    assert seed_incidents(today=TODAY, actor=privacy_officer) == []
    closed = Incident.objects.get(title=LOST_SLIP)
    open_ = Incident.objects.get(title=MISDIRECTED_MAIL)
    assert closed.status == Incident.Status.CLOSED and not closed.reportable
    assert open_.status == Incident.Status.OPEN and open_.reportable and open_.people_count == 120
    rows = selectors.dashboard_panel(privacy_officer, on=TODAY)
    assert [r.incident.pk for r in rows] == [open_.pk]
    pending = {i.step for i in rows[0].items if not i.done}
    assert pending == {Step.WRITTEN_REPORT, Step.COMMISSION_FINAL_REPORT, Step.PERSONS_NOTICE}
    assert open_.commission_first_report_at < NOW  # type: ignore[operator]
