"""The patron's session: apart from staff sessions, idle timeout, the patron as the access log's actor."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from mypage import auth
from privacy_admin.audit.context import get_context

pytestmark = pytest.mark.django_db


def _request(patron_id: Any = None, last_seen: Any = None, user: Any = None) -> Any:
    request = RequestFactory().get("/my/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    if patron_id is not None:
        request.session[auth.SESSION_KEY] = patron_id
        request.session[auth.LAST_SEEN] = last_seen if last_seen is not None else int(time.time())
    return request


def test_current_patron_reads_the_dedicated_session_key_and_sets_the_actor(patron: Any) -> None:
    request = _request(patron.pk)
    assert auth.current_patron(request) == patron
    assert get_context().patron_actor == patron.pk


def test_a_staff_user_is_never_a_patron(patron: Any, counter_staff: Any) -> None:
    assert auth.current_patron(_request(patron.pk, user=counter_staff)) is None


def test_idle_longer_than_the_setting_ends_the_session(patron: Any, settings: Any) -> None:
    settings.MYPAGE_IDLE_TIMEOUT_MINUTES = 5
    request = _request(patron.pk, last_seen=int(time.time()) - 6 * 60)
    assert auth.current_patron(request) is None
    assert auth.SESSION_KEY not in request.session
    fresh = _request(patron.pk, last_seen=int(time.time()) - 4 * 60)
    assert auth.current_patron(fresh) == patron


def test_a_cancelled_patron_is_signed_out(patron: Any) -> None:
    patron.status = "cancelled"
    patron.save()
    assert auth.current_patron(_request(patron.pk)) is None


def test_a_session_value_that_is_not_an_id_is_ignored(db: Any) -> None:
    assert auth.current_patron(_request("1")) is None
