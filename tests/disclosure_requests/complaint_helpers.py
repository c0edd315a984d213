"""Helpers shared by the complaint tests (services, pages, the admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from disclosure_requests import complaints
from disclosure_requests.models import Channel, Complaint

from . import factories as f

COMPLAINANT = "苦情 申出子"


def receive_complaint(actor: Any, **kwargs: Any) -> Complaint:
    values: dict[str, Any] = {
        "received_on": f.today() - dt.timedelta(days=3),
        "channel": Channel.COUNTER,
        "complainant_name": COMPLAINANT,
        "contact": "090-0000-0000",
        "summary": "督促のはがきに資料名が書かれていないか心配です。",
    }
    values.update(kwargs)
    return complaints.complaint_receive(actor=actor, **values)
