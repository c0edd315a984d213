"""The Django admin is for administrators and master data only."""

from __future__ import annotations

import pytest
from django.contrib import admin

from patrons.models import Patron

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["counter_staff", "privacy_officer", "no_role_user"], indirect=True)
def test_admin_refuses_every_role_but_administrator(persona, login) -> None:
    persona.is_staff = True  # even a wrongly flagged account does not get in
    persona.save()
    response = login(persona).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_administrator_reaches_master_data(administrator, login) -> None:
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client = login(administrator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/patrons/branch/").status_code == 200
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 200


def test_patrons_are_not_in_the_admin() -> None:
    assert Patron not in admin.site._registry


def test_operators_get_404_at_the_admin_and_the_attempt_is_logged(contractor_operator, login) -> None:
    from privacy_admin.audit.models import AuditEvent

    response = login(contractor_operator).get("/admin/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="operator.admin_denied", actor_username="operator").exists()
