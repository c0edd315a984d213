"""Shared helpers for the incident tests: a frozen clock (Monday 15 June 2026, 12:00 JST), an incident
made through the services, and a snapshot of every row the incident services write."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import serializers

from incidents import services
from incidents import validation as incident_common
from incidents.models import Incident
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.dataitems import DataItem

JST = ZoneInfo("Asia/Tokyo")
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=JST)  # a Monday
TODAY = NOW.date()
CIRCUMSTANCES = "行事案内メールを宛先TOで一斉送信し、受信者に他の受信者のアドレスが表示された。"


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=JST)


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Freeze the incident services' clock (every "not in the future" rule reads it)."""
    monkeypatch.setattr(incident_common, "_now", lambda: NOW)
    return NOW


def facts(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "行事案内メールの宛先誤り",
        "kind": Incident.Kind.LEAK,
        "discovered_at": at(6, 15, 9, 40),
        "discovered_by": "管理係 職員",
        "occurred_at": None,
        "data_items": [DataItem.EMAIL],
        "other_items": "",
        "people_count": 120,
        "place": "中央図書館 事務室",
        "circumstances": CIRCUMSTANCES,
        "first_measures": "受信者に削除を依頼した。",
        "register_entries": [],
    }
    values.update(overrides)
    return values


def record(actor: Any, **overrides: Any) -> Incident:
    return services.incident_record(actor=actor, **facts(**overrides))


def complete_all_steps(actor: Any, incident: Incident) -> Incident:
    """Every step a reportable incident owes, done in order (6/15 → 6/20)."""
    services.incident_board_report(
        actor=actor, incident=incident, reported_at=at(6, 15, 10, 30), reported_by="館長"
    )
    services.incident_set_triggers(
        actor=actor, incident=incident, involves_sensitive=False, financial_harm=False, wrongful_purpose=False
    )
    services.incident_written_report(
        actor=actor,
        incident=incident,
        submitted_on=d(6, 15),
        cause="宛先の入力誤り",
        prevention_plan="BCCを必須にする",
    )
    if incident.reportable:
        services.incident_commission_report(
            actor=actor, incident=incident, stage=services.STAGE_FIRST, reported_at=at(6, 15, 11, 0)
        )
        services.incident_commission_report(
            actor=actor, incident=incident, stage=services.STAGE_FINAL, reported_on=d(6, 15)
        )
        services.incident_persons_notified(
            actor=actor, incident=incident, notified_on=d(6, 15), method="個別の電子メール"
        )
    return incident


def snapshot() -> dict[str, Any]:
    """Every row the incident services write, serialised: equal before and after means nothing changed."""
    models = (Incident, Incident.history.model, Incident.register_entries.through, AuditEvent)
    return {m.__name__: serializers.serialize("json", m.objects.order_by("pk")) for m in models}
