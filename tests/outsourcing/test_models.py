"""outsourcing.models: what the database itself refuses — a contract ending before it starts, a clause
agreed twice, two handlers in charge, two reports for one period — and how records name themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from outsourcing.models import BusinessReport, Clause, ClauseAgreement, Contract, Handler

from .factories import make_contract, make_contractor, make_operator

pytestmark = pytest.mark.django_db


def test_the_sixteen_clauses_of_004_in_their_order() -> None:
    assert len(Clause) == 16
    assert Clause.values[0] == "basic" and Clause.values[-1] == "damages"
    assert Clause.NO_COPYING.label == "複写等の禁止"


def test_a_contract_cannot_end_before_it_starts(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])

    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(ends_on=contract.starts_on - dt.timedelta(days=1))

    contract.refresh_from_db()
    assert contract.ends_on > contract.starts_on


def test_a_clause_is_agreed_once_per_contract(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])

    with pytest.raises(IntegrityError), transaction.atomic():
        ClauseAgreement.objects.create(contract=contract, clause=Clause.SECRECY, agreed_on=contract.starts_on)

    assert contract.clauses.filter(clause=Clause.SECRECY).count() == 1


def test_a_contract_has_one_handler_in_charge(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])

    with pytest.raises(IntegrityError), transaction.atomic():
        Handler.objects.create(contract=contract, name="二人目 責任者", in_charge=True)

    Handler.objects.create(contract=contract, name="取扱者 花子")  # not in charge: fine
    assert contract.handlers.filter(in_charge=True).count() == 1


def test_one_business_report_per_contract_kind_and_period(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])
    operator = make_operator(contract, "op-models")
    values = {
        "contract": contract,
        "kind": BusinessReport.Kind.DAILY,
        "period_start": contract.starts_on,
        "body": "受渡し 10件",
        "submitted_by": operator,
    }
    BusinessReport.objects.create(**values)

    with pytest.raises(IntegrityError), transaction.atomic():
        BusinessReport.objects.create(**values)

    BusinessReport.objects.create(**(values | {"kind": BusinessReport.Kind.MONTHLY}))
    assert BusinessReport.objects.filter(contract=contract).count() == 2


def test_records_name_themselves_without_personal_data(pickup_counter: Any) -> None:
    contractor = make_contractor(name="株式会社あさひ受託")
    contract = make_contract(
        branches=[pickup_counter], contractor=contractor, number="委-0420", title="受取窓口"
    )

    assert str(contractor) == "株式会社あさひ受託"
    assert str(contract) == "委-0420 受取窓口"
    assert str(contract.clauses.get(clause=Clause.AUDIT)) == "監査"
    assert str(contract.handlers.get(in_charge=True)).startswith("責任者")
