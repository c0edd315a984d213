"""The gate (domain.md §6; 002): no contract proceeds without its privacy measures.

A contract is *in force* on a day when it has not ended, the day falls in its period, its council
procedure is recorded, all 16 特記事項 are agreed and a handler in charge (取扱責任者) is named.
An operator may work when their contract is in force and they have attended a privacy training of that
contract (要綱 第9条; 004 特記事項13). Pure reads: no writes, no logging.

The reads use ``contract.clauses.all()`` and ``contract.handlers.all()`` so that a list page can
prefetch them once for every contract.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Clause, Contract, Handler


class ContractState(models.TextChoices):
    """What the contract list and detail show (derived, never stored)."""

    PENDING = "pending", gettext_lazy("手続中")  # procedure, clauses or handler in charge missing
    IN_FORCE = "in_force", gettext_lazy("有効")
    OUT_OF_PERIOD = "out_of_period", gettext_lazy("期間外")  # complete, but before or after its period
    ENDED = "ended", gettext_lazy("終了")  # accounts closed (``services.contract_close``)


def procedure_recorded(contract: Contract) -> bool:
    P = Contract.Procedure
    if contract.procedure == P.CONSULTATION:
        return bool(contract.approved_on and contract.consultation_number)
    if contract.procedure == P.REPORT:
        return contract.reported_on is not None
    if contract.procedure == P.PRE_APPROVAL:
        return bool(
            contract.pre_approval_category
            and contract.pre_approval_confirmed_on
            and contract.pre_approval_confirmed_by
        )
    return False


def missing_clauses(contract: Contract) -> list[Clause]:
    agreed = {a.clause for a in contract.clauses.all()}
    return [c for c in Clause if c.value not in agreed]


def handler_in_charge(contract: Contract) -> Handler | None:
    return next((h for h in contract.handlers.all() if h.in_charge), None)


def measure_blockers(contract: Contract) -> list[str]:
    """The privacy measures still missing (procedure, 特記事項, handler in charge), in Japanese."""
    reasons: list[str] = []
    if not procedure_recorded(contract):
        reasons.append(_("審議会の手続（諮問・報告・事前一括承認基準の確認）が記録されていません。"))
    missing = missing_clauses(contract)
    if missing:
        reasons.append(_("特記事項のうち %(n)d 項目が合意されていません。") % {"n": len(missing)})
    if handler_in_charge(contract) is None:
        reasons.append(_("取扱責任者が指名されていません。"))
    return reasons


def contract_blockers(contract: Contract, *, today: datetime.date | None = None) -> list[str]:
    """Why the contract is not in force today, in Japanese; empty when it is."""
    today = today or timezone.localdate()
    reasons: list[str] = []
    if contract.status == Contract.Status.ENDED:
        reasons.append(_("契約は終了しています。"))
    elif today < contract.starts_on:
        reasons.append(_("契約期間が始まっていません。"))
    elif today > contract.ends_on:
        reasons.append(_("契約期間が終わっています。"))
    return reasons + measure_blockers(contract)


def contract_in_force(contract: Contract, *, today: datetime.date | None = None) -> bool:
    return not contract_blockers(contract, today=today)


def contract_state(contract: Contract, *, today: datetime.date | None = None) -> ContractState:
    today = today or timezone.localdate()
    if contract.status == Contract.Status.ENDED:
        return ContractState.ENDED
    if measure_blockers(contract):
        return ContractState.PENDING
    if not contract.starts_on <= today <= contract.ends_on:
        return ContractState.OUT_OF_PERIOD
    return ContractState.IN_FORCE


def end_step_pending(contract: Contract) -> bool:
    """004 特記事項10: after the accounts close, the return or erasure of the data is still to be certified."""
    return contract.status == Contract.Status.ENDED and contract.disposition_certified_on is None


def handler_trained(handler: Handler) -> bool:
    return any(t.contract_id == handler.contract_id for t in handler.trainings.all())


def operator_handler(user: Any) -> Handler | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return Handler.objects.select_related("contract").filter(user_id=user.pk).first()


def operator_may_work(user: Any, *, today: datetime.date | None = None) -> bool:
    """True when ``user`` is a handler of a contract in force and has been trained under it."""
    handler = operator_handler(user)
    if handler is None:
        return False
    return contract_in_force(handler.contract, today=today) and handler_trained(handler)
