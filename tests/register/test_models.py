"""register.models — what the database itself refuses (要綱 第16条第2項・第4項): an activity starting before
its registration, an abolition dated before the registration, a status that does not match the
abolition date; and how entries and prints name themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from register.models import RegisterEntry, RegisterPrint

from .factories import make_entry

pytestmark = pytest.mark.django_db

REGISTERED = dt.date(2026, 4, 1)


def _refused(**changes: object) -> None:
    entry = make_entry()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.filter(pk=entry.pk).update(**changes)
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.REGISTERED and entry.abolished_on is None


def test_the_activity_cannot_start_before_it_is_registered() -> None:
    _refused(starts_on=REGISTERED - dt.timedelta(days=1))


def test_an_abolition_cannot_come_before_the_registration() -> None:
    _refused(status="abolished", abolished_on=REGISTERED - dt.timedelta(days=1))


@pytest.mark.parametrize(
    "changes", [{"status": "abolished"}, {"abolished_on": REGISTERED + dt.timedelta(days=30)}]
)
def test_the_status_and_the_abolition_date_go_together(changes: dict[str, object]) -> None:
    _refused(**changes)


def test_an_abolished_entry_is_no_longer_active() -> None:
    entry = make_entry(number=4321, name="移動図書館の利用者登録")
    assert entry.is_active and str(entry) == "第4321号 移動図書館の利用者登録"

    entry.status = RegisterEntry.Status.ABOLISHED
    entry.abolished_on = REGISTERED + dt.timedelta(days=30)
    entry.save()

    assert not entry.is_active


def test_a_print_names_its_layout_and_id_only() -> None:
    job = RegisterPrint.objects.create(layout=RegisterPrint.Layout.APPI_FILE_BOOK, as_of=REGISTERED)
    assert str(job) == f"個人情報ファイル簿（個人情報保護法 第75条） #{job.pk}"
    assert (job.status, job.progress) == (RegisterPrint.Status.PENDING, 0)
