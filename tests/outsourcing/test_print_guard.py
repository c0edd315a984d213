"""outsourcing.print_guard: an operator's print attempt with the cache down: the rate limit fails closed (503 with a clear
message), never a 500 and never an unlimited write to the access log."""

from __future__ import annotations

from typing import Any

import pytest

from privacy_admin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_print_attempt_is_refused_clearly_when_the_cache_is_down(
    dead_cache: Any, login: Any, contractor_operator: Any
) -> None:
    client = login(contractor_operator)
    client.raise_request_exception = False
    response = client.post("/outsourcing/print-attempt/", {"page": "/", "via": "print"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert (
        response.content.decode()
        == "現在この操作を受け付けられません。しばらくしてからもう一度お試しください。"
    )
    assert not AuditEvent.objects.filter(action="operator.print_attempt").exists()
