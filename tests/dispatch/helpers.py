"""A task for the dispatch tests to send: it notes the id it was given in ``RAN``."""

from __future__ import annotations

from celery import shared_task

RAN: list[int] = []


@shared_task(ignore_result=True)
def record_run(some_id: int) -> None:
    RAN.append(some_id)


TASK = f"{__name__}.record_run"
