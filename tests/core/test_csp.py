"""The Content-Security-Policy middleware (core.csp): every answer carries the policy except a PDF,
which Chrome shows in a viewer page of its own that the policy would leave blank (crbug.com/271452)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory
from django.urls import reverse

from privacy_admin.core.csp import CSPMiddleware


@pytest.mark.django_db
def test_pdfs_go_without_the_policy_so_that_chrome_can_show_them(client: Client) -> None:
    # Chrome's inline viewer page is subject to the PDF response's policy (crbug.com/271452).
    response = client.get(reverse("public_register:form_pdf", args=["disclosure"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
    assert "Content-Security-Policy" in client.get("/public/register/")


def _through_middleware(content_type: str) -> HttpResponseBase:
    response = HttpResponse(b"", content_type=content_type)
    answer = CSPMiddleware(lambda request: response)(RequestFactory().get("/"))
    assert isinstance(answer, HttpResponseBase)
    return answer


@pytest.mark.parametrize(
    "content_type", ["application/pdf", "Application/PDF", "application/pdf; charset=binary"]
)
def test_any_spelling_of_the_pdf_type_goes_without_the_policy(content_type: str) -> None:
    assert "Content-Security-Policy" not in _through_middleware(content_type)


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=utf-8", "application/json", "text/csv", "image/png"]
)
def test_every_other_answer_carries_the_policy(content_type: str) -> None:
    response = _through_middleware(content_type)
    assert "default-src 'self'" in response["Content-Security-Policy"]
