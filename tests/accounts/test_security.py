"""What an account must do first (accounts.security): confirm its token, then change its password, then
enrol a device when its role requires one. The facts are read once a minute and kept in the session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from privacy_admin.accounts import security
from privacy_admin.accounts.models import PasswordState

pytestmark = pytest.mark.django_db


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    request.session = Client().session
    return request


def _must_change(user: Any) -> None:
    PasswordState.objects.filter(user=user).update(must_change=True)


def test_nothing_pending_for_an_ordinary_account(counter_staff: Any) -> None:
    request = _request(counter_staff)
    assert security.next_step(request, counter_staff) is None
    assert security.password_change_reason(request, counter_staff) == ""


def test_an_unconfirmed_token_comes_before_a_password_change(counter_staff: Any) -> None:
    TOTPDevice.objects.create(user=counter_staff, name="認証アプリ", confirmed=True)
    _must_change(counter_staff)
    request = _request(counter_staff)
    assert security.next_step(request, counter_staff) == security.STEP_OTP_VERIFY


def test_a_password_change_comes_before_enrolment(privacy_officer: Any, settings: Any) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    _must_change(privacy_officer)
    request = _request(privacy_officer)
    assert security.password_change_reason(request, privacy_officer) == "must_change"
    assert security.next_step(request, privacy_officer) == security.STEP_PASSWORD


def test_an_expired_password_is_named_as_such(counter_staff: Any) -> None:
    PasswordState.objects.filter(user=counter_staff).update(
        changed_at=timezone.now() - dt.timedelta(days=400)
    )
    assert security.password_change_reason(_request(counter_staff), counter_staff) == "expired"


def test_enrolment_when_the_role_requires_it(administrator: Any, settings: Any) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    assert security.next_step(_request(administrator), administrator) == security.STEP_OTP_SETUP


def test_the_facts_are_kept_for_a_minute_and_forgotten_on_demand(
    counter_staff: Any, django_assert_num_queries: Any
) -> None:
    request = _request(counter_staff)
    security.status(request, counter_staff)
    _must_change(counter_staff)
    with django_assert_num_queries(0):
        assert security.password_change_reason(request, counter_staff) == ""
    security.forget(request)
    assert security.password_change_reason(request, counter_staff) == "must_change"


def test_the_facts_of_another_account_are_not_reused(counter_staff: Any, privacy_officer: Any) -> None:
    request = _request(counter_staff)
    security.status(request, counter_staff)
    _must_change(privacy_officer)
    request.user = privacy_officer
    assert security.status(request, privacy_officer)["must"] is True


def test_the_middleware_answers_the_api_in_json_and_lets_sign_out_through(
    login: Any, counter_staff: Any
) -> None:
    _must_change(counter_staff)
    client = login(counter_staff)
    response = client.get("/api/v1/branches")
    assert response.status_code == 403
    assert response.json() == {"detail": "パスワードの変更が必要です。画面からパスワードを変更してください。"}
    assert client.get(reverse("home"))["Location"] == reverse(security.STEP_PASSWORD)
    assert client.get(reverse(security.STEP_PASSWORD)).status_code == 200
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")
