"""privacy_admin.dispatch.models: one pending row per task and ids; it shows task and ids only."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from privacy_admin.dispatch.models import PendingDispatch

pytestmark = pytest.mark.django_db


def test_a_task_and_its_ids_are_remembered_once() -> None:
    PendingDispatch.objects.create(task="app.tasks.send", ids="12")
    PendingDispatch.objects.create(task="app.tasks.send", ids="13")
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingDispatch.objects.create(task="app.tasks.send", ids="12")
    assert PendingDispatch.objects.count() == 2


def test_str_names_the_task_and_its_ids() -> None:
    pending = PendingDispatch.objects.create(task="app.tasks.send", ids="12,34")
    assert str(pending) == "app.tasks.send(12,34)"
    assert pending.attempts == 1
