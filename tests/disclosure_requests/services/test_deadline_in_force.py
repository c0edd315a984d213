"""disclosure_requests.services.deadline_in_force: the decision deadline in force and its closed-day warnings.

"Today" is Monday 15 June 2026 (see request_helpers). A request received on 1 June under the 山梨県
profile is due 16 June (15 days, the day of receipt not counted).
"""

from __future__ import annotations

import pytest

from disclosure_requests import services
from disclosure_requests.models import ClosedDay

from ..request_helpers import d, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_a_deadline_on_a_closed_day_is_not_moved_but_warned_with_the_last_open_day(officer) -> None:
    pr = receive(officer, received_on=d(6, 5))  # Friday + 15 = Saturday 20 June

    deadline = services.request_deadline(pr)

    assert deadline.due_on == d(6, 20)
    assert deadline.falls_on_closed_day and deadline.closed_reason == "土曜日"
    assert deadline.last_open_day_before == d(6, 19)


def test_the_librarys_own_closed_days_are_warned_about(officer) -> None:
    ClosedDay.objects.create(date=d(6, 16), reason="館内整理日")
    pr = receive(officer)

    deadline = services.request_deadline(pr)

    assert deadline.due_on == d(6, 16)
    assert deadline.closed_reason == "休館日" and deadline.last_open_day_before == d(6, 15)
