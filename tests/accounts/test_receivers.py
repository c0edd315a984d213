"""Django's and django-axes' sign-in signals become access-log events (accounts.receivers); the name
typed is recorded only when it is a real account's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.test import Client, RequestFactory
from django.urls import reverse

from privacy_admin.accounts.models import PasswordState
from privacy_admin.audit.models import AuditEvent, Outcome

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def test_failed_login_for_unknown_name_does_not_record_what_was_typed(client: Client, db: Any) -> None:
    typed = "Correct-Horse-42-typed-in-the-wrong-box"
    client.post(LOGIN, {"username": typed, "password": "x"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.target_id == ""
    assert event.detail == {"known_account": False}
    stored = json.dumps([event.actor_username, event.target_id, event.detail], ensure_ascii=False)
    assert typed not in stored


def test_a_failure_for_a_real_account_names_it(counter_staff: Any) -> None:
    user_login_failed.send(sender=__name__, credentials={"username": "counter"})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.outcome, event.target_id, event.detail) == (
        Outcome.FAILURE,
        str(counter_staff.pk),
        {"known_account": True},
    )


@pytest.mark.parametrize("username", [None, "", 42, "x" * 151])
def test_a_failure_with_no_usable_name_is_logged_without_one(db: Any, username: object) -> None:
    user_login_failed.send(sender=__name__, credentials={"username": username})
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert (event.target_id, event.detail) == ("", {"known_account": False})


def test_a_sign_in_starts_the_password_clock_of_an_older_account(counter_staff: Any) -> None:
    PasswordState.objects.filter(user=counter_staff).delete()
    request = RequestFactory().get("/")
    request.session = Client().session
    user_logged_in.send(sender=type(counter_staff), request=request, user=counter_staff)

    assert PasswordState.objects.filter(user=counter_staff).exists()
    assert AuditEvent.objects.get(action="auth.login").actor == counter_staff
    assert request.session["_account_security"]["uid"] == counter_staff.pk


def test_a_logout_without_an_account_writes_nothing(db: Any) -> None:
    user_logged_out.send(sender=__name__, request=RequestFactory().get("/"), user=None)
    assert not AuditEvent.objects.filter(action="auth.logout").exists()


def test_a_logout_is_logged_with_its_account(counter_staff: Any) -> None:
    user_logged_out.send(sender=__name__, request=RequestFactory().get("/"), user=counter_staff)
    assert AuditEvent.objects.get(action="auth.logout").actor == counter_staff
