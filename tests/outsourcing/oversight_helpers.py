"""Fixtures and helpers shared by the oversight tests (services, selectors).

Import the fixtures (``*_fixture``, ``_today``) into a test module to use them; "today" is Wednesday
17 June 2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from outsourcing import oversight
from outsourcing.models import (
    BusinessReport,
    Clause,
    Contract,
    ContractReview,
    CorrectiveAction,
    OnSiteAudit,
    TrainingSession,
)

from .factories import make_contract, make_operator

TODAY = dt.date(2026, 6, 17)  # a Wednesday


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oversight, "today", lambda: TODAY)


@pytest.fixture(name="contract")
def contract_fixture(pickup_counter: Any) -> Contract:
    return make_contract(
        branches=[pickup_counter], starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31),
        review_due_on=dt.date(2026, 9, 30),
    )  # fmt: skip


@pytest.fixture(name="other_contract")
def other_contract_fixture(central: Any) -> Contract:
    return make_contract(branches=[central], starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31))


@pytest.fixture(name="operator")
def operator_fixture(contract: Contract) -> Any:
    return make_operator(contract, "op-east")


def all_checked(value: str = "ok") -> dict[str, str]:
    return {c.value: value for c in Clause}


def db_snapshot() -> tuple[int, ...]:
    return (
        TrainingSession.objects.count(),
        BusinessReport.objects.count(),
        OnSiteAudit.objects.count(),
        CorrectiveAction.objects.count(),
        ContractReview.objects.count(),
    )


def submit_report(operator: Any, contract: Contract, **kwargs: Any) -> BusinessReport:
    values: dict[str, Any] = {
        "kind": "daily",
        "period_start": dt.date(2026, 6, 15),
        "body": "予約資料の受渡し 42件",
    }
    return oversight.report_submit(actor=operator, contract=contract, **(values | kwargs))


@pytest.fixture(name="audit")
def audit_fixture(contract: Contract, privacy_officer: Any) -> OnSiteAudit:
    return oversight.onsite_audit_record(
        actor=privacy_officer, contract=contract, audited_on=dt.date(2026, 6, 10), auditor="管理係長",
        checklist=all_checked() | {Clause.NO_COPYING.value: "ng"}, findings="メモの貼付",
    )  # fmt: skip
