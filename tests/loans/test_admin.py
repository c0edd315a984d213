"""loans.admin: items are master data (their status follows lending and returns, not the admin); damage
cases and notices are there to look at only; loans and reservations are not in the admin at all."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from loans.models import DamageCase, Item, Loan, Notice, Reservation

from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of(administrator):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    return request


def test_who_had_what_is_not_in_the_admin() -> None:
    assert Loan not in admin.site._registry
    assert Reservation not in admin.site._registry


def test_an_items_status_cannot_be_set_in_the_admin(request_of, central) -> None:
    item_admin = admin.site._registry[Item]
    assert "status" not in item_admin.get_readonly_fields(request_of, None)  # a new item: its first status
    assert "status" in item_admin.get_readonly_fields(request_of, make_item(home_branch=central))


@pytest.mark.parametrize("model", [DamageCase, Notice])
def test_damage_cases_and_notices_are_read_only(request_of, model) -> None:
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request_of)
    assert not model_admin.has_change_permission(request_of, None)
    assert not model_admin.has_delete_permission(request_of, None)
    assert "patron" not in model_admin.list_display
