"""disclosure_requests.forms — the request forms offer only what fits (the outcomes of the request's
kind, the 第19条 categories on a disclosure only), refuse a NUL or an unknown choice with a Japanese
message, hand blanks to the services as blanks, and the list's filter names each year in 和暦 too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from disclosure_requests.forms import DecisionForm, FilterForm, OpinionForm, ReceiveForm, step_initial
from disclosure_requests.models import Outcome, RequestKind

pytestmark = pytest.mark.django_db  # the identity documents offered come from the patrons' settings


def _field(form: Any, name: str) -> Any:
    """A form field, as the form built it (its choices or queryset set in ``__init__``)."""
    return form.fields[name]


def test_a_decision_offers_the_outcomes_of_the_requests_kind_only() -> None:
    disclosure = DecisionForm(kind=RequestKind.DISCLOSURE)
    correction = DecisionForm(kind=RequestKind.CORRECTION)

    assert [v for v, _ in _field(disclosure, "outcome").choices] == [
        Outcome.FULL,
        Outcome.PARTIAL,
        Outcome.REFUSED,
        Outcome.NEITHER,
        Outcome.NOT_HELD,
    ]
    assert [v for v, _ in _field(correction, "outcome").choices] == [Outcome.CORRECT, Outcome.NOT_CORRECT]
    assert "reasons" in disclosure.fields and "reasons" not in correction.fields
    assert "is_partial_scope" not in disclosure.fields
    assert "is_partial_scope" in DecisionForm(kind=RequestKind.DISCLOSURE, special=True).fields


def test_an_outcome_of_another_kind_is_refused() -> None:
    form = DecisionForm(data={"decide-outcome": Outcome.FULL}, kind=RequestKind.SUSPENSION)
    assert not form.is_valid()
    assert form.errors["outcome"] == ["一覧から選んでください。"]


def test_a_blank_decision_reaches_the_service_as_blanks() -> None:
    form = DecisionForm(data={}, kind=RequestKind.DISCLOSURE)
    assert form.is_valid(), form.errors

    assert form.service_kwargs() == {
        "outcome": "",
        "decided_on": None,
        "reasons": [],
        "reason_text": "",
        "reason_lapses_on": None,
        "disclosed_content": "",
        "is_partial_scope": False,
    }


def test_a_nul_in_a_text_is_refused_in_japanese() -> None:
    form = ReceiveForm(data={"requester_name": "請求\x00花子"})
    assert not form.is_valid()
    assert form.errors["requester_name"] == ["使用できない制御文字（NUL）が含まれています。"]


def test_the_opinion_must_say_for_or_against() -> None:
    assert OpinionForm(data={}).errors["objected"] == ["意見の内容を選んでください。"]
    form = OpinionForm(data={"opinion-objected": "true", "opinion-received_on": "2026-06-01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["objected"] is True


def test_the_filter_names_each_year_with_its_era() -> None:
    form = FilterForm(years=[2026, 2019])

    assert list(_field(form, "year").choices)[1:] == [
        ("2026", "2026年（令和8年）"),
        ("2019", "2019年（令和元年）"),
    ]


def test_every_step_form_starts_at_today() -> None:
    today = dt.date(2026, 6, 15)
    initial = step_initial(today)
    assert initial["decide"] == {"decided_on": today}
    assert initial["disclose"] == {"carried_out_on": today, "fee_yen": 0}
