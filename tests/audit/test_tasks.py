"""privacy_admin.audit.tasks: thin, argument-less tasks — seal what is committed, write a checkpoint,
purge what is past retention."""

from __future__ import annotations

import inspect

import pytest

from privacy_admin.audit import tasks
from privacy_admin.audit.checkpoints import latest_daily
from privacy_admin.audit.models import AuditSeal

pytestmark = pytest.mark.django_db


def test_tasks_take_no_arguments_and_keep_no_result() -> None:
    for task in (tasks.purge_expired_events, tasks.seal_committed_events, tasks.write_checkpoint):
        assert not inspect.signature(task.run).parameters
        assert task.ignore_result


def test_the_seal_task_seals_the_committed_events(record) -> None:
    events = record(2, seal=False)
    tasks.seal_committed_events.delay()
    assert AuditSeal.objects.filter(seq=events[-1].seq).exists()


def test_the_checkpoint_task_seals_then_signs_the_head(record) -> None:
    events = record(2, seal=False)
    tasks.write_checkpoint.delay()
    latest = latest_daily()
    assert latest is not None and latest.seq == events[-1].seq
