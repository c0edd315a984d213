"""The account models (accounts.models): tokens generated with the site's prefix and kept as SHA-256,
and the labels an administrator reads."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from privacy_admin.accounts.models import ApiToken, PasswordHistory, PasswordState, StaffProfile


def test_generated_tokens_carry_the_prefix_and_differ() -> None:
    (prefix_a, raw_a), (prefix_b, raw_b) = ApiToken.generate(), ApiToken.generate()
    assert raw_a.startswith(f"{settings.API_TOKEN_PREFIX}{prefix_a}_") and len(prefix_a) == 8
    assert prefix_a != prefix_b and raw_a != raw_b
    assert len(raw_a) > 40


def test_the_hash_is_sha256_of_the_token() -> None:
    assert ApiToken.hash_key("pa_abc") == hashlib.sha256(b"pa_abc").hexdigest()
    assert len(ApiToken.hash_key("pa_abc")) == 64


@pytest.mark.django_db
def test_a_token_shows_its_prefix_never_its_hash(counter_staff: Any) -> None:
    token = ApiToken.objects.create(user=counter_staff, prefix="abcd1234", key_hash="f" * 64)
    assert str(token) == "abcd1234… (counter)"
    assert "f" * 64 not in str(token)


@pytest.mark.django_db
def test_two_tokens_cannot_share_a_prefix(counter_staff: Any) -> None:
    ApiToken.objects.create(user=counter_staff, prefix="abcd1234", key_hash="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=counter_staff, prefix="abcd1234", key_hash="b" * 64)


@pytest.mark.django_db
def test_the_branch_of_a_staff_member_is_on_their_profile(counter_staff: Any, central: Any) -> None:
    profile = StaffProfile.objects.get(user=counter_staff)
    assert profile.branch == central and str(profile) == "counter"


@pytest.mark.django_db
def test_password_history_is_newest_first(counter_staff: Any) -> None:
    PasswordHistory.objects.filter(user=counter_staff).delete()
    first = PasswordHistory.objects.create(user=counter_staff, password="hash-1")
    second = PasswordHistory.objects.create(user=counter_staff, password="hash-2")
    assert list(PasswordHistory.objects.filter(user=counter_staff)) == [second, first]
    assert str(PasswordState.objects.get(user=counter_staff)) == "counter"
