"""Shared helpers for the request workflow tests (services, views, API, tasks, selectors).

Requests here are made through ``disclosure_requests.services``, on a fixed "today" (Monday 15 June
2026, a month with no national holiday), so that every date in a test can be read off a calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import serializers

from disclosure_requests import services
from disclosure_requests.models import (
    Amendment,
    CorrectionExecution,
    Decision,
    DisclosureExecution,
    Extension,
    PrivacyRequest,
    ThirdPartyConsultation,
)
from disclosure_requests.services import _common as services_common
from privacy_admin.audit.models import AuditEvent

TODAY = dt.date(2026, 6, 15)  # a Monday
REQUESTER = "請求 花子"


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Freeze the services' "today" (every rule that says "not in the future" reads it).

    Every stage of ``disclosure_requests.services`` reads it through ``_common.today()``.
    """
    monkeypatch.setattr(services_common, "_local_today", lambda: TODAY)
    return TODAY


def intake(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": "disclosure",
        "received_on": d(6, 1),
        "channel": "counter",
        "requester_kind": "self",
        "requester_name": REQUESTER,
        "requester_address": "あさひ市中央1-2-3",
        "requester_phone": "055-223-1234",
        "principal_name": "",
        "identity_document_type": "drivers_license",
        "representation_document": "",
        "information_requested": "図書館の利用登録に関する私の情報の一切",
    }
    values.update(overrides)
    return values


def receive(actor: Any, **overrides: Any) -> PrivacyRequest:
    return services.request_receive(actor=actor, **intake(**overrides))


def snapshot() -> dict[str, Any]:
    """Every row the request services write, serialised: equal before and after means nothing changed."""
    models = (
        PrivacyRequest,
        Amendment,
        Extension,
        ThirdPartyConsultation,
        Decision,
        DisclosureExecution,
        CorrectionExecution,
        PrivacyRequest.history.model,
        AuditEvent,
    )
    return {m.__name__: serializers.serialize("json", m.objects.order_by("pk")) for m in models}
