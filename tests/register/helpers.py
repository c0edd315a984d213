"""Shared by the register tests: a frozen "today", valid entry values, and a snapshot of what a refused
write must leave unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from privacy_admin.audit.models import AuditEvent
from register.models import RegisterEntry
from register.services import entries as services

TODAY = dt.date(2026, 11, 20)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture(name="today")
def freeze_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Freeze the services' "today" (the rules that say "not in the future" and the default dates)."""
    monkeypatch.setattr(services, "today", lambda: TODAY)
    return TODAY


def entry_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "リクエストカードによる資料の取寄せに関する事務",
        "purpose": "リクエストされた資料の書誌情報を確認し、利用者に連絡するため",
        "department": "中央図書館 奉仕係",
        "subjects": "リクエストをした利用者",
        "extra_items": ["request_card", "name", "phone"],
        "free_items": "リクエストされた資料の書誌事項",
        "collection_sources": ["person"],
        "retention_period": "連絡の後、速やかに消去",
        "request_office": "中央図書館 管理係",
        "registered_on": days_ago(10),
        "starts_on": days_ago(5),
    }
    values.update(overrides)
    return values


def snapshot() -> tuple[Any, ...]:
    """Everything a register write touches: entries, their history and the access log."""
    return (
        list(RegisterEntry.objects.order_by("pk").values()),
        RegisterEntry.history.count(),
        AuditEvent.objects.count(),
    )
