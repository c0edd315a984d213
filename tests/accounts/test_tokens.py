"""Bearer tokens remembered per process, and refused by the first request after any change that
should refuse them (accounts.tokens; the credential generation kept by PostgreSQL triggers)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from privacy_admin.accounts import tokens
from privacy_admin.accounts.models import ApiToken, CredentialGeneration
from privacy_admin.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from privacy_admin.core.roles import Role

pytestmark = pytest.mark.needs_postgres

COUNTER_ONLY = "/api/v1/returns"  # counter staff and administrators only


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    tokens.forget()
    yield
    tokens.forget()


@pytest.fixture
def raw(counter_staff: Any) -> str:
    return api_token_create(actor=None, user=counter_staff)


def get(raw_token: str, path: str = "/api/v1/branches") -> int:
    return Client(headers={"Authorization": f"Bearer {raw_token}"}).get(path).status_code


def post_return(raw_token: str) -> int:
    client = Client(headers={"Authorization": f"Bearer {raw_token}"})
    return client.post(
        COUNTER_ONLY, {"barcode": "NONE-1", "branch": "central"}, content_type="application/json"
    ).status_code


def warm(raw_token: str) -> None:
    """Two requests: the first looks the token up and remembers it, the second uses the memory."""
    assert get(raw_token) == 200
    assert get(raw_token) == 200


def test_a_remembered_token_costs_two_small_queries(raw: str) -> None:
    # The generation, then whether the account may still act (locked, password expired: issue 14).
    assert api_token_authenticate(raw) is not None
    with CaptureQueriesContext(connection) as queries:
        user = api_token_authenticate(raw)
    assert user is not None and user.username == "counter"
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 2 and sql[0] == tokens._generation_sql()
    assert "axes_accessattempt" in sql[1] and "accounts_passwordstate" in sql[1]


def test_the_remembered_user_is_a_fresh_object_each_time(raw: str) -> None:
    first = api_token_authenticate(raw)
    first.first_name = "changed in one request"
    second = api_token_authenticate(raw)
    assert second is not first and second.first_name != "changed in one request"


def test_the_remembered_user_keeps_its_roles(raw: str, django_assert_num_queries: Any) -> None:
    warm(raw)
    with django_assert_num_queries(2):  # the generation, whether the account may act; no token or group query
        user = api_token_authenticate(raw)
    assert user.groups.model  # a real user model instance
    from privacy_admin.core.roles import has_role

    with django_assert_num_queries(0):
        assert has_role(user, Role.COUNTER)


def test_only_the_hash_is_remembered(raw: str) -> None:
    warm(raw)
    assert list(tokens._entries) == [ApiToken.hash_key(raw)]
    assert raw not in repr(tokens._entries)
    # The secret after "pa_<8 hex>_" (token_urlsafe may itself hold "_", so not split on it).
    secret = raw[len(settings.API_TOKEN_PREFIX) + 9 :]
    assert len(secret) >= 40 and secret not in repr(tokens._entries)


def test_revocation_refuses_the_next_request(raw: str, counter_staff: Any) -> None:
    warm(raw)
    api_token_revoke(actor=None, token=ApiToken.objects.get(user=counter_staff))
    assert get(raw) == 401


def test_revocation_by_a_plain_update_refuses_the_next_request(raw: str) -> None:
    warm(raw)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_apitoken SET revoked_at = now()")
    assert get(raw) == 401


def test_a_deleted_token_is_refused(raw: str) -> None:
    warm(raw)
    ApiToken.objects.all().delete()
    assert get(raw) == 401


def test_a_deactivated_account_is_refused(raw: str, counter_staff: Any) -> None:
    warm(raw)
    counter_staff.is_active = False
    counter_staff.save(update_fields=["is_active"])
    assert get(raw) == 401


def test_an_account_closed_by_a_queryset_update_is_refused(raw: str, counter_staff: Any) -> None:
    # outsourcing.operators closes accounts this way: no model signal is sent.
    warm(raw)
    type(counter_staff).objects.filter(pk=counter_staff.pk).update(is_active=False)
    assert get(raw) == 401


def test_a_deleted_account_is_refused(raw: str, counter_staff: Any) -> None:
    warm(raw)
    counter_staff.delete()
    assert get(raw) == 401


def test_a_role_taken_away_is_refused_at_once(raw: str, counter_staff: Any) -> None:
    assert post_return(raw) == 422  # admitted: the unknown barcode is refused by the service
    assert post_return(raw) == 422
    counter_staff.groups.remove(Group.objects.get(name=Role.COUNTER.value))
    assert post_return(raw) == 403


def test_a_role_given_takes_effect_at_once(privacy_officer: Any) -> None:
    raw = api_token_create(actor=None, user=privacy_officer)
    assert post_return(raw) == 403
    assert post_return(raw) == 403
    privacy_officer.groups.add(Group.objects.get_or_create(name=Role.COUNTER.value)[0])
    assert post_return(raw) == 422


def test_a_renamed_group_takes_effect_at_once(raw: str) -> None:
    assert post_return(raw) == 422
    Group.objects.filter(name=Role.COUNTER.value).update(name="former_counter")
    assert post_return(raw) == 403


def test_superuser_rights_taken_away_take_effect_at_once(no_role_user: Any) -> None:
    no_role_user.is_superuser = True
    no_role_user.save(update_fields=["is_superuser"])
    raw = api_token_create(actor=None, user=no_role_user)
    assert post_return(raw) == 422
    assert post_return(raw) == 422
    type(no_role_user).objects.filter(pk=no_role_user.pk).update(is_superuser=False)
    assert post_return(raw) == 403


def test_last_used_is_still_written_and_changes_no_generation(raw: str) -> None:
    before = CredentialGeneration.objects.get().value
    warm(raw)
    assert ApiToken.objects.get().last_used_at is not None
    assert CredentialGeneration.objects.get().value == before


def test_an_unrelated_change_to_an_account_keeps_the_memory(raw: str, counter_staff: Any) -> None:
    before = CredentialGeneration.objects.get().value
    counter_staff.first_name = "花子"
    counter_staff.save(update_fields=["first_name"])
    assert CredentialGeneration.objects.get().value == before


def test_without_a_generation_nothing_is_remembered(raw: str, django_assert_num_queries: Any) -> None:
    CredentialGeneration.objects.all().delete()  # as on a database without the triggers
    warm(raw)
    assert tokens._entries == {}
    with django_assert_num_queries(4):  # the generation, the token with its user, may it act, its roles
        assert api_token_authenticate(raw) is not None


def test_generation_values_never_repeat(counter_staff: Any) -> None:
    seen = {CredentialGeneration.objects.get().value}
    group = Group.objects.get(name=Role.COUNTER.value)
    for _n in range(3):
        counter_staff.groups.remove(group)
        seen.add(CredentialGeneration.objects.get().value)
        counter_staff.groups.add(group)
        seen.add(CredentialGeneration.objects.get().value)
    assert len(seen) == 7
