"""Contractors, contracts and operators for tests.

``make_contract(in_force=True)`` builds a contract that passes the gate (procedure recorded, all 16
特記事項 agreed, a handler in charge); ``make_operator`` adds an operator account under it, trained
unless ``trained=False``.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from typing import Any, cast

from outsourcing.models import Clause, ClauseAgreement, Contract, Contractor, Handler, TrainingSession
from outsourcing.presets import PICKUP_ITEMS, SCHOOL_ITEMS
from patrons.models import Branch
from privacy_admin.core.roles import Role
from register.models import RegisterEntry

from ..factories import make_staff

__all__ = ["PICKUP_ITEMS", "SCHOOL_ITEMS", "make_contract", "make_contractor", "make_operator"]

_n = itertools.count(1)


def make_contractor(**kwargs: Any) -> Contractor:
    n = next(_n)
    return Contractor.objects.create(**({"name": f"株式会社テスト委託{n}"} | kwargs))


def make_contract(
    *,
    branches: Iterable[Branch],
    data_items: Iterable[str] = PICKUP_ITEMS,
    in_force: bool = True,
    contractor: Contractor | None = None,
    **kwargs: Any,
) -> Contract:
    n = next(_n)
    today = datetime.date.today()
    entry = kwargs.pop("register_entry", None) or RegisterEntry.objects.order_by("number").first()
    assert entry is not None, "the core register entries come from registry's data migration"
    values: dict[str, Any] = {
        "number": f"委-{n:04d}",
        "title": f"受取窓口業務委託{n}",
        "contractor": contractor or make_contractor(),
        "purpose": "予約資料の受け渡し",
        "data_items": [str(i) for i in data_items],
        "starts_on": today - datetime.timedelta(days=30),
        "ends_on": today + datetime.timedelta(days=335),
        "register_entry": entry,
        "review_due_on": today + datetime.timedelta(days=180),
    }
    if in_force:
        values |= {"procedure": Contract.Procedure.CONSULTATION, "consultation_number": f"諮問第{n}号",
                   "approved_on": today - datetime.timedelta(days=60)}  # fmt: skip
    values |= kwargs
    contract = Contract.objects.create(**values)
    contract.branches.set(list(branches))
    if in_force:
        ClauseAgreement.objects.bulk_create(
            ClauseAgreement(contract=contract, clause=c, agreed_on=values["starts_on"]) for c in Clause
        )
        Handler.objects.create(contract=contract, name=f"責任者{n}", in_charge=True)
    return contract


def make_operator(
    contract: Contract, username: str, *, trained: bool = True, branch: Branch | None = None
) -> Any:
    """An operator account of ``contract`` (a Handler with a user), trained under it unless told not."""
    user: Any = make_staff(username, Role.CONTRACTOR, branch or contract.branches.first())
    handler = Handler.objects.create(contract=contract, name=f"操作員 {username}", user=user)
    if trained:
        session = TrainingSession.objects.create(
            contract=contract,
            held_on=contract.starts_on,
            provider=TrainingSession.Provider.LIBRARY,
            material="図書館の自由に関する宣言と個人情報の取扱い",
            recorded_by=cast(Any, make_staff(f"trainer-{username}", Role.PRIVACY_OFFICER)),
        )
        session.attendees.add(handler)
    return user
