"""privacy_admin.core.roles: a role is a group of the same name; a superuser is an administrator; the most
privileged role is the one the access log records; an inactive or anonymous user holds none."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from privacy_admin.core.roles import Role, has_role, is_contractor_only, primary_role, roles_of
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def group(name: str) -> Group:
    return Group.objects.get_or_create(name=name)[0]


def test_roles_come_from_groups_of_the_same_name_only() -> None:
    user: Any = make_staff("multi", Role.COUNTER)
    user.groups.add(group("book-club"), group(Role.PRIVACY_OFFICER))
    user._role_cache = None
    assert roles_of(user) == {Role.COUNTER.value, Role.PRIVACY_OFFICER.value}
    assert has_role(user, Role.PRIVACY_OFFICER) and not has_role(user, Role.ADMINISTRATOR)
    assert primary_role(user) == Role.PRIVACY_OFFICER.value


def test_a_superuser_is_an_administrator() -> None:
    user: Any = make_staff("root", Role.COUNTER)
    user.is_superuser = True
    user.save()
    user._role_cache = None
    assert primary_role(user) == Role.ADMINISTRATOR.value


def test_anonymous_and_inactive_users_hold_no_role() -> None:
    assert roles_of(AnonymousUser()) == frozenset() and roles_of(None) == frozenset()
    user: Any = make_staff("left", Role.COUNTER)
    user.is_active = False
    assert roles_of(user) == frozenset()
    assert primary_role(user) == "none"


def test_a_contractor_only_account() -> None:
    operator = make_staff("op", Role.CONTRACTOR)
    assert is_contractor_only(operator)
    both: Any = make_staff("both", Role.CONTRACTOR)
    both.groups.add(group(Role.COUNTER))
    assert not is_contractor_only(both)
