"""incidents.selectors — the reads behind the list and the dashboard: open incidents first by their next
deadline; nothing exists for other roles; a bad id is 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from incidents import selectors, services
from incidents.deadlines import Step
from tests.disclosure_requests.profile_helpers import put_in_force
from tests.incidents.helpers import (
    TODAY,
    at,
    complete_all_steps,
    frozen_now,  # noqa: F401
    record,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_rows_put_open_incidents_first_by_their_next_deadline(privacy_officer) -> None:
    closed = complete_all_steps(privacy_officer, record(privacy_officer, people_count=1, title="閉"))
    services.incident_close(actor=privacy_officer, incident=closed, closed_on=TODAY)
    later = record(privacy_officer, title="後", discovered_at=at(6, 15, 9, 0))
    earlier = record(privacy_officer, title="先", discovered_at=at(6, 1, 9, 0))
    rows = selectors.incident_rows(privacy_officer, on=TODAY)
    assert [r.incident.title for r in rows] == ["先", "後", "閉"]
    assert rows[0].next is not None and rows[0].next.step == Step.BOARD_FIRST_REPORT
    assert rows[0].overdue and not rows[1].overdue
    assert rows[2].items == [] and rows[2].next is None
    assert [r.incident.pk for r in selectors.dashboard_panel(privacy_officer, on=TODAY)] == [
        earlier.pk,
        later.pk,
    ]


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_incidents_do_not_exist_for_other_roles(persona, privacy_officer) -> None:
    incident = record(privacy_officer)
    assert not selectors.incidents_visible_to(persona).exists()
    assert selectors.dashboard_panel(persona) == []
    with pytest.raises(Http404):
        selectors.get_incident_for(persona, incident.pk)


@pytest.mark.parametrize("pk", ["x", 0, -1, 2**63, None])
def test_get_incident_for_a_bad_id_is_404(privacy_officer, pk: Any) -> None:
    with pytest.raises(Http404):
        selectors.get_incident_for(privacy_officer, pk)


def test_the_board_steps_cite_the_profile_in_force(privacy_officer) -> None:
    incident = record(privacy_officer, first_measures="")
    put_in_force("yamanashi-15")
    board = [i for i in selectors.incident_due_items(incident, TODAY) if i.step == Step.BOARD_FIRST_REPORT]
    assert board[0].basis == "山梨県 要綱第48条第1項"
    assert "・" not in selectors.missing_steps(incident)[0]
    assert selectors.missing_steps(incident)[0] == "教育委員会への第一報（山梨県 要綱第48条第1項）"
    put_in_force("appi")
    board = [i for i in selectors.incident_due_items(incident, TODAY) if i.step == Step.BOARD_FIRST_REPORT]
    # The Act sets no report to the board of education: the step is the library's own, cited by nothing.
    assert board[0].basis == ""
    assert selectors.missing_steps(incident)[:3] == [
        "教育委員会への第一報",
        "応急措置の内容",
        "報告書及び今後の対処方針の提出",
    ]
