"""privacy_admin.dispatch.tasks: the sweeper task sends again what the broker could not take."""

from __future__ import annotations

from typing import Any

import pytest

from privacy_admin.dispatch import services, tasks
from privacy_admin.dispatch.models import PendingDispatch
from tests.dispatch.helpers import RAN, TASK

pytestmark = pytest.mark.django_db


def test_the_sweeper_task_runs_the_sweep(dead_broker: Any) -> None:
    services.dispatch_now(TASK, 9)
    dead_broker.back()
    tasks.redispatch_pending.delay()
    assert RAN == [9]
    assert not PendingDispatch.objects.exists()
