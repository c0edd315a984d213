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


def test_an_administrator_who_is_no_superuser_edits_the_master_data(administrator, login) -> None:
    """The role is what counts (the demo's ``admin`` is no superuser): lists answer, and the rule profile
    in force is switched with the admin's action."""
    from disclosure_requests.models import RuleProfile

    administrator.is_staff = True
    administrator.save()
    assert not administrator.is_superuser
    client = login(administrator)
    for url in (
        "/admin/disclosure_requests/ruleprofile/",
        "/admin/disclosure_requests/closedday/",
        "/admin/disclosure_requests/lettertemplate/",
        "/admin/patrons/branch/",
    ):
        assert client.get(url).status_code == 200, url
    appi = RuleProfile.objects.get(code="appi")
    response = client.post(
        "/admin/disclosure_requests/ruleprofile/",
        {"action": "make_current", "_selected_action": [appi.pk]},
        follow=True,
    )
    assert "をこの図書館で適用します" in response.content.decode()
    assert RuleProfile.objects.get(is_current=True) == appi


@pytest.mark.parametrize("persona", ["counter_staff", "privacy_officer", "no_role_user"], indirect=True)
def test_no_other_role_gets_a_permission_from_the_role_backend(persona) -> None:
    persona.is_staff = True  # even a wrongly flagged account
    persona.save()
    assert not persona.has_perm("disclosure_requests.change_ruleprofile")
    assert not persona.has_module_perms("disclosure_requests")


def test_a_deactivated_administrator_has_no_permission(administrator) -> None:
    administrator.is_staff = True
    administrator.is_active = False
    administrator.save()
    assert not administrator.has_perm("disclosure_requests.view_ruleprofile")


def test_patrons_are_not_in_the_admin() -> None:
    assert Patron not in admin.site._registry


def test_operators_get_404_at_the_admin_and_the_attempt_is_logged(contractor_operator, login) -> None:
    from privacy_admin.audit.models import AuditEvent

    response = login(contractor_operator).get("/admin/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="operator.admin_denied", actor_username="operator").exists()
