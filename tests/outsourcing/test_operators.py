"""outsourcing.operators: handlers and operator accounts — one handler in charge, accounts created by
administrators only, one person one account, the contract's branches, closing an account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from outsourcing import operators
from outsourcing.gate import operator_may_work
from outsourcing.models import Handler
from privacy_admin.accounts.models import PasswordState
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.roles import Role, roles_of

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db


def test_one_handler_in_charge_per_contract(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])  # has 責任者
    second = operators.handler_add(actor=privacy_officer, contract=contract, name="佐藤 花子", in_charge=True)
    assert list(Handler.objects.filter(contract=contract, in_charge=True)) == [second]
    first = Handler.objects.filter(contract=contract).exclude(pk=second.pk).get()
    operators.handler_set_in_charge(actor=privacy_officer, handler=first)
    assert list(Handler.objects.filter(contract=contract, in_charge=True)) == [first]
    event = AuditEvent.objects.get(action="contract.handler_add")
    assert "佐藤" not in str(event.detail)


def test_handler_needs_a_name(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    with pytest.raises(ValidationError):
        operators.handler_add(actor=privacy_officer, contract=contract, name="  ")


def test_administrator_creates_an_operator_account(administrator, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    handler = operators.handler_add(actor=administrator, contract=contract, name="受取 太郎")
    user, password = operators.operator_account_create(
        actor=administrator, handler=handler, username="uketori01", branch=pickup_counter
    )
    handler.refresh_from_db()
    assert handler.user == user
    assert roles_of(user) == {Role.CONTRACTOR.value}
    assert user.staff_profile.branch == pickup_counter
    assert user.check_password(password) and len(password) >= 16
    assert PasswordState.objects.get(user=user).must_change
    event = AuditEvent.objects.get(action="operator.create")
    assert event.detail == {
        "contract_id": contract.pk,
        "handler_id": handler.pk,
        "branch": pickup_counter.code,
    }
    assert password not in str(event.detail)


def test_privacy_officer_cannot_create_accounts(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    handler = Handler.objects.get(contract=contract)
    with pytest.raises(PermissionDenied):
        operators.operator_account_create(
            actor=privacy_officer, handler=handler, username="x1", branch=pickup_counter
        )


def test_one_person_one_account(administrator, pickup_counter, counter_staff) -> None:
    contract = make_contract(branches=[pickup_counter])
    handler = Handler.objects.get(contract=contract)
    operators.operator_account_create(
        actor=administrator, handler=handler, username="uketori01", branch=pickup_counter
    )
    handler.refresh_from_db()
    # A second account for the same handler.
    with pytest.raises(ValidationError) as exc:
        operators.operator_account_create(
            actor=administrator, handler=handler, username="uketori02", branch=pickup_counter
        )
    assert "1人1アカウント" in exc.value.message_dict["handler"][0]
    # A username already in use (whatever its case).
    other = operators.handler_add(actor=administrator, contract=contract, name="別の人")
    with pytest.raises(ValidationError) as exc:
        operators.operator_account_create(
            actor=administrator, handler=other, username="COUNTER", branch=pickup_counter
        )
    assert "すでに使われています" in exc.value.message_dict["username"][0]
    # One account linked to two handlers.
    with pytest.raises(ValidationError) as exc:
        operators.operator_account_link(actor=administrator, handler=other, user=handler.user)
    assert "共用はできません" in exc.value.message_dict["user"][0]
    assert get_user_model().objects.filter(username__startswith="uketori").count() == 1


def test_account_branch_must_be_in_the_contract(administrator, pickup_counter, central) -> None:
    contract = make_contract(branches=[pickup_counter])
    handler = Handler.objects.get(contract=contract)
    with pytest.raises(ValidationError) as exc:
        operators.operator_account_create(actor=administrator, handler=handler, username="u1", branch=central)
    assert "branch" in exc.value.message_dict
    assert not get_user_model().objects.filter(username="u1").exists()


def test_only_contractor_accounts_can_be_linked(administrator, pickup_counter, counter_staff) -> None:
    contract = make_contract(branches=[pickup_counter])
    handler = Handler.objects.get(contract=contract)
    with pytest.raises(ValidationError):
        operators.operator_account_link(actor=administrator, handler=handler, user=counter_staff)


def test_closing_an_account_deactivates_it(administrator, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    user = make_operator(contract, "uketori")
    operators.operator_account_close(actor=administrator, handler=Handler.objects.get(user=user))
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEvent.objects.get(action="operator.close").target_id == str(user.pk)


def test_operator_created_under_a_complete_contract_still_needs_training(
    administrator, pickup_counter
) -> None:
    contract = make_contract(branches=[pickup_counter])
    handler = Handler.objects.get(contract=contract)
    user, _ = operators.operator_account_create(
        actor=administrator, handler=handler, username="newop", branch=pickup_counter
    )
    assert not operator_may_work(user)
