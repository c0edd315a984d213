"""incidents.models — an incident is reportable to the Commission when any trigger of 規則 第43条 is met
(more than 100 people among them); a closed incident must have its closing day; it names itself by
number and title."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from incidents.models import Incident
from tests.incidents.helpers import (
    frozen_now,  # noqa: F401
    record,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.mark.parametrize(
    ("changes", "reportable"),
    [
        ({}, False),
        ({"people_count": 100}, False),
        ({"people_count": 101}, True),
        ({"involves_sensitive": True}, True),
        ({"financial_harm": True}, True),
        ({"wrongful_purpose": True}, True),
    ],
)
def test_any_trigger_of_article_43_makes_it_reportable(changes: dict[str, object], reportable: bool) -> None:
    incident = Incident(**({"people_count": 1} | changes))
    assert incident.reportable is reportable
    assert incident.more_than_100 is (incident.people_count > 100)


def test_a_closed_incident_needs_its_closing_day(privacy_officer) -> None:
    incident = record(privacy_officer, people_count=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.CLOSED)

    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN
    assert str(incident) == f"{incident.number} {incident.title}"
