"""The admin of staff accounts and API tokens (accounts.admin): unlocking is for administrators only
and logged; revoking goes through the service; a token can be neither added nor deleted there."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest
from django.test import RequestFactory

from privacy_admin.accounts.admin import ApiTokenAdmin, StaffUserAdmin
from privacy_admin.accounts.models import ApiToken
from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _request(user: Any) -> HttpRequest:
    request = RequestFactory().post("/admin/")
    request.user = user
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _messages(request: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(request)]


def _fail(username: str) -> None:
    AccessAttempt.objects.create(username=username, ip_address="192.0.2.1", failures_since_start=10)


def test_an_administrator_unlocks_the_selected_accounts(administrator: Any, counter_staff: Any) -> None:
    _fail("counter")
    request = _request(administrator)
    model_admin = admin.site._registry[get_user_model()]
    assert isinstance(model_admin, StaffUserAdmin)

    model_admin.unlock(request, get_user_model().objects.filter(pk=counter_staff.pk))

    assert not AccessAttempt.objects.filter(username="counter").exists()
    assert _messages(request) == ["1件のアカウントのロックを解除しました。"]
    event = AuditEvent.objects.get(action="auth.lockout_cleared")
    assert (event.actor, event.target_id) == (administrator, str(counter_staff.pk))


@pytest.mark.parametrize("persona", ["counter_staff", "privacy_officer"], indirect=True)
def test_other_roles_may_not_unlock(persona: Any, counter_staff: Any) -> None:
    _fail("counter")
    request = _request(persona)

    model_admin = admin.site._registry[get_user_model()]
    assert isinstance(model_admin, StaffUserAdmin)
    model_admin.unlock(request, get_user_model().objects.filter(pk=counter_staff.pk))

    assert AccessAttempt.objects.filter(username="counter").exists()
    assert _messages(request) == ["ロック解除はシステム管理者のみが行えます。"]
    assert not AuditEvent.objects.filter(action="auth.lockout_cleared").exists()


def test_revoking_goes_through_the_service_once_per_live_token(
    administrator: Any, counter_staff: Any
) -> None:
    api_token_create(actor=None, user=counter_staff)
    api_token_create(actor=None, user=counter_staff)
    model_admin = admin.site._registry[ApiToken]
    assert isinstance(model_admin, ApiTokenAdmin)

    model_admin.revoke(_request(administrator), ApiToken.objects.all())
    model_admin.revoke(_request(administrator), ApiToken.objects.all())  # already revoked: nothing more

    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=administrator).count() == 2


def test_tokens_cannot_be_added_or_deleted_in_the_admin(administrator: Any) -> None:
    model_admin = admin.site._registry[ApiToken]
    request = _request(administrator)
    assert model_admin.has_add_permission(request) is False
    assert "delete_selected" not in model_admin.get_actions(request)
    assert "key_hash" in (model_admin.exclude or ())
