"""What every template knows of the signed-in account's roles (accounts.context_processors.roles)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from privacy_admin.accounts.context_processors import roles

pytestmark = pytest.mark.django_db


def _for(user: Any) -> dict[str, Any]:
    request = RequestFactory().get("/")
    request.user = user
    return roles(request)


def test_an_anonymous_visitor_holds_nothing() -> None:
    context = _for(AnonymousUser())
    assert context["user_roles"] == set() and context["operator_pages"] == []
    assert not any(
        context[flag] for flag in ("is_counter", "is_privacy_officer", "is_administrator", "is_contractor")
    )


def test_counter_staff(counter_staff: Any) -> None:
    context = _for(counter_staff)
    assert (context["is_counter"], context["is_privacy_officer"], context["is_administrator"]) == (
        True,
        False,
        False,
    )


def test_an_administrator_also_works_the_counter(administrator: Any) -> None:
    context = _for(administrator)
    assert context["is_administrator"] and context["is_counter"] and not context["is_privacy_officer"]


def test_a_privacy_officer_is_not_counter_staff(privacy_officer: Any) -> None:
    context = _for(privacy_officer)
    assert context["is_privacy_officer"] and not context["is_counter"]


def test_an_operator_without_a_contract_in_force_has_no_pages(contractor_operator: Any) -> None:
    context = _for(contractor_operator)
    assert context["is_contractor"] and context["operator_pages"] == []


def test_an_operator_of_a_contract_in_force_has_the_pages_it_opens(working_operator: Any) -> None:
    pages = _for(working_operator)["operator_pages"]
    assert pages and all(isinstance(name, str) and isinstance(label, str) for name, label in pages)
