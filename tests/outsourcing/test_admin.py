"""outsourcing.admin: contractors and contracts are listed read-only (they are managed on their own
audited pages); the contract's data items are not shown there."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin

from outsourcing.models import Contract, Contractor

from .factories import make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Any, administrator: Any) -> Any:
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    return client


def test_contractors_and_contracts_are_registered() -> None:
    assert admin.site.is_registered(Contractor) and admin.site.is_registered(Contract)


def test_contracts_are_listed_and_searchable_by_number(admin_client: Any, pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter], number="委-7001")
    make_contract(branches=[pickup_counter], number="委-7002")

    response = admin_client.get("/admin/outsourcing/contract/", {"q": "委-7001"})

    assert response.status_code == 200
    body = response.content.decode()
    assert contract.number in body and "委-7002" not in body


def test_nothing_can_be_added_changed_or_deleted(admin_client: Any, pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])
    title = contract.title

    assert admin_client.get("/admin/outsourcing/contract/add/").status_code == 403
    assert admin_client.get("/admin/outsourcing/contractor/add/").status_code == 403
    detail = admin_client.get(f"/admin/outsourcing/contract/{contract.pk}/change/")
    assert detail.status_code == 200  # view only
    assert 'name="_save"' not in detail.content.decode()
    assert 'name="data_items"' not in detail.content.decode()
    response = admin_client.post(f"/admin/outsourcing/contract/{contract.pk}/change/", {"title": "改ざん"})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/outsourcing/contract/{contract.pk}/delete/").status_code == 403
    contract.refresh_from_db()
    assert contract.title == title
