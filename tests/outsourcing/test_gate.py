"""The gate (002: 個人情報の保護措置が取られていない場合には、事務処理を進めていけない): each blocker on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from outsourcing.gate import (
    ContractState,
    contract_blockers,
    contract_in_force,
    contract_state,
    end_step_pending,
    operator_may_work,
)
from outsourcing.models import Clause, ClauseAgreement, Contract, Handler

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def test_a_complete_contract_is_in_force(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    assert contract_blockers(contract) == []
    assert contract_in_force(contract)
    assert contract_state(contract) == ContractState.IN_FORCE


def test_a_new_contract_lists_every_missing_measure(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    blockers = contract_blockers(contract)
    assert blockers == [
        "審議会の手続（諮問・報告・事前一括承認基準の確認）が記録されていません。",
        "特記事項のうち 16 項目が合意されていません。",
        "取扱責任者が指名されていません。",
    ]
    assert contract_state(contract) == ContractState.PENDING


@pytest.mark.parametrize(
    ("values", "recorded"),
    [
        ({"procedure": "consultation", "consultation_number": "諮問第1号", "approved_on": TODAY}, True),
        ({"procedure": "consultation", "consultation_number": "", "approved_on": TODAY}, False),
        ({"procedure": "consultation", "consultation_number": "諮問第1号", "approved_on": None}, False),
        ({"procedure": "report", "reported_on": TODAY}, True),
        ({"procedure": "report", "reported_on": None}, False),
        (
            {
                "procedure": "pre_approval",
                "pre_approval_category": "類型10",
                "pre_approval_confirmed_on": TODAY,
                "pre_approval_confirmed_by": "情報公開課",
            },
            True,
        ),
        (
            {
                "procedure": "pre_approval",
                "pre_approval_category": "類型10",
                "pre_approval_confirmed_on": None,
                "pre_approval_confirmed_by": "情報公開課",
            },
            False,
        ),
        (
            {
                "procedure": "pre_approval",
                "pre_approval_category": "類型10",
                "pre_approval_confirmed_on": TODAY,
                "pre_approval_confirmed_by": "",
            },
            False,
        ),
        ({"procedure": ""}, False),
    ],
)
def test_the_procedure_blocks_until_each_kind_is_complete(pickup_counter, values, recorded) -> None:
    contract = make_contract(branches=[pickup_counter])
    Contract.objects.filter(pk=contract.pk).update(
        **{"procedure": "", "consultation_number": "", "approved_on": None} | values
    )
    contract.refresh_from_db()
    blocked = any("審議会の手続" in b for b in contract_blockers(contract))
    assert blocked is not recorded
    assert contract_in_force(contract) is recorded


def test_one_missing_clause_blocks(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    ClauseAgreement.objects.filter(contract=contract, clause=Clause.RETURN).delete()
    assert contract_blockers(contract) == ["特記事項のうち 1 項目が合意されていません。"]
    assert contract_state(contract) == ContractState.PENDING


def test_no_handler_in_charge_blocks(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    Handler.objects.filter(contract=contract).update(in_charge=False)
    assert contract_blockers(contract) == ["取扱責任者が指名されていません。"]


def test_before_the_period_the_contract_is_out_of_period(pickup_counter) -> None:
    contract = make_contract(
        branches=[pickup_counter],
        starts_on=TODAY + dt.timedelta(days=1),
        ends_on=TODAY + dt.timedelta(days=90),
    )
    assert contract_blockers(contract) == ["契約期間が始まっていません。"]
    assert contract_state(contract) == ContractState.OUT_OF_PERIOD


def test_after_the_period_the_contract_is_out_of_period(pickup_counter) -> None:
    contract = make_contract(
        branches=[pickup_counter],
        starts_on=TODAY - dt.timedelta(days=90),
        ends_on=TODAY - dt.timedelta(days=1),
    )
    assert contract_blockers(contract) == ["契約期間が終わっています。"]
    assert contract_state(contract) == ContractState.OUT_OF_PERIOD
    # The last day itself is still in force.
    assert contract_in_force(contract, today=TODAY - dt.timedelta(days=1))


def test_an_ended_contract_is_ended_and_waits_for_its_end_step(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], status=Contract.Status.ENDED)
    assert contract_blockers(contract) == ["契約は終了しています。"]
    assert contract_state(contract) == ContractState.ENDED
    assert end_step_pending(contract)
    Contract.objects.filter(pk=contract.pk).update(disposition_certified_on=TODAY, data_disposition="erased")
    contract.refresh_from_db()
    assert not end_step_pending(contract)


def test_an_untrained_operator_may_not_work(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    trained = make_operator(contract, "op-trained")
    untrained = make_operator(contract, "op-untrained", trained=False)
    assert operator_may_work(trained)
    assert not operator_may_work(untrained)


def test_an_operator_of_a_contract_not_in_force_may_not_work(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    user = make_operator(contract, "op")
    ClauseAgreement.objects.filter(contract=contract).delete()
    assert not operator_may_work(user)


def test_an_account_without_a_handler_may_not_work(contractor_operator) -> None:
    assert not operator_may_work(contractor_operator)


def test_the_gate_reads_prefetched_rows_without_queries(pickup_counter, django_assert_num_queries) -> None:
    make_contract(branches=[pickup_counter])
    contract = Contract.objects.prefetch_related("clauses", "handlers").get()
    with django_assert_num_queries(0):
        assert contract_blockers(contract) == []
