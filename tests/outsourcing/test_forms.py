"""outsourcing.forms — what the contract pages' forms refuse before any service runs (a clause ticked
without its date, an item or branch not in the list, an over-long text) and what they offer (only the
contract's own branches and handlers; never the current contractor as the new one)."""

from __future__ import annotations

from typing import Any

import pytest

from outsourcing.forms import ClausesForm, ContractForm, ContractorChangeForm, OperatorAccountForm
from outsourcing.models import Clause, Handler

from .factories import make_contract, make_contractor

pytestmark = pytest.mark.django_db


def _field(form: Any, name: str) -> Any:
    """A form field, as the form built it (its choices or queryset set in ``__init__``)."""
    return form.fields[name]


def test_a_ticked_clause_needs_its_agreed_date() -> None:
    form = ClausesForm(data={"agree_secrecy": "on", "agree_audit": "on", "on_audit": "2026-04-01"})

    assert not form.is_valid()
    assert form.errors["on_secrecy"] == ["合意日を入力してください。"]
    assert "on_audit" not in form.errors


def test_the_clauses_form_reports_each_agreed_clause_with_its_date() -> None:
    form = ClausesForm(data={"agree_audit": "on", "on_audit": "2026-04-01", "on_training": "2026-04-02"})

    assert form.is_valid(), form.errors
    agreed = form.agreed()
    assert str(agreed[Clause.AUDIT.value]) == "2026-04-01"
    assert agreed[Clause.TRAINING.value] is None  # a date without the tick is not an agreement
    assert len(form.rows()) == 16


def test_the_clauses_form_starts_from_the_contracts_agreements(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])

    form = ClausesForm(contract=contract)

    assert all(form.initial[f"agree_{c.value}"] for c in Clause)


def test_an_item_or_branch_outside_the_list_is_refused_with_a_japanese_message(central: Any) -> None:
    form = ContractForm(data={"data_items": ["card_number", "favourite_colour"], "branches": ["999999"]})

    assert not form.is_valid()
    assert form.errors["data_items"] == ["一覧にない項目が含まれています。一覧から選んでください。"]
    assert form.errors["branches"] == ["一覧にない項目が含まれています。一覧から選んでください。"]


def test_an_overlong_title_says_the_limit_and_the_length() -> None:
    form = ContractForm(data={"title": "あ" * 201})

    assert not form.is_valid()
    assert form.errors["title"] == ["200文字以内で入力してください（現在201文字）。"]


def test_editing_a_contract_does_not_change_its_contractor_here(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])
    other = make_contractor()

    form = ContractForm(instance=contract)

    assert form.fields["contractor"].disabled
    assert form.initial["contractor"] == contract.contractor
    assert list(form.initial["branches"]) == [pickup_counter]
    bound = ContractForm(data={"contractor": str(other.pk)}, instance=contract)
    bound.is_valid()
    assert bound.cleaned_data["contractor"] == contract.contractor


def test_an_operator_account_is_offered_the_contracts_branches_and_handlers_only(
    pickup_counter: Any, central: Any
) -> None:
    contract = make_contract(branches=[pickup_counter])
    other = make_contract(branches=[central])
    stranger = Handler.objects.get(contract=other)

    form = OperatorAccountForm(contract=contract)

    assert list(_field(form, "branch").queryset) == [pickup_counter]
    assert stranger not in _field(form, "handler").queryset
    assert Handler.objects.get(contract=contract) in _field(form, "handler").queryset
    bound = OperatorAccountForm(
        data={"handler": str(stranger.pk), "branch": str(central.pk)}, contract=contract
    )
    assert not bound.is_valid()
    assert bound.errors["handler"] == ["一覧から選んでください。"]
    assert bound.errors["branch"] == ["一覧から選んでください。"]


def test_the_new_contractor_cannot_be_the_current_one(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])
    other = make_contractor()

    form = ContractorChangeForm(contract=contract)

    assert contract.contractor not in _field(form, "new_contractor").queryset
    assert other in _field(form, "new_contractor").queryset
