"""Helpers shared by the tests of each stage of ``disclosure_requests.services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import services
from disclosure_requests.models import Outcome, PrivacyRequest, WithholdingReason

from ..request_helpers import d, receive, snapshot


def refused(call: Callable[[], object], field: str, *fragments: str) -> str:
    """Run ``call``, expect a ValidationError on ``field`` containing every fragment, and prove that
    nothing at all was written (requests, steps, history, access log)."""
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    text = " ".join(info.value.message_dict[field])
    for fragment in fragments:
        assert fragment in text, text
    assert snapshot() == before
    return text


def decided(
    officer: Any, outcome: str = Outcome.FULL, *, on: dt.date | None = None, **kw: Any
) -> PrivacyRequest:
    pr = receive(officer, **kw)
    extra: dict[str, Any] = {}
    if outcome in (Outcome.PARTIAL, Outcome.REFUSED):
        extra = {"reasons": [WithholdingReason.THIRD_PERSON], "reason_text": "第三者の情報を含むため。"}
    elif outcome not in services.GRANTING_OUTCOMES:
        extra = {"reason_text": "理由。"}
    services.request_decide(actor=officer, request=pr, outcome=outcome, decided_on=on or d(6, 10), **extra)
    pr.refresh_from_db()
    return pr
