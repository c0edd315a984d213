from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .outbox import outbox_in_use


def outbox(request: HttpRequest) -> dict[str, Any]:
    """``outbox_in_use``: the navigation offers the outbox to administrators only when mail goes there."""
    return {"outbox_in_use": outbox_in_use()}
