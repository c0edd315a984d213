"""disclosure_requests.demo: the demo requests cover every state, and a second run adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group

from disclosure_requests import demo, services
from disclosure_requests.models import (
    Amendment,
    CorrectionExecution,
    Decision,
    Extension,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    ThirdPartyConsultation,
)
from privacy_admin.core.roles import Role
from tests.factories import make_patron

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_the_demo_requests_cover_every_state_and_a_second_run_adds_nothing(privacy_officer, central) -> None:
    Group.objects.get_or_create(name=Role.PRIVACY_OFFICER)
    patrons = [make_patron(registered_branch=central) for _ in range(8)]
    out = StringIO()

    created = demo.seed_requests(stdout=out)

    assert created == PrivacyRequest.objects.count() >= 8
    assert set(PrivacyRequest.objects.values_list("kind", flat=True)) == set(RequestKind.values)
    assert PrivacyRequest.objects.filter(status=RequestStatus.AMENDING, clock_stopped=True).exists()
    assert Extension.objects.filter(kind=Extension.Kind.NORMAL).exists()
    assert Extension.objects.filter(kind=Extension.Kind.SPECIAL).exists()
    assert Decision.objects.filter(outcome="partial").exists()
    assert CorrectionExecution.objects.exists() and ThirdPartyConsultation.objects.exists()
    assert Amendment.objects.filter(completed_on__isnull=True).exists()
    on = services.today()
    overdue = [
        p
        for p in PrivacyRequest.objects.filter(status__in=services.OPEN_STATUSES)
        if services.request_deadline(p).is_overdue(on)
    ]
    assert len(overdue) == 1
    assert PrivacyRequest.objects.filter(patron__in=patrons).count() >= 5

    assert demo.seed_requests(stdout=(second := StringIO())) == 0
    assert PrivacyRequest.objects.count() == created
    assert "今回追加 0" in second.getvalue()
