"""Fixtures shared across the request tests (services, tasks, the reminder command)."""

from __future__ import annotations

from typing import Any

import pytest

from disclosure_requests import services
from disclosure_requests.models import PrivacyRequest

from .request_helpers import d, receive, today  # noqa: F401  (the frozen "today")


@pytest.fixture
def due_requests(privacy_officer: Any) -> dict[str, PrivacyRequest]:
    """Today is Monday 15 June; three open days ahead is Thursday 18 June."""
    paused = receive(privacy_officer, received_on=d(5, 26))
    services.amendment_request(actor=privacy_officer, request=paused, requested_on=d(5, 28), what_to_fix="x")
    decided = receive(privacy_officer, received_on=d(5, 25))
    services.request_decide(actor=privacy_officer, request=decided, outcome="full", decided_on=d(6, 1))
    return {
        "overdue": receive(privacy_officer, received_on=d(5, 25)),  # due 9 June
        "tomorrow": receive(privacy_officer, received_on=d(6, 1)),  # due 16 June
        "thursday": receive(
            privacy_officer,
            kind="correction",
            received_on=d(5, 19),
            disclosed_on=d(5, 1),
            correction_content="x",
        ),  # due 18 June
        "friday": receive(privacy_officer, received_on=d(6, 4)),  # due 19 June: outside
        "saturday": receive(privacy_officer, received_on=d(6, 5)),  # due 20 June, act by 19 June: outside
        "paused": paused,
        "decided": decided,
    }
