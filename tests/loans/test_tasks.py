"""loans.tasks: the safety-net task takes no arguments and runs the net."""

from __future__ import annotations

import inspect

import pytest

from loans import tasks
from loans.models import Loan
from tests.loans.stale_rows import stale_returned_loan

pytestmark = pytest.mark.django_db


def test_task_takes_no_arguments_and_runs_the_net(central, patron) -> None:
    assert not inspect.signature(tasks.run_safety_net.run).parameters and tasks.run_safety_net.ignore_result
    stale_returned_loan(patron, central)
    tasks.run_safety_net.delay()
    assert not Loan.objects.exists()
