"""0005: the day of 利用停止の実施 and of 取下げ moves from the history change reasons into their fields."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from disclosure_requests import timeline
from disclosure_requests.models import PrivacyRequest
from tests.migration_helpers import at_migration, migrate_to

pytestmark = pytest.mark.django_db(transaction=True)

APP = "disclosure_requests"
SCHEMA = "0004_request_step_dates"  # the fields exist, still empty
DATA = "0005_step_dates_from_change_reasons"
JST = ZoneInfo("Asia/Tokyo")


def _at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=JST)


class OldRows:
    """Requests and history versions as the services wrote them before 0005."""

    def __init__(self, apps: Any) -> None:
        self.PrivacyRequest = apps.get_model(APP, "PrivacyRequest")
        self.Historical = apps.get_model(APP, "HistoricalPrivacyRequest")
        self.profile = apps.get_model(APP, "RuleProfile").objects.create(
            code="migration-test", name="移行テスト用の期限ルール"
        )
        self.count = 0

    def request(self, **fields: Any) -> Any:
        self.count += 1
        values = {
            "kind": "disclosure",
            "number": f"R8-開示-{9000 + self.count}",
            "profile": self.profile,
            "received_on": dt.date(2026, 6, 1),
            "requester_name": "請求 花子",
            "identity_document_type": "drivers_license",
            "information_requested": "利用登録に関する私の情報",
            "due_on": dt.date(2026, 6, 16),
        }
        values.update(fields)
        return self.PrivacyRequest.objects.create(**values)

    def version(self, request: Any, reason: str | None, at: dt.datetime, kind: str = "~") -> Any:
        names = {f.attname for f in self.Historical._meta.concrete_fields}
        values = {
            f.attname: getattr(request, f.attname)
            for f in self.PrivacyRequest._meta.concrete_fields
            if f.attname in names
        }
        return self.Historical.objects.create(
            **values, history_date=at, history_type=kind, history_change_reason=reason
        )


def test_the_days_move_from_the_reasons_into_the_fields_and_back() -> None:
    with at_migration(APP, SCHEMA) as old_apps:
        old = OldRows(old_apps)
        withdrawn = old.request(status="withdrawn")
        old.version(withdrawn, "receive", _at(6, 1), "+")
        old.version(withdrawn, "withdrawn:2026-06-05", _at(6, 5))
        suspended = old.request(kind="suspension", number="R8-利用停止-0001", status="closed")
        old.version(suspended, "receive", _at(6, 1), "+")
        old.version(suspended, "decide", _at(6, 10))
        old.version(suspended, "suspension_carried_out:2026-06-12", _at(6, 12))
        old.version(suspended, None, _at(6, 20))  # a later change (an assignment, in the admin)
        malformed = old.request(status="withdrawn")
        old.version(malformed, "withdrawn:2026-02-30", _at(6, 5))
        untouched = old.request()
        old.version(untouched, "receive", _at(6, 1), "+")

        new_apps = migrate_to(APP, DATA)

        Request = new_apps.get_model(APP, "PrivacyRequest")
        Historical = new_apps.get_model(APP, "HistoricalPrivacyRequest")

        def versions(request: Any) -> list[tuple[str | None, dt.date | None, dt.date | None]]:
            rows = Historical.objects.filter(id=request.pk).order_by("history_date", "history_id")
            return [(v.history_change_reason, v.withdrawn_on, v.suspension_carried_out_on) for v in rows]

        def fields(request: Any) -> tuple[dt.date | None, dt.date | None]:
            row = Request.objects.get(pk=request.pk)
            return row.withdrawn_on, row.suspension_carried_out_on

        assert fields(withdrawn) == (dt.date(2026, 6, 5), None)
        assert versions(withdrawn) == [("receive", None, None), ("withdrawn", dt.date(2026, 6, 5), None)]
        assert fields(suspended) == (None, dt.date(2026, 6, 12))
        assert versions(suspended) == [
            ("receive", None, None),
            ("decide", None, None),
            ("suspension_carried_out", None, dt.date(2026, 6, 12)),
            (None, None, dt.date(2026, 6, 12)),
        ]
        # A day that never existed is not guessed: the reason keeps the step's name, the field stays empty.
        assert fields(malformed) == (None, None)
        assert versions(malformed) == [("withdrawn", None, None)]
        assert fields(untouched) == (None, None)
        assert versions(untouched) == [("receive", None, None)]

        # The page reads what the migration wrote, with today's models.
        records = PrivacyRequest.history.filter(id=withdrawn.pk).order_by("history_date", "history_id")
        assert timeline.history_rows(records)[0].label == "取下げ（令和8年6月5日）"

        # Backwards the day goes back into the reason.
        migrate_to(APP, SCHEMA)
        reasons = old.Historical.objects.filter(id__in=[withdrawn.pk, suspended.pk]).order_by(
            "id", "history_date"
        )
        assert [v.history_change_reason for v in reasons] == [
            "receive",
            "withdrawn:2026-06-05",
            "receive",
            "decide",
            "suspension_carried_out:2026-06-12",
            None,
        ]
