"""outsourcing.oversight_selectors: the reads behind the oversight pages — who is untrained, trainings
per fiscal year, missing business reports, the overview in one query, the reminder items."""

from __future__ import annotations

import datetime as dt

import pytest

from outsourcing import oversight
from outsourcing import oversight_selectors as sel
from outsourcing.models import Contract, Handler

from .factories import make_contract, make_operator
from .oversight_helpers import (  # noqa: F401  (fixtures)
    TODAY,
    _today,
    all_checked,
    contract_fixture,
    operator_fixture,
    submit_report,
)

pytestmark = pytest.mark.django_db


def test_a_handler_with_no_training_is_flagged(contract, operator) -> None:
    untrained = Handler.objects.create(contract=contract, name="未受講 次郎")

    rows = {row.handler.pk: row for row in sel.handlers_with_training(contract)}

    assert rows[untrained.pk].trained is False
    assert rows[Handler.objects.get(user=operator).pk].trained is True
    overview = {r.contract.pk: r for r in sel.overview_rows(on=TODAY)}
    # The handler in charge of make_contract is untrained too.
    assert overview[contract.pk].untrained_handlers == 2


def test_trainings_are_counted_by_fiscal_year_april_to_march(contract, privacy_officer) -> None:
    handler = Handler.objects.create(contract=contract, name="取扱者")
    for held_on, provider in [
        (dt.date(2026, 3, 31), "library"),  # 令和7年度
        (dt.date(2026, 4, 1), "library"),  # 令和8年度
        (dt.date(2026, 6, 1), "contractor"),
        (dt.date(2026, 6, 2), "contractor"),
    ]:
        oversight.training_record(
            actor=privacy_officer, contract=contract, held_on=held_on, provider=provider,
            material="研修", attendees=[handler],
        )  # fmt: skip

    counts = sel.training_counts_by_year(sel.trainings_of(contract))

    assert [(c.label, c.sessions, c.library, c.contractor) for c in counts] == [
        ("令和8年度", 3, 1, 2),
        ("令和7年度", 1, 1, 0),
    ]
    overview = {r.contract.pk: r for r in sel.overview_rows(on=TODAY)}
    assert overview[contract.pk].trainings_this_year == 3


def test_missing_daily_reports_are_the_mondays_to_saturdays_up_to_yesterday(contract, operator) -> None:
    # June 2026: Monday 1st. Today is Wednesday 17th, so 1-16 June are due, Sundays 7 and 14 excepted.
    for day in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 15):
        submit_report(operator, contract, period_start=dt.date(2026, 6, day))

    missing = sel.missing_daily_reports(contract, month_start=dt.date(2026, 6, 1), on=TODAY)

    assert missing == [dt.date(2026, 6, 16)]


def test_no_daily_report_is_expected_before_the_contract_starts(pickup_counter) -> None:
    contract = make_contract(
        branches=[pickup_counter], starts_on=dt.date(2026, 6, 15), ends_on=dt.date(2027, 3, 31)
    )
    missing = sel.missing_daily_reports(contract, month_start=dt.date(2026, 6, 1), on=TODAY)
    assert missing == [dt.date(2026, 6, 15), dt.date(2026, 6, 16)]


def test_missing_monthly_reports_are_the_ended_months_of_the_term(contract, operator) -> None:
    submit_report(operator, contract, kind="monthly", period_start=dt.date(2026, 4, 1))

    assert sel.missing_monthly_reports(contract, on=TODAY) == [dt.date(2026, 5, 1)]


def test_the_overview_is_one_query_whatever_the_number_of_contracts(
    pickup_counter, privacy_officer, django_assert_max_num_queries
) -> None:
    for _ in range(6):
        contract = make_contract(branches=[pickup_counter])
        make_operator(contract, f"op-{contract.pk}")
        audit = oversight.onsite_audit_record(
            actor=privacy_officer, contract=contract, audited_on=dt.date(2026, 5, 1), auditor="係長",
            checklist=all_checked(), findings="",
        )  # fmt: skip
        oversight.corrective_action_add(
            actor=privacy_officer, audit=audit, description="x", due_on=dt.date(2026, 5, 31)
        )

    with django_assert_max_num_queries(1):
        rows = sel.overview_rows(on=TODAY)

    assert len(rows) == 6
    assert all(r.overdue_actions == 1 and r.last_audit_on == dt.date(2026, 5, 1) for r in rows)


def test_reminder_items_name_contracts_due_within_30_days_or_overdue(pickup_counter, privacy_officer) -> None:
    soon = make_contract(branches=[pickup_counter], review_due_on=TODAY + dt.timedelta(days=30))
    late = make_contract(branches=[pickup_counter], review_due_on=TODAY - dt.timedelta(days=1))
    make_contract(branches=[pickup_counter], review_due_on=TODAY + dt.timedelta(days=31))
    make_contract(
        branches=[pickup_counter], review_due_on=TODAY - dt.timedelta(days=1), status=Contract.Status.ENDED
    )

    items = sel.reminder_items(on=TODAY)

    assert [(r.number, r.overdue) for r in items.reviews] == [(late.number, True), (soon.number, False)]
