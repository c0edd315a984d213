"""Library-side reads of contracts, handlers and on-site audits: privacy officers and administrators only;
everyone else gets 404 (absent and forbidden look alike)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from outsourcing import oversight, selectors
from outsourcing import oversight_selectors as sel
from outsourcing.models import Clause, Contract, Handler

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db

REFUSED = ["counter_staff", "contractor_operator", "no_role_user"]


@pytest.fixture
def contract(pickup_counter: Any) -> Contract:
    return make_contract(branches=[pickup_counter])


def test_handler_choices_are_the_contracts_own_in_charge_first(contract: Contract, pickup_counter) -> None:
    other = make_contract(branches=[pickup_counter])
    make_operator(contract, "op1")
    plain = Handler.objects.create(contract=contract, name="あ 取扱者")

    handlers = list(selectors.contract_handlers(contract))
    assert handlers[0].in_charge and all(h.contract_id == contract.pk for h in handlers)
    assert len(handlers) == 3
    without = list(selectors.handlers_without_account(contract))
    assert plain in without and all(h.user_id is None for h in without)
    assert not set(without) & set(selectors.handlers_without_account(other))
    assert not selectors.contract_handlers(None).exists()
    assert not selectors.handlers_without_account(None).exists()


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_the_library_side_reaches_a_handler_of_the_contract(persona, contract: Contract) -> None:
    handler = contract.handlers.get()

    assert selectors.get_handler_for(persona, contract.pk, handler.pk) == handler


def test_a_handler_of_another_contract_is_404(privacy_officer, contract: Contract, pickup_counter) -> None:
    other = make_contract(branches=[pickup_counter])

    with pytest.raises(Http404):
        selectors.get_handler_for(privacy_officer, other.pk, contract.handlers.get().pk)


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
def test_anyone_else_gets_404_for_a_handler_contract_or_audit(persona, privacy_officer, contract) -> None:
    audit = oversight.onsite_audit_record(
        actor=privacy_officer, contract=contract, audited_on=dt.date.today(), auditor="管理係長",
        checklist={c.value: "ok" for c in Clause}, findings="",
    )  # fmt: skip

    with pytest.raises(Http404):
        selectors.get_handler_for(persona, contract.pk, contract.handlers.get().pk)
    with pytest.raises(Http404):
        sel.library_contract_for(persona, contract.pk)
    with pytest.raises(Http404):
        sel.library_audit_for(persona, audit.pk)


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_the_library_side_reaches_any_contract_and_audit(persona, privacy_officer, contract) -> None:
    audit = oversight.onsite_audit_record(
        actor=privacy_officer, contract=contract, audited_on=dt.date.today(), auditor="管理係長",
        checklist={c.value: "ok" for c in Clause}, findings="",
    )  # fmt: skip

    assert sel.library_contract_for(persona, contract.pk) == contract
    assert sel.library_audit_for(persona, audit.pk) == audit
    with pytest.raises(Http404):
        sel.library_contract_for(persona, 999_999)
    with pytest.raises(Http404):
        sel.library_audit_for(persona, 999_999)
