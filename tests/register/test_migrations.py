"""The register and incidents moved out of ``privacy_admin.registry`` into apps of their own: a database
built before the move keeps every row, id, history version, link and waiting print job."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from incidents.models import Incident
from outsourcing.models import Contract
from privacy_admin.dispatch.models import PendingDispatch
from register.models import RegisterEntry, RegisterPrint
from tests.migration_helpers import at_migrations

pytestmark = pytest.mark.django_db(transaction=True)

# The register and incidents apps unapplied entirely (and with them what depends on them: the old app's
# 0005, outsourcing's 0002): the schema as it was before the move.
BEFORE_THE_MOVE = [("register", None), ("incidents", None)]
JST = ZoneInfo("Asia/Tokyo")


def _entry(apps: Any, number: int) -> Any:
    return apps.get_model("registry", "RegisterEntry").objects.create(
        code=f"moved-{number}",
        number=900 + number,
        name=f"移動前の事務{number}",
        purpose="目的",
        department="中央図書館",
        subjects="利用者",
        collection_sources=["person"],
        retention_period="5年",
        request_office="中央図書館",
        starts_on=dt.date(2026, 4, 1),
        registered_on=dt.date(2026, 4, 1),
    )


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def test_a_database_from_before_the_move_keeps_every_row() -> None:
    with at_migrations(BEFORE_THE_MOVE) as old:
        assert "registry_registerentry" in _tables()
        user = old.get_model("auth", "User").objects.create(username="migrator")
        first, second = _entry(old, 1), _entry(old, 2)
        old.get_model("registry", "HistoricalRegisterEntry").objects.create(
            id=first.pk,
            code=first.code,
            number=first.number,
            name=first.name,
            purpose=first.purpose,
            department=first.department,
            subjects=first.subjects,
            collection_sources=first.collection_sources,
            retention_period=first.retention_period,
            request_office=first.request_office,
            starts_on=first.starts_on,
            registered_on=first.registered_on,
            status="registered",
            history_date=dt.datetime(2026, 4, 1, 9, tzinfo=JST),
            history_type="+",
            history_change_reason="create",
        )
        incident = old.get_model("registry", "Incident").objects.create(
            number="事案-2026-901",
            title="移動前の事案",
            kind="loss",
            discovered_at=dt.datetime(2026, 6, 1, 9, tzinfo=JST),
            discovered_by="職員",
            people_count=2,
            place="中央図書館",
            circumstances="紛失",
            recorded_by=user,
        )
        incident.register_entries.set([first, second])
        printed = old.get_model("registry", "RegisterPrint").objects.create(
            layout="register", as_of=dt.date(2026, 6, 1), status="done", progress=100
        )
        contractor = old.get_model("outsourcing", "Contractor").objects.create(name="移動前の委託先")
        contract = old.get_model("outsourcing", "Contract").objects.create(
            number="委託-901",
            title="窓口業務",
            contractor=contractor,
            purpose="受取窓口",
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2027, 3, 31),
            review_due_on=dt.date(2026, 9, 30),
            register_entry=second,
        )
        waiting = old.get_model("dispatch", "PendingDispatch").objects.create(
            task="privacy_admin.registry.tasks.render_register_print", ids=str(printed.pk)
        )
        old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="registry", model="registerentry"
        )
    # at_migrations has brought every app to its latest migration: the same rows, read by today's models.
    tables = _tables()
    assert {"register_registerentry", "register_historicalregisterentry", "register_registerprint"} <= tables
    assert {
        "incidents_incident",
        "incidents_historicalincident",
        "incidents_incident_register_entries",
    } <= tables
    assert not {t for t in tables if t.startswith("registry_")}

    assert RegisterEntry.objects.get(pk=first.pk).name == "移動前の事務1"
    assert [v.history_change_reason for v in RegisterEntry.history.filter(id=first.pk)] == ["create"]
    moved = Incident.objects.get(pk=incident.pk)
    assert moved.recorded_by_id == user.pk
    assert set(moved.register_entries.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert RegisterPrint.objects.get(pk=printed.pk).status == "done"
    assert Contract.objects.get(pk=contract.pk).register_entry_id == second.pk
    assert PendingDispatch.objects.get(pk=waiting.pk).task == "register.tasks.render_register_print"
    assert ContentType.objects.get_for_model(RegisterEntry).app_label == "register"
    assert not ContentType.objects.filter(app_label="registry", model="registerentry").exists()
    # A new entry gets the next id from the same sequence.
    assert _entry_after(first.pk, second.pk)


def _entry_after(*taken: int) -> bool:
    entry = RegisterEntry.objects.create(
        code="moved-3",
        number=903,
        name="移動後の事務",
        purpose="目的",
        department="中央図書館",
        subjects="利用者",
        collection_sources=["person"],
        retention_period="5年",
        request_office="中央図書館",
        starts_on=dt.date(2026, 4, 1),
        registered_on=dt.date(2026, 4, 1),
    )
    return entry.pk > max(taken)


@pytest.mark.django_db
def test_the_seeded_entries_name_the_yamanashi_rules_never_a_bare_yoko() -> None:
    """Migration 0005: 「（要綱 第11条）」 names which 要綱 (厚木市 要綱 and 山梨県 要綱 are two documents)."""
    import re

    from register.models import RegisterEntry

    purposes = dict(RegisterEntry.objects.values_list("code", "purpose"))
    assert purposes["privacy-requests"].endswith("（山梨県 要綱 第17条から第45条まで）")
    assert purposes["contractor-oversight"].endswith("（山梨県 要綱 第11条）")
    for entry in RegisterEntry.objects.all():
        for text in (entry.purpose, *entry.history.values_list("purpose", flat=True)):
            assert not re.search(r"(?<![県市] )要綱", text), (entry.code, text)
