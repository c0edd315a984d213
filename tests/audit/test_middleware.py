"""privacy_admin.audit.middleware: every request gets an id (a well-formed incoming X-Request-ID is kept)
and the client's address, exactly as the database will hold it, for the access log; the context ends with
the request."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from privacy_admin.audit.context import AuditContext, get_context
from privacy_admin.audit.middleware import RequestContextMiddleware, client_ip


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("", None),
        ("not-an-address", None),
        ("1:2:3", None),
    ],
)
def test_the_client_address_is_stored_as_the_database_holds_it(
    remote: str, expected: str | None, settings
) -> None:
    settings.USE_X_FORWARDED_FOR = False
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=remote)) == expected


def test_the_forwarded_address_counts_only_behind_a_proxy(settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.2")
    settings.USE_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.2"
    settings.USE_X_FORWARDED_FOR = True
    assert client_ip(request) == "198.51.100.7"


def test_a_request_runs_in_its_context_and_echoes_its_id(settings) -> None:
    settings.USE_X_FORWARDED_FOR = False
    seen: list[AuditContext] = []

    def view(request) -> HttpResponse:
        seen.append(get_context())
        return HttpResponse("ok")

    middleware = RequestContextMiddleware(view)
    response = middleware(
        RequestFactory().get("/api/v1/branches", REMOTE_ADDR="192.0.2.1", HTTP_X_REQUEST_ID="abcdef12-3456")
    )
    assert response["X-Request-ID"] == "abcdef12-3456"
    assert (seen[0].request_id, seen[0].ip, seen[0].channel) == ("abcdef12-3456", "192.0.2.1", "api")
    assert get_context() == AuditContext()


def test_a_malformed_request_id_is_replaced() -> None:
    middleware = RequestContextMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/patrons/", HTTP_X_REQUEST_ID="<script>"))
    assert response["X-Request-ID"] != "<script>" and len(response["X-Request-ID"]) == 32
