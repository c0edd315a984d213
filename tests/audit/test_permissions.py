"""privacy_admin.audit.permissions: ``role_required`` sends the anonymous to sign in, refuses other roles
with 403 and writes the refusal to the access log, and lets the named roles through."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from privacy_admin.audit.models import AuditEvent
from privacy_admin.audit.permissions import role_required
from privacy_admin.core.roles import Role

pytestmark = pytest.mark.django_db


@role_required(Role.PRIVACY_OFFICER)
def officer_page(request) -> HttpResponse:
    return HttpResponse("ok")


def request_by(user):
    request = RequestFactory().get("/audit/somewhere/")
    request.user = user
    return request


def test_the_named_role_passes(privacy_officer) -> None:
    assert officer_page(request_by(privacy_officer)).content == b"ok"
    assert getattr(officer_page, "allowed_roles") == (Role.PRIVACY_OFFICER,)  # noqa: B009 - set by the decorator
    assert not AuditEvent.objects.filter(action="access.denied").exists()


def test_the_anonymous_are_sent_to_sign_in() -> None:
    response = officer_page(request_by(AnonymousUser()))
    assert response.status_code == 302 and "next=/audit/somewhere/" in response["Location"]


def test_another_role_is_refused_and_the_refusal_logged(counter_staff) -> None:
    with pytest.raises(PermissionDenied):
        officer_page(request_by(counter_staff))
    denied = AuditEvent.objects.get(action="access.denied")
    assert (denied.actor_id, denied.target_type, denied.target_id) == (
        counter_staff.pk,
        "view",
        "/audit/somewhere/",
    )
