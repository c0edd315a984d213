"""outsourcing.middleware — an operator's session, one request at a time: the admin answers 404, a
download that slips past the role checks becomes a logged 404, every response is ``no-store``, and
sign-out clears the browser's cache. Staff sessions pass through untouched.

The whole-site sweeps (every page, every download route) are in test_no_print."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from outsourcing.middleware import OperatorSessionMiddleware, is_download
from privacy_admin.audit.models import AuditEvent, Outcome

pytestmark = pytest.mark.django_db


def _run(user: Any, response: HttpResponse, *, path: str = "/patrons/", method: str = "get") -> HttpResponse:
    request: HttpRequest = getattr(RequestFactory(), method)(path)
    request.user = user
    return OperatorSessionMiddleware(lambda _request: response)(request)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Content-Type": "application/pdf"}, True),
        ({"Content-Type": "text/csv; charset=utf-8"}, True),
        ({"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, True),
        ({"Content-Type": "text/html", "Content-Disposition": 'Attachment; filename="x.html"'}, True),
        ({"Content-Type": "text/html; charset=utf-8"}, False),
        ({"Content-Type": "application/json", "Content-Disposition": "inline"}, False),
    ],
)
def test_a_download_is_an_attachment_or_a_file_type(headers: dict[str, str], expected: bool) -> None:
    response = HttpResponse(b"x", content_type=headers.pop("Content-Type"))
    for name, value in headers.items():
        response[name] = value
    assert is_download(response) is expected


def test_every_response_to_an_operator_is_no_store(contractor_operator: Any) -> None:
    response = _run(contractor_operator, HttpResponse("<p>ok</p>"))

    assert response["Cache-Control"] == "no-store, no-cache, must-revalidate, private, max-age=0"
    assert response["Pragma"] == "no-cache" and response["Expires"] == "0"
    assert not response.has_header("Clear-Site-Data")


def test_a_download_to_an_operator_becomes_a_logged_404(contractor_operator: Any) -> None:
    with pytest.raises(Http404):
        _run(contractor_operator, HttpResponse(b"%PDF-1.7", content_type="application/pdf"))

    event = AuditEvent.objects.get(action="operator.export_denied")
    assert (event.actor, event.outcome, event.target_type) == (contractor_operator, Outcome.DENIED, "view")
    assert event.detail == {"status": 200}


def test_the_admin_is_a_logged_404_for_an_operator(contractor_operator: Any) -> None:
    with pytest.raises(Http404):
        _run(contractor_operator, HttpResponse("admin"), path=reverse("admin:index"), method="post")

    event = AuditEvent.objects.get(action="operator.admin_denied")
    assert (event.target_id, event.detail) == ("admin", {"method": "POST"})


def test_an_operators_sign_out_clears_the_browser_cache(contractor_operator: Any) -> None:
    response = _run(
        contractor_operator, HttpResponse(status=302), path=reverse("accounts:logout"), method="post"
    )
    assert response["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.parametrize("who", ["counter_staff", "anonymous"])
def test_staff_and_anonymous_pass_through_untouched(who: str, request: Any) -> None:
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    pdf = HttpResponse(b"%PDF-1.7", content_type="application/pdf")

    response = _run(user, pdf)

    assert response is pdf and not response.has_header("Pragma")
    assert not AuditEvent.objects.filter(action__startswith="operator.").exists()
