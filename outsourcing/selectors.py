"""Reads for the contractor and contract pages (library side: privacy officers and administrators).

Lists prefetch the clauses and handlers once, so that the gate (``gate.contract_blockers``) runs on every
row without a query per contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from patrons.models import Branch
from privacy_admin.core.actor import Actor
from privacy_admin.core.calendar import fiscal_year_bounds
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.roles import Role, has_role
from privacy_admin.core.view_events import no_view_event, view_logged_by_caller
from register.models import RegisterEntry
from reports import selectors as reports

from .gate import (
    ContractState,
    contract_blockers,
    contract_state,
    end_step_pending,
    handler_in_charge,
    handler_trained,
    missing_clauses,
    procedure_recorded,
)
from .models import Clause, Contract, Contractor, Handler, OnSiteAudit, TrainingSession

# A Privacy Mark that expires within this many days is flagged on the contractor pages.
PRIVACY_MARK_WARN_DAYS = 90


def privacy_mark_state(contractor: Contractor, *, on: dt.date) -> str:
    """'none' (not held), 'expired', 'near' (within PRIVACY_MARK_WARN_DAYS) or 'valid'."""
    if not contractor.privacy_mark:
        return "none"
    expires = contractor.privacy_mark_expires_on
    if expires is None or expires < on:
        return "expired"
    if (expires - on).days <= PRIVACY_MARK_WARN_DAYS:
        return "near"
    return "valid"


@dataclass
class ContractorRow:
    contractor: Contractor
    mark: str
    contracts: int


@no_view_event(
    "the administrators' list of contractors: company names and 個人情報保護マーク state; the house logs opening a contract"
)
def contractor_rows(*, on: dt.date) -> list[ContractorRow]:
    qs = Contractor.objects.annotate(n=Count("contracts")).order_by("name")
    return [ContractorRow(c, privacy_mark_state(c, on=on), c.n) for c in qs]


@no_view_event(
    "a contractor's company record for its edit page (administrators); changes write contractor.update"
)
def get_contractor(pk: int) -> Contractor:
    contractor = Contractor.objects.filter(pk=pk).first()
    if contractor is None:
        raise Http404
    return contractor


@no_view_event("company names for a choice field; no person's data is shown")
def contractors() -> QuerySet[Contractor]:
    return Contractor.objects.order_by("name")


@view_logged_by_caller(
    "handlers listed on the contract page, which writes contract.view (contract_record_view)"
)
def contract_handlers(contract: Contract | None) -> QuerySet[Handler]:
    """A contract's handlers, the one in charge first (training attendees); none without a contract."""
    if contract is None:
        return Handler.objects.none()
    return Handler.objects.filter(contract=contract).order_by("-in_charge", "name")


@view_logged_by_caller(
    "handlers offered on the contract's operator page; creating an account writes operator.create"
)
def handlers_without_account(contract: Contract | None) -> QuerySet[Handler]:
    """A contract's handlers who have no operator account yet; none without a contract."""
    if contract is None:
        return Handler.objects.none()
    return Handler.objects.filter(contract=contract, user__isnull=True).order_by("name")


@view_logged_by_caller("a handler to link to an operator account: operator.link is written by the action")
def get_handler_for(actor: Actor, contract_pk: int, handler_pk: int) -> Handler:
    """A handler of that contract, for the library side (privacy officers, administrators); 404 otherwise."""
    handler = (
        Handler.objects.select_related("contract").filter(pk=handler_pk, contract_id=contract_pk).first()
        if has_role(actor, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
        else None
    )
    if handler is None:
        raise Http404
    return handler


def registered_entries() -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.filter(status=RegisterEntry.Status.REGISTERED).order_by("number")


def active_branches() -> QuerySet[Branch]:
    return Branch.objects.filter(is_active=True).order_by("sort_order", "code")


def _contracts() -> QuerySet[Contract]:
    return Contract.objects.select_related("contractor", "register_entry").prefetch_related(
        "clauses", "handlers", "branches"
    )


@dataclass
class ContractRow:
    contract: Contract
    state: ContractState
    blockers: list[str]
    end_pending: bool
    review_overdue: bool
    mark: str


@no_view_event(
    "the contract list: numbers, contractor names, terms and states; opening one writes contract.view"
)
def contract_rows(*, on: dt.date, state: str = "") -> list[ContractRow]:
    rows = []
    for contract in _contracts().order_by("-starts_on", "number"):
        row = ContractRow(
            contract=contract,
            state=contract_state(contract, today=on),
            blockers=contract_blockers(contract, today=on),
            end_pending=end_step_pending(contract),
            review_overdue=contract.status != Contract.Status.ENDED and contract.review_due_on < on,
            mark=privacy_mark_state(contract.contractor, on=on),
        )
        if not state or row.state == state:
            rows.append(row)
    return rows


@view_logged_by_caller(
    "the contract page writes contract.view (contract_record_view); a change writes its own event"
)
def get_contract(pk: int) -> Contract:
    contract = _contracts().filter(pk=pk).first()
    if contract is None:
        raise Http404
    return contract


@dataclass
class HandlerRow:
    handler: Handler
    trained: bool
    account: Any  # the user, or None
    account_active: bool
    must_change: bool


@view_logged_by_caller("handlers shown on the contract page, which writes contract.view")
def handler_rows(contract: Contract) -> list[HandlerRow]:
    handlers = (
        Handler.objects.filter(contract=contract)
        .select_related("user", "user__password_state", "user__staff_profile__branch")
        .prefetch_related(Prefetch("trainings", queryset=TrainingSession.objects.only("pk", "contract_id")))
        .order_by("-in_charge", "name", "pk")
    )
    rows = []
    for h in handlers:
        user = h.user
        state = getattr(user, "password_state", None) if user is not None else None
        rows.append(
            HandlerRow(
                handler=h,
                trained=handler_trained(h),
                account=user,
                account_active=bool(user and user.is_active),
                must_change=bool(state and state.must_change),
            )
        )
    return rows


@dataclass
class ContractStatus:
    state: ContractState
    blockers: list[str]
    procedure_done: bool
    missing_clauses: list[Clause]
    in_charge: Handler | None
    end_pending: bool
    untrained_operators: int
    item_labels: list[str] = field(default_factory=list)


@view_logged_by_caller("the state panel of the contract page, which writes contract.view")
def contract_status(contract: Contract, *, on: dt.date, handlers: list[HandlerRow]) -> ContractStatus:
    labels = dict(DataItem.choices)
    return ContractStatus(
        state=contract_state(contract, today=on),
        blockers=contract_blockers(contract, today=on),
        procedure_done=procedure_recorded(contract),
        missing_clauses=missing_clauses(contract),
        in_charge=handler_in_charge(contract),
        end_pending=end_step_pending(contract),
        untrained_operators=sum(1 for r in handlers if r.account_active and not r.trained),
        item_labels=[str(labels.get(i, i)) for i in contract.data_items],
    )


@no_view_event("the annual report's contract rows: numbers, companies and dates, published (reports)")
def report_contract_rows(year: int) -> list[reports.ContractRow]:
    """Contracts in force at some time in the 年度, with the trainings and on-site audits held in it."""
    start, end = fiscal_year_bounds(year)
    contracts = (
        Contract.objects.filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("contractor")
        .order_by("number")
    )
    rows = []
    for contract in contracts:
        trainings = TrainingSession.objects.filter(contract=contract, held_on__range=(start, end))
        rows.append(
            reports.ContractRow(
                number=contract.number,
                title=contract.title,
                contractor=contract.contractor.name,
                starts_on=contract.starts_on,
                ends_on=contract.ends_on,
                trainings=trainings.count(),
                attendees=trainings.values("attendees").exclude(attendees=None).distinct().count(),
                audits=OnSiteAudit.objects.filter(contract=contract, audited_on__range=(start, end)).count(),
            )
        )
    return rows


def entry_blockers(entry: Any) -> list[str]:
    """Why a register entry cannot be abolished yet, as far as contracts go: one not ended names it."""
    contracts = list(
        Contract.objects.filter(register_entry=entry)
        .exclude(status=Contract.Status.ENDED)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if not contracts:
        return []
    return [
        f"終了していない委託契約がこの事務を参照しています（{'、'.join(contracts)}）。"
        "契約を終了してから廃止してください。"
    ]
