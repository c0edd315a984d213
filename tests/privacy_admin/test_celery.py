"""privacy_admin.celery: the beat schedule names registered tasks only; the broker round trip on a real
Redis: a task runs in a worker and leaves no result behind."""

from __future__ import annotations

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from patrons import services, tasks
from patrons.models import Patron
from privacy_admin.celery import app

from ..factories import make_patron


@pytest.mark.needs_redis
@pytest.mark.django_db(transaction=True)
def test_task_runs_through_redis_worker_with_ids_only(counter_staff) -> None:
    import redis

    url = os.environ["REDIS_URL"]
    patron = make_patron()
    services.patron_cancel(actor=counter_staff, patron=patron, reason="moved")
    app.conf.update(broker_url=url, task_always_eager=False, result_backend=None)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = tasks.purge_cancelled_patrons.delay()
            deadline = time.monotonic() + 20
            while Patron.objects.filter(pk=patron.pk).exists() and time.monotonic() < deadline:
                time.sleep(0.2)
        assert not Patron.objects.filter(pk=patron.pk).exists()
        # Results are ignored: Redis holds no result key for the task.
        keys = redis.Redis.from_url(url).keys(f"celery-task-meta-{result.id}")
        assert keys == []
    finally:
        app.conf.update(task_always_eager=True)


def test_beat_schedule_names_only_registered_tasks() -> None:
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name
