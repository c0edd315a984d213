"""Reads of patron data for the counter: the proxy application shown on the detail page, and the paper
application forms waiting to be shredded (要綱 第2条2)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.http import Http404

from patrons import selectors
from patrons.models import PaperApplicationForm, Patron, ProxyApplication
from patrons.services import today
from privacy_admin.audit.models import AuditEvent
from tests.factories import BranchFactory, PatronFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def patron(central: Any, general_category: Any) -> Patron:
    return cast(Patron, PatronFactory(registered_branch=central, category=general_category))


def _paper_form(patron: Patron | None, branch: Any, *, overdue_by: int = 9) -> PaperApplicationForm:
    return PaperApplicationForm.objects.create(
        patron=patron,
        kind=PaperApplicationForm.Kind.NEW,
        branch=branch,
        received_on=today() - dt.timedelta(days=31 + overdue_by),
        destroy_by=today() - dt.timedelta(days=overdue_by),
    )


def test_the_proxy_application_of_a_patron(patron: Patron, central, general_category) -> None:
    other = cast(Patron, PatronFactory(registered_branch=central, category=general_category))
    proxy = ProxyApplication.objects.create(patron=patron, reason="入院中のため")

    assert selectors.proxy_application_of(patron) == proxy
    assert selectors.proxy_application_of(other) is None


@pytest.mark.parametrize("persona", ["counter_staff", "administrator"], indirect=True)
def test_the_counter_lists_pending_paper_forms_overdue_first_with_the_card_number(
    persona, patron: Patron, central
) -> None:
    branch = BranchFactory(code="east", name="東図書館")
    later = _paper_form(patron, central, overdue_by=-5)
    sooner = _paper_form(None, branch, overdue_by=3)
    done = _paper_form(patron, central)
    done.destroyed_on = today()
    done.save()
    before = AuditEvent.objects.count()

    rows = list(selectors.paper_forms_pending_for(persona))

    assert rows == [sooner, later]
    assert [getattr(r, "card_number") for r in rows] == [None, patron.card_number]  # noqa: B009
    assert list(selectors.paper_forms_pending_for(persona, branch_code="east")) == [sooner]
    # Masked card numbers only, no name: not a look at a patron, so no view event.
    assert AuditEvent.objects.count() == before
    assert selectors.get_paper_form_for(persona, later.pk) == later


@pytest.mark.parametrize("persona", ["privacy_officer", "contractor_operator", "no_role_user"], indirect=True)
def test_anyone_else_lists_no_paper_form_and_gets_404(persona, patron: Patron, central) -> None:
    form = _paper_form(patron, central)

    assert not selectors.paper_forms_pending_for(persona).exists()
    with pytest.raises(Http404):
        selectors.get_paper_form_for(persona, form.pk)


def test_an_unknown_paper_form_is_404(counter_staff) -> None:
    with pytest.raises(Http404):
        selectors.get_paper_form_for(counter_staff, 999_999)
