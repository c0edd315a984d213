"""0004: the time the incident checklist was last recorded moves from the history into its field."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from incidents import selectors as incident_selectors
from incidents.models import Incident
from tests.migration_helpers import at_migration, migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

APP = "registry"
SCHEMA = "0003_incident_checklist_confirmed_at"
DATA = "0004_checklist_confirmed_at_from_history"
JST = ZoneInfo("Asia/Tokyo")


def _at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=JST)


class OldRows:
    def __init__(self, apps: Any) -> None:
        self.Incident = apps.get_model(APP, "Incident")
        self.Historical = apps.get_model(APP, "HistoricalIncident")
        self.user = apps.get_model("auth", "User").objects.create(username="migration-officer")
        self.count = 0

    def incident(self) -> Any:
        self.count += 1
        return self.Incident.objects.create(
            number=f"事案R8-{9000 + self.count}",
            title="行事案内メールの宛先誤り",
            kind="leak",
            discovered_at=_at(6, 1, 9),
            discovered_by="管理係 職員",
            people_count=3,
            place="中央図書館 事務室",
            circumstances="宛先をTOで一斉送信した。",
            recorded_by=self.user,
        )

    def version(self, incident: Any, reason: str, at: dt.datetime, kind: str = "~") -> Any:
        names = {f.attname for f in self.Historical._meta.concrete_fields}
        values = {
            f.attname: getattr(incident, f.attname)
            for f in self.Incident._meta.concrete_fields
            if f.attname in names
        }
        return self.Historical.objects.create(
            **values, history_date=at, history_type=kind, history_change_reason=reason
        )


def test_the_last_checklist_time_moves_from_the_history_into_the_field() -> None:
    with at_migration(APP, SCHEMA) as old_apps:
        old = OldRows(old_apps)
        confirmed = old.incident()
        old.version(confirmed, "record", _at(6, 1, 10), "+")
        old.version(confirmed, "set_triggers", _at(6, 2, 11))
        old.version(confirmed, "facts", _at(6, 3))
        old.version(confirmed, "set_triggers", _at(6, 4, 15))  # confirmed again: this one counts
        old.version(confirmed, "close", _at(6, 30))
        never = old.incident()
        old.version(never, "record", _at(6, 1, 10), "+")

        new_apps = migrate_to(APP, DATA)

        Historical = new_apps.get_model(APP, "HistoricalIncident")
        rows = Historical.objects.filter(id=confirmed.pk).order_by("history_date", "history_id")
        assert [(v.history_change_reason, v.checklist_confirmed_at) for v in rows] == [
            ("record", None),
            ("set_triggers", _at(6, 2, 11)),
            ("facts", _at(6, 2, 11)),
            ("set_triggers", _at(6, 4, 15)),
            ("close", _at(6, 4, 15)),
        ]
        assert not Historical.objects.filter(id=never.pk, checklist_confirmed_at__isnull=False).exists()
        # Today's selector reads the field the migration filled (once the incidents app has its tables).
        migrate_to_latest()
        assert incident_selectors.checklist_confirmed_at(Incident.objects.get(pk=confirmed.pk)) == _at(
            6, 4, 15
        )
        assert incident_selectors.checklist_confirmed_at(Incident.objects.get(pk=never.pk)) is None

        # Backwards there is nothing to undo; the field goes with 0003.
        migrate_to(APP, SCHEMA)
