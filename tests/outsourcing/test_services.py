"""outsourcing.services — contractors, contracts, their procedure, change and end: rules, refusals
(nothing changes) and the access-log events they write. Handlers and operator accounts: test_operators."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from outsourcing import operators, services
from outsourcing.gate import ContractState, contract_state
from outsourcing.models import Clause, ClauseAgreement, Contract, ContractorChange, Handler
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.dataitems import DataItem
from register.models import RegisterEntry

from ..factories import make_branch
from .factories import PICKUP_ITEMS, make_contract, make_contractor, make_operator

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _input(**overrides: Any) -> services.ContractInput:
    values: dict[str, Any] = {
        "number": "委-9001",
        "title": "受取窓口業務",
        "contractor": overrides.pop("contractor", None) or make_contractor(),
        "purpose": "予約資料の受け渡し",
        "data_items": [str(i) for i in PICKUP_ITEMS],
        "branches": overrides.pop("branches", None) or [make_branch(code="pickup-x", name="受取窓口X")],
        "starts_on": TODAY,
        "ends_on": TODAY + dt.timedelta(days=364),
        "online_connection": True,
        "register_entry": RegisterEntry.objects.order_by("number").first(),
        "review_due_on": TODAY + dt.timedelta(days=180),
    }
    return services.ContractInput(**(values | overrides))


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- contractors ----------------------------------------------------------------------------------


def test_contractor_with_privacy_mark_needs_its_expiry(administrator) -> None:
    with pytest.raises(ValidationError) as exc:
        services.contractor_create(
            actor=administrator, data=services.ContractorInput(name="株式会社A", privacy_mark=True)
        )
    assert "privacy_mark_expires_on" in _errors(exc)
    contractor = services.contractor_create(
        actor=administrator,
        data=services.ContractorInput(name="株式会社A", privacy_mark=True, privacy_mark_expires_on=TODAY),
    )
    assert AuditEvent.objects.get(action="contractor.create").target_id == str(contractor.pk)


def test_contractor_name_is_unique(administrator) -> None:
    make_contractor(name="株式会社A")
    with pytest.raises(ValidationError) as exc:
        services.contractor_create(actor=administrator, data=services.ContractorInput(name=" 株式会社A "))
    assert _errors(exc) == {"name": ["同じ名称の委託先がすでに登録されています。"]}


# --- contracts ------------------------------------------------------------------------------------


def test_a_new_contract_is_pending_and_logged(privacy_officer) -> None:
    contract = services.contract_create(actor=privacy_officer, data=_input())
    assert contract_state(contract) == ContractState.PENDING
    assert sorted(contract.data_items) == sorted(str(i) for i in PICKUP_ITEMS)
    assert contract.data_items == [v for v in DataItem.values if v in contract.data_items]  # vocabulary order
    event = AuditEvent.objects.get(action="contract.create")
    assert event.detail == {"contractor_id": contract.contractor_id, "items": 17}


def test_end_before_start_is_refused(privacy_officer) -> None:
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=privacy_officer, data=_input(ends_on=TODAY - dt.timedelta(days=1)))
    assert _errors(exc)["ends_on"] == ["契約終了日は契約開始日以降の日付にしてください。"]
    assert not Contract.objects.exists()


def test_data_items_outside_the_vocabulary_are_refused(privacy_officer) -> None:
    with pytest.raises(ValidationError) as exc:
        services.contract_create(actor=privacy_officer, data=_input(data_items=["name", "religion"]))
    assert "一覧にない項目は指定できません" in _errors(exc)["data_items"][0]
    assert not Contract.objects.exists()


def test_a_contract_needs_items_branches_and_a_registered_entry(privacy_officer) -> None:
    entry = RegisterEntry.objects.order_by("number").first()
    assert entry is not None
    RegisterEntry.objects.filter(pk=entry.pk).update(status="abolished", abolished_on=entry.registered_on)
    entry.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.contract_create(
            actor=privacy_officer, data=_input(data_items=[], register_entry=entry, number="")
        )
    errors = _errors(exc)
    assert set(errors) >= {"data_items", "register_entry", "number"}
    assert not Contract.objects.exists()


def test_items_are_kept_in_vocabulary_order_without_duplicates(privacy_officer) -> None:
    contract = services.contract_create(
        actor=privacy_officer, data=_input(data_items=["learning_loans", "name", "name"])
    )
    assert contract.data_items == [DataItem.NAME, DataItem.LEARNING_LOANS]


def test_update_records_the_changed_fields_only(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    data = services.contract_input_from(contract)
    services.contract_update(
        actor=privacy_officer,
        contract=contract,
        data=services.ContractInput(**{**data.__dict__, "title": "新しい業務名"}),
    )
    assert AuditEvent.objects.get(action="contract.update").detail == {"fields": ["title"]}


def test_update_cannot_change_the_contractor(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    data = services.contract_input_from(contract)
    with pytest.raises(ValidationError):
        services.contract_update(
            actor=privacy_officer,
            contract=contract,
            data=services.ContractInput(**{**data.__dict__, "contractor": make_contractor()}),
        )


# --- procedure and clauses ------------------------------------------------------------------------


def test_consultation_without_approval_date_is_refused_and_nothing_changes(
    privacy_officer, pickup_counter
) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    with pytest.raises(ValidationError) as exc:
        services.contract_record_procedure(
            actor=privacy_officer,
            contract=contract,
            procedure="consultation",
            consultation_number="諮問第3号",
        )
    assert _errors(exc) == {"approved_on": ["審議会が承認した日を入力してください。"]}
    contract.refresh_from_db()
    assert contract.procedure == "" and contract.consultation_number == ""
    assert not AuditEvent.objects.filter(action="contract.procedure").exists()


def test_future_approval_date_is_refused(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    with pytest.raises(ValidationError) as exc:
        services.contract_record_procedure(
            actor=privacy_officer,
            contract=contract,
            procedure="consultation",
            consultation_number="諮問第3号",
            approved_on=TODAY + dt.timedelta(days=1),
        )
    assert "approved_on" in _errors(exc)


def test_pre_approval_needs_category_date_and_who_confirmed(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    with pytest.raises(ValidationError) as exc:
        services.contract_record_procedure(actor=privacy_officer, contract=contract, procedure="pre_approval")
    assert set(_errors(exc)) == {
        "pre_approval_category",
        "pre_approval_confirmed_on",
        "pre_approval_confirmed_by",
    }


def test_switching_procedure_clears_the_other_kinds_fields(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])  # 諮問 recorded
    services.contract_record_procedure(
        actor=privacy_officer, contract=contract, procedure="report", reported_on=TODAY
    )
    contract.refresh_from_db()
    assert (contract.procedure, contract.reported_on) == ("report", TODAY)
    assert contract.consultation_number == "" and contract.approved_on is None
    assert AuditEvent.objects.get(action="contract.procedure").detail == {"procedure": "report"}


def test_unknown_procedure_is_refused(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    with pytest.raises(ValidationError) as exc:
        services.contract_record_procedure(actor=privacy_officer, contract=contract, procedure="council")
    assert "procedure" in _errors(exc)


def test_clauses_are_set_and_unset(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    services.contract_set_clauses(
        actor=privacy_officer, contract=contract, agreed={c.value: TODAY for c in Clause}
    )
    assert ClauseAgreement.objects.filter(contract=contract).count() == 16
    services.contract_set_clauses(
        actor=privacy_officer, contract=contract, agreed={c.value: TODAY for c in list(Clause)[:10]}
    )
    assert ClauseAgreement.objects.filter(contract=contract).count() == 10
    last = AuditEvent.objects.filter(action="contract.clauses").order_by("-seq").first()
    assert last is not None and last.detail == {"agreed": 10, "of": 16}


def test_clause_with_a_future_date_or_unknown_name_is_refused(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    with pytest.raises(ValidationError):
        services.contract_set_clauses(
            actor=privacy_officer, contract=contract, agreed={"basic": TODAY + dt.timedelta(days=3)}
        )
    with pytest.raises(ValidationError):
        services.contract_set_clauses(actor=privacy_officer, contract=contract, agreed={"bogus": TODAY})
    assert not ClauseAgreement.objects.filter(contract=contract).exists()


# --- contractor change and contract end -------------------------------------------------------------


def test_contractor_change_hands_the_contract_over_and_stops_the_old_operators(
    privacy_officer, pickup_counter
) -> None:
    contract = make_contract(branches=[pickup_counter])
    user = make_operator(contract, "uketori")
    previous = contract.contractor
    new = make_contractor(name="株式会社B")
    services.contractor_change(
        actor=privacy_officer,
        contract=contract,
        new_contractor=new,
        changed_on=TODAY,
        reason="入札による変更",
    )
    contract.refresh_from_db()
    user.refresh_from_db()
    assert contract.contractor == new
    change = ContractorChange.objects.get(contract=contract)
    assert (change.previous, change.new, change.recorded_by) == (previous, new, privacy_officer)
    assert not user.is_active
    assert not ClauseAgreement.objects.filter(contract=contract).exists()
    assert not Handler.objects.filter(contract=contract, in_charge=True).exists()
    assert contract_state(contract) == ContractState.PENDING
    assert contract.procedure == "consultation"  # the council procedure stays
    detail = AuditEvent.objects.get(action="contract.contractor_change").detail
    assert detail == {
        "previous_id": previous.pk,
        "new_id": new.pk,
        "accounts_closed": 1,
        "clauses_cleared": 16,
    }


def test_contractor_change_to_the_same_contractor_is_refused(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    with pytest.raises(ValidationError) as exc:
        services.contractor_change(
            actor=privacy_officer,
            contract=contract,
            new_contractor=contract.contractor,
            changed_on=TODAY,
            reason="",
        )
    assert set(_errors(exc)) == {"new_contractor", "reason"}
    assert not ContractorChange.objects.exists()


def test_close_then_certify_the_end(privacy_officer, pickup_counter) -> None:
    contract = make_contract(
        branches=[pickup_counter],
        starts_on=TODAY - dt.timedelta(days=100),
        ends_on=TODAY - dt.timedelta(days=1),
    )
    user = make_operator(contract, "uketori")
    with pytest.raises(ValidationError):  # not closed yet
        services.contract_certify_end(
            actor=privacy_officer,
            contract=contract,
            disposition="erased",
            certified_by="責任者",
            certified_on=TODAY,
        )
    assert services.contract_close(actor=None, contract_id=contract.pk)
    assert not services.contract_close(actor=None, contract_id=contract.pk)  # idempotent
    contract.refresh_from_db()
    user.refresh_from_db()
    assert contract.status == Contract.Status.ENDED and contract.closed_at is not None
    assert not user.is_active
    with pytest.raises(ValidationError) as exc:
        services.contract_certify_end(
            actor=privacy_officer, contract=contract, disposition="kept", certified_by="", certified_on=None
        )
    assert set(_errors(exc)) == {"data_disposition", "disposition_certified_by", "disposition_certified_on"}
    services.contract_certify_end(
        actor=privacy_officer,
        contract=contract,
        disposition="erased",
        certified_by="責任者 一郎",
        certified_on=TODAY,
    )
    contract.refresh_from_db()
    assert (contract.data_disposition, contract.disposition_confirmed_by) == ("erased", privacy_officer)
    assert AuditEvent.objects.get(action="contract.end_certified").detail == {"disposition": "erased"}
    with pytest.raises(ValidationError):  # once only
        services.contract_certify_end(
            actor=privacy_officer,
            contract=contract,
            disposition="erased",
            certified_by="x",
            certified_on=TODAY,
        )


def test_an_ended_contract_cannot_be_edited(privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], status=Contract.Status.ENDED)
    with pytest.raises(ValidationError):
        services.contract_update(
            actor=privacy_officer, contract=contract, data=services.contract_input_from(contract)
        )
    with pytest.raises(ValidationError):
        operators.handler_add(actor=privacy_officer, contract=contract, name="x")


def test_every_action_has_a_japanese_label() -> None:
    from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS

    root = pathlib.Path(services.__file__).parent
    used: set[str] = set()
    for name in ("services.py", "operators.py", "auth.py"):
        text = (root / name).read_text(encoding="utf-8")
        used |= set(re.findall(r'"((?:contract|contractor|operator)\.[a-z_]+)"', text))
    assert {"contract.create", "operator.create", "operator.sign_in_refused", "contract.close"} <= used
    assert sorted(used - set(ACTION_LABELS)) == []
    assert {"contract.", "contractor.", "operator."} <= set(ACTION_GROUP_LABELS)
