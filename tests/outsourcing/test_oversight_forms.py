"""outsourcing.oversight_forms — the oversight forms' own refusals (each in Japanese, naming the field),
the attendees limited to the contract's handlers, one 適合/不適合/該当なし per 特記事項, and the month
of the daily-report list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from outsourcing.models import Clause, Handler
from outsourcing.oversight_forms import ActionDoneForm, AuditForm, MonthForm, TrainingForm

from .factories import make_contract

pytestmark = pytest.mark.django_db


def _field(form: Any, name: str) -> Any:
    """A form field, as the form built it (its choices or queryset set in ``__init__``)."""
    return form.fields[name]


def test_a_training_needs_attendees_of_this_contract(pickup_counter: Any, central: Any) -> None:
    contract = make_contract(branches=[pickup_counter])
    stranger = Handler.objects.get(contract=make_contract(branches=[central]))
    values = {"held_on": "2026-06-01", "provider": "library", "material": "研修"}

    empty = TrainingForm(data=values, contract=contract)
    other = TrainingForm(data=values | {"attendees": [str(stranger.pk)]}, contract=contract)

    assert empty.errors["attendees"] == ["受講者を1人以上選んでください。"]
    assert other.errors["attendees"] == ["受講者には、この契約の取扱者だけを選べます。"]


def test_the_handler_in_charge_is_labelled_as_such(pickup_counter: Any) -> None:
    contract = make_contract(branches=[pickup_counter])
    in_charge = Handler.objects.get(contract=contract)
    Handler.objects.create(contract=contract, name="取扱 次郎")

    labels = [label for _, label in _field(TrainingForm(contract=contract), "attendees").choices]

    assert f"{in_charge.name}（取扱責任者）" in labels and "取扱 次郎" in labels


def test_dates_are_required_and_checked_with_the_fields_name() -> None:
    missing = ActionDoneForm(data={})
    wrong = ActionDoneForm(data={"done_on": "2026-13-40"})

    assert missing.errors["done_on"] == ["完了日を入力してください。"]
    assert wrong.errors["done_on"] == ["完了日を正しい日付で入力してください（例: 2026-04-01）。"]


def test_an_audit_asks_for_each_of_the_sixteen_clauses_in_order() -> None:
    data = {"audited_on": "2026-06-10", "auditor": "管理係長"}
    data |= {AuditForm.clause_field(c.value): "ok" for c in Clause}
    del data[AuditForm.clause_field(Clause.TRAINING.value)]
    data[AuditForm.clause_field(Clause.NO_COPYING.value)] = "ng"

    form = AuditForm(data=data)

    assert not form.is_valid()
    assert form.errors[AuditForm.clause_field(Clause.TRAINING.value)] == ["確認結果を選んでください。"]
    assert [n for n, _ in form.clause_rows()] == list(range(1, 17))

    data[AuditForm.clause_field(Clause.TRAINING.value)] = "na"
    form = AuditForm(data=data)
    assert form.is_valid(), form.errors
    checklist = form.checklist()
    assert checklist[Clause.NO_COPYING.value] == "ng" and checklist[Clause.TRAINING.value] == "na"
    assert list(checklist) == Clause.values


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"month": "2026-04"}, dt.date(2026, 4, 1)),
        ({}, dt.date(2026, 6, 1)),
        ({"month": "abc"}, dt.date(2026, 6, 1)),
    ],
)
def test_the_month_of_the_report_list_is_its_first_day(query: dict[str, str], expected: dt.date) -> None:
    assert MonthForm(data=query).month_start(dt.date(2026, 6, 17)) == expected
