"""Hostile input on the register: out-of-range numbers and dates are refused with a message, a NUL in a
search is refused, and an entry stored with an out-of-range date (before the bounds existed) still shows
on every page and PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from register.models import RegisterEntry
from tests.register.factories import make_entry
from tests.register.helpers import days_ago, entry_values, freeze_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _form_data(**overrides: Any) -> dict[str, Any]:
    values = entry_values()
    data: dict[str, Any] = {
        key: (value.isoformat() if isinstance(value, dt.date) else value) for key, value in values.items()
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": "99999999999"}, "number", "9999以下の整数"),
        ({"number": "0"}, "number", "1以上の整数"),
        ({"registered_on": "1868-01-01"}, "registered_on", "以降の日付を入力してください"),
        ({"starts_on": "9999-12-31"}, "starts_on", "以前の日付を入力してください"),
        ({"name": "事務\x00"}, "name", ""),  # Django's own message for NUL
        ({"name": "事務\u202e"}, "name", "見えない文字"),
    ],
)
def test_the_entry_form_refuses_out_of_range_values_with_a_message(
    administrator: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    before = RegisterEntry.objects.count()
    response = _client(administrator).post(reverse("registry:create"), _form_data(**overrides))
    assert response.status_code == 200
    assert any(message in str(e) for e in response.context["form"].errors[field])
    assert RegisterEntry.objects.count() == before


def test_the_api_refuses_an_entry_number_beyond_the_register(administrator: Any) -> None:
    body = _form_data(number=99999999999, extra_items=[], collection_sources=["person"])
    response = _client(administrator).post("/api/v1/register", body, content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"number"}


@pytest.mark.parametrize("path", ["/public/register/?q=%00", "/registry/?q=%00", "/registry/?status=%00"])
def test_a_nul_in_a_search_is_refused_with_a_message(administrator: Any, path: str) -> None:
    response = _client(administrator).get(path)
    assert response.status_code == 400
    assert "見えない文字" in response.content.decode()


def test_a_nul_in_the_api_search_answers_json(administrator: Any) -> None:
    response = _client(administrator).get("/api/v1/register?q=%00")
    assert response.status_code == 400
    assert "見えない文字" in response.json()["detail"]


def test_an_entry_stored_with_out_of_range_dates_still_shows_everywhere(
    client: Client, administrator: Any
) -> None:
    entry = make_entry(registered_on=dt.date(1868, 1, 1), starts_on=dt.date(9999, 12, 31))
    staff = _client(administrator)
    for url in (
        reverse("public_register:list"),
        reverse("public_register:detail", args=[entry.pk]),
        reverse("register_print:public_register_pdf"),
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        reverse("registry:list"),
        reverse("registry:detail", args=[entry.pk]),
        reverse("register_print:entry_pdf", args=[entry.pk]),
    ):
        assert staff.get(url).status_code == 200, url
    page = client.get(reverse("public_register:detail", args=[entry.pk])).content.decode()
    assert "1868年1月1日" in page
