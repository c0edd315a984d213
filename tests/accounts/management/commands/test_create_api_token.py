from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from privacy_admin.accounts.models import ApiToken
from privacy_admin.audit.models import AuditEvent


def _issue(username: str) -> str:
    out = StringIO()
    call_command("create_api_token", username, stdout=out)
    return out.getvalue().strip()


def test_printed_token_authenticates_the_api(counter_staff, central) -> None:
    raw = _issue("counter")

    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/branches")

    assert response.status_code == 200
    assert [b["code"] for b in response.json()] == ["central"]


def test_only_the_hash_of_the_token_is_stored(counter_staff) -> None:
    raw = _issue("counter")

    token = ApiToken.objects.get(user=counter_staff)
    assert raw.startswith("pa_")
    assert token.key_hash == ApiToken.hash_key(raw)
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert all(raw not in value for value in stored)


def test_issuing_a_token_is_logged_without_the_token(counter_staff) -> None:
    raw = _issue("counter")

    event = AuditEvent.objects.get(action="api_token.create")
    assert event.detail == {"user_id": counter_staff.pk}
    assert raw not in str(event.detail) and raw not in event.target_id


def test_each_call_issues_a_different_token(counter_staff) -> None:
    assert _issue("counter") != _issue("counter")
    assert ApiToken.objects.filter(user=counter_staff).count() == 2


def test_unknown_user_is_refused(db) -> None:
    with pytest.raises(CommandError):
        _issue("nobody")
    assert not ApiToken.objects.exists()


def test_inactive_user_is_refused(counter_staff) -> None:
    counter_staff.is_active = False
    counter_staff.save(update_fields=["is_active"])

    with pytest.raises(CommandError):
        _issue("counter")
    assert not ApiToken.objects.exists()
