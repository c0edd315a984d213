"""The idle timeout signs a staff member out and logs why (domain §10); pages that may show personal data
are never stored by a browser or a proxy (accounts.middleware)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from privacy_admin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _idle(client: Client, seconds: int) -> None:
    session = client.session
    session["_last_seen"] = int(time.time()) - seconds
    session.save()


# --- idle timeout -----------------------------------------------------------------------------------


def test_idle_session_is_signed_out(login: Any, counter_staff: Any) -> None:
    client = login(counter_staff)
    assert client.get(reverse("home")).status_code == 200
    _idle(client, settings.SESSION_IDLE_TIMEOUT_SECONDS + 5)
    response = client.get(reverse("patrons:find"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.detail == {"reason": "idle_timeout"}
    assert event.actor == counter_staff
    page = client.get(LOGIN).content.decode()
    assert "一定時間操作がなかったため" in page
    assert client.get(reverse("home")).status_code == 302


def test_active_session_stays_signed_in(login: Any, counter_staff: Any) -> None:
    client = login(counter_staff)
    client.get(reverse("home"))
    _idle(client, 60)
    assert client.get(reverse("patrons:find")).status_code == 200
    assert not AuditEvent.objects.filter(action="auth.logout").exists()


def test_idle_api_session_is_signed_out(counter_staff: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(counter_staff, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/branches").status_code == 200
    _idle(client, settings.SESSION_IDLE_TIMEOUT_SECONDS + 10)

    assert client.get("/api/v1/branches").status_code == 401
    assert AuditEvent.objects.get(action="auth.logout").detail == {"reason": "idle_timeout"}


def test_an_idle_logout_is_logged_once(login: Any, counter_staff: Any) -> None:
    # The logout signal's receiver leaves the idle logout to the middleware, which records its reason.
    client = login(counter_staff)
    client.get(reverse("home"))
    _idle(client, settings.SESSION_IDLE_TIMEOUT_SECONDS + 5)
    client.get(reverse("home"))
    assert AuditEvent.objects.filter(action="auth.logout").count() == 1


def test_each_request_moves_the_last_seen_time(login: Any, counter_staff: Any) -> None:
    client = login(counter_staff)
    _idle(client, 120)
    client.get(reverse("home"))
    assert int(time.time()) - client.session["_last_seen"] < 5


# --- nothing stored ---------------------------------------------------------------------------------


def test_staff_pages_are_not_stored(login: Any, counter_staff: Any) -> None:
    response = login(counter_staff).get(reverse("patrons:find"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert response["Pragma"] == "no-cache"


def test_the_sign_in_page_and_the_api_are_not_stored(client: Client) -> None:
    assert "no-store" in client.get(LOGIN)["Cache-Control"]
    assert client.get("/api/v1/branches")["Cache-Control"] == "no-store, private"


def test_static_files_are_left_to_the_static_server(client: Client) -> None:
    response = client.get("/static/no-such-file.css")
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response
