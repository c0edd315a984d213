"""privacy_admin.core.query_text: an invisible character anywhere in a query string is refused with 400
and a Japanese message (JSON under /api/), before any view or filter reaches the database."""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from privacy_admin.core.query_text import RefuseInvisibleQueryMiddleware, query_has_invisible

factory = RequestFactory()


def _ok(request: object) -> HttpResponse:
    return HttpResponse("ok")


@pytest.mark.parametrize(
    "query", ["q=%00", "q=%E2%80%AE", "status=a%E2%80%8Bb", "%00=1", "q=ok&q=%07", "page=%0A"]
)
def test_invisible_characters_anywhere_in_the_query_are_found(query: str) -> None:
    assert query_has_invisible(factory.get(f"/x/?{query}"))


@pytest.mark.parametrize(
    "query", ["", "q=山田", "q=%EF%BD%B6%EF%BE%9E", "q=%F0%9F%98%80", "q=%FF%FE", "page=2"]
)
def test_ordinary_and_undecodable_text_passes(query: str) -> None:
    # Bytes that are not UTF-8 arrive as U+FFFD, a visible character the search simply does not find.
    assert not query_has_invisible(factory.get(f"/x/?{query}"))


def test_the_api_is_answered_in_json() -> None:
    response = RefuseInvisibleQueryMiddleware(_ok)(factory.get("/api/v1/register?q=%00"))
    assert response.status_code == 400
    assert "見えない文字" in json.loads(response.content)["detail"]


@pytest.mark.django_db
def test_a_page_is_answered_with_the_message(client) -> None:
    response = client.get("/public/register/?q=%00")
    assert response.status_code == 400
    assert "見えない文字" in response.content.decode()
    assert client.get("/public/register/?q=事務").status_code == 200
