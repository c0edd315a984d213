"""The account services (accounts.services): a token issued once and kept as its hash, revoked with its
event; a password change with its event; sessions ended for the accounts named only."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from privacy_admin.accounts.models import ApiToken
from privacy_admin.accounts.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    end_sessions,
    password_change,
)
from privacy_admin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_token_is_returned_once_and_only_its_hash_is_kept(administrator: Any, counter_staff: Any) -> None:
    raw = api_token_create(actor=administrator, user=counter_staff)

    token = ApiToken.objects.get(user=counter_staff)
    assert raw.startswith(f"{settings.API_TOKEN_PREFIX}{token.prefix}_")
    assert token.key_hash == ApiToken.hash_key(raw) and raw not in token.key_hash
    event = AuditEvent.objects.get(action="api_token.create")
    assert (event.actor, event.target_id, event.detail) == (
        administrator,
        str(token.pk),
        {"user_id": counter_staff.pk},
    )
    assert raw not in str(AuditEvent.objects.values_list().get(pk=event.pk))


def test_a_revoked_token_authenticates_no_more(administrator: Any, counter_staff: Any) -> None:
    raw = api_token_create(actor=None, user=counter_staff)
    assert api_token_authenticate(raw) == counter_staff

    api_token_revoke(actor=administrator, token=ApiToken.objects.get(user=counter_staff))

    assert ApiToken.objects.get(user=counter_staff).revoked_at is not None
    assert api_token_authenticate(raw) is None
    assert AuditEvent.objects.get(action="api_token.revoke").actor == administrator


@pytest.mark.parametrize("raw", ["", "pa_unknown", "x" * 201])
def test_an_empty_unknown_or_oversized_token_is_nobody(db: Any, raw: str) -> None:
    assert api_token_authenticate(raw) is None


def test_a_password_change_takes_effect_and_is_logged(counter_staff: Any, password: str) -> None:
    password_change(actor=counter_staff, user=counter_staff, new_password="toshokan-no-mori-2026")

    counter_staff.refresh_from_db()
    assert counter_staff.check_password("toshokan-no-mori-2026")
    assert not counter_staff.check_password(password)
    event = AuditEvent.objects.get(action="auth.password_changed")
    assert (event.actor, event.target_id) == (counter_staff, str(counter_staff.pk))
    assert "toshokan" not in str(AuditEvent.objects.values_list().get(pk=event.pk))


def test_end_sessions_signs_out_only_the_accounts_named(counter_staff: Any, privacy_officer: Any) -> None:
    clients = {}
    for user in (counter_staff, privacy_officer):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert Session.objects.count() == 2

    assert end_sessions(user_ids=[counter_staff.pk]) == 1

    assert Session.objects.count() == 1
    assert clients[counter_staff.pk].get("/").status_code == 302
    assert clients[privacy_officer.pk].get("/").status_code == 200


def test_end_sessions_of_nobody_ends_nothing(counter_staff: Any) -> None:
    Client().force_login(counter_staff, backend="django.contrib.auth.backends.ModelBackend")
    assert end_sessions(user_ids=[]) == 0
    assert Session.objects.count() == 1
