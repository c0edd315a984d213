"""The demo contracts: signing in as each demo operator shows the gate and the scoping (issue: demo data)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from outsourcing.demo import DEMO_OPERATORS, seed_contracts
from outsourcing.gate import ContractState, contract_state, operator_may_work
from outsourcing.models import Contract, Contractor, Handler, TrainingSession
from outsourcing.presets import PICKUP_ITEMS, SCHOOL_ITEMS
from patrons.models import Branch
from privacy_admin.accounts.models import PasswordState
from privacy_admin.core.roles import Role
from privacy_admin.core.scope import scope_for

from ..factories import make_branch, make_staff

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
PASSWORDS = {u: p for u, p, _ in DEMO_OPERATORS}


@pytest.fixture
def demo_base(db):
    """What seed_demo has made before it calls seed_contracts."""
    central = make_branch(code="central", name="あさひ市立中央図書館", kind=Branch.Kind.CENTRAL)
    pickup = make_branch(code="ekimae-pickup", name="駅前資料受取窓口", kind=Branch.Kind.PICKUP)
    make_branch(code="kita", name="北分館")
    make_staff("admin", Role.ADMINISTRATOR, central)
    make_staff("officer", Role.PRIVACY_OFFICER, central)
    operator = make_staff("operator", Role.CONTRACTOR, pickup)
    return operator


def test_seed_makes_the_three_contracts(demo_base) -> None:
    logins = seed_contracts(today=TODAY)
    assert [u for u, _p, _l in logins] == ["operator", "school", "pending"]
    pickup = Contract.objects.get(number="委-R8-001")
    school = Contract.objects.get(number="委-R8-002")
    pending = Contract.objects.get(number="委-R8-003")
    assert contract_state(pickup) == ContractState.IN_FORCE
    assert contract_state(school) == ContractState.IN_FORCE
    assert contract_state(pending) == ContractState.PENDING
    assert pickup.procedure == "pre_approval" and "類型10" in pickup.pre_approval_category
    assert school.procedure == "report"
    assert pickup.contractor.privacy_mark
    # The seed_demo operator works the pickup counter with the 17 items of 002.
    assert Handler.objects.get(user=demo_base).contract == pickup
    assert scope_for(demo_base).data_items == frozenset(str(i) for i in PICKUP_ITEMS)
    assert scope_for(demo_base).branch_ids == frozenset([Branch.objects.get(code="ekimae-pickup").pk])


def test_school_operator_reaches_names_and_loans_only(demo_base) -> None:
    seed_contracts(today=TODAY)
    school = Handler.objects.get(contract__number="委-R8-002", in_charge=True).user
    assert operator_may_work(school)
    scope = scope_for(school)
    assert scope.data_items == frozenset(str(i) for i in SCHOOL_ITEMS)
    assert Branch.objects.get(pk=next(iter(scope.branch_ids or []))).name == "あさひ小学校図書室"
    assert not PasswordState.objects.get(user=school).must_change


@pytest.mark.parametrize(("username", "signs_in"), [("operator", True), ("school", True), ("pending", False)])
def test_demo_logins(client: Client, demo_base, username, signs_in) -> None:
    seed_contracts(today=TODAY)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORDS[username]})
    if signs_in:
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
    else:
        assert "このアカウントは現在利用できません。" in response.content.decode()


def test_seed_is_idempotent(demo_base) -> None:
    seed_contracts(today=TODAY)
    counts = (
        Contract.objects.count(),
        Contractor.objects.count(),
        Handler.objects.count(),
        TrainingSession.objects.count(),
        Branch.objects.count(),
    )
    seed_contracts(today=TODAY)
    assert counts == (
        Contract.objects.count(),
        Contractor.objects.count(),
        Handler.objects.count(),
        TrainingSession.objects.count(),
        Branch.objects.count(),
    )
    assert counts[0] == 3


def test_school_pupils_are_registered_for_the_school_operator_to_see(
    demo_base, child_category, central
) -> None:
    from patrons.models import Patron
    from patrons.selectors import patrons_visible_to

    make_staff("counter", Role.COUNTER, central)
    seed_contracts(today=TODAY)
    school = Branch.objects.get(code="asahi-sho")
    assert Patron.objects.filter(registered_branch=school).count() == 5
    operator = Handler.objects.get(contract__number="委-R8-002", in_charge=True).user
    assert patrons_visible_to(operator).count() == 5
    assert patrons_visible_to(demo_base).filter(registered_branch=school).count() == 0
    seed_contracts(today=TODAY)
    assert Patron.objects.filter(registered_branch=school).count() == 5
