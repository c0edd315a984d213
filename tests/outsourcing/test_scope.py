from __future__ import annotations

import pytest
from django.http import Http404

from patrons.selectors import get_patron_for, patrons_visible_to
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.scope import NOTHING, UNRESTRICTED, scope_for

from ..factories import make_patron

pytestmark = pytest.mark.django_db


def test_library_staff_reach_every_branch(counter_staff, privacy_officer, administrator) -> None:
    for user in (counter_staff, privacy_officer, administrator):
        assert scope_for(user) == UNRESTRICTED


def test_operator_without_contract_reaches_nothing(contractor_operator, no_role_user) -> None:
    make_patron()
    assert scope_for(contractor_operator) == NOTHING
    assert scope_for(no_role_user) == NOTHING
    assert not patrons_visible_to(contractor_operator).exists()


def test_out_of_scope_lookup_is_404_and_logged(contractor_operator) -> None:
    patron = make_patron()
    assert isinstance(patron.card_number, str)
    with pytest.raises(Http404) as exc:
        get_patron_for(contractor_operator, card_number=patron.card_number)
    assert patron.card_number not in str(exc.value)
    event = AuditEvent.objects.get(action="patron.out_of_scope")
    assert event.patron_id == patron.pk and event.outcome == "denied"


def test_unknown_patron_is_404_without_an_out_of_scope_event(counter_staff) -> None:
    with pytest.raises(Http404):
        get_patron_for(counter_staff, card_number="2199999999")
    with pytest.raises(Http404):
        get_patron_for(counter_staff, public_id="not-a-uuid")
    assert not AuditEvent.objects.filter(action="patron.out_of_scope").exists()


def test_malformed_card_number_is_404_before_any_query(counter_staff, django_assert_num_queries) -> None:
    with django_assert_num_queries(0), pytest.raises(Http404):
        get_patron_for(counter_staff, card_number="21\x0000000")
