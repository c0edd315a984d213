"""incidents.forms — the incident form offers registered entries (and keeps an entry the incident
already names, abolished since), refuses what is not in its lists with a Japanese message, reads
datetimes in the library's formats, and hands blanks to the service as blanks; the step forms start at
"now" and "today"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidents.forms import IncidentForm, step_initial
from register.models import RegisterEntry
from tests.incidents.helpers import (
    NOW,
    TODAY,
    frozen_now,  # noqa: F401
    record,
)
from tests.register.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def _field(form: Any, name: str) -> Any:
    """A form field, as the form built it (its choices or queryset set in ``__init__``)."""
    return form.fields[name]


def test_registered_entries_are_offered_and_an_abolished_one_only_to_its_incident(privacy_officer) -> None:
    kept = make_entry()
    gone = make_entry()
    incident = record(privacy_officer, register_entries=[gone.pk])
    RegisterEntry.objects.filter(pk=gone.pk).update(status="abolished", abolished_on=dt.date(2026, 5, 1))

    new = _field(IncidentForm(), "register_entries").queryset
    existing = _field(IncidentForm(incident=incident), "register_entries").queryset

    assert kept in new and gone not in new
    assert kept in existing and gone in existing


def test_choices_outside_the_lists_are_refused_in_japanese() -> None:
    form = IncidentForm(data={"kind": "fire", "data_items": ["favourite_colour"], "register_entries": ["x"]})

    assert not form.is_valid()
    assert form.errors["kind"] == ["一覧から選んでください。"]
    assert form.errors["data_items"] == ["一覧から選んでください。"]
    assert form.errors["register_entries"] == ["一覧から選んでください。"]


@pytest.mark.parametrize("text", ["2026-06-15T09:40", "2026-06-15 09:40", "2026/06/15 09:40"])
def test_a_discovery_time_is_read_in_the_librarys_formats(text: str) -> None:
    form = IncidentForm(data={"discovered_at": text})
    form.is_valid()
    assert "discovered_at" not in form.errors
    assert form.cleaned_data["discovered_at"].strftime("%Y-%m-%d %H:%M") == "2026-06-15 09:40"


def test_an_impossible_time_says_how_to_write_one() -> None:
    form = IncidentForm(data={"discovered_at": "2026-02-30 09:40"})
    assert not form.is_valid()
    assert str(form.errors["discovered_at"][0]).startswith("存在しない日時か、形式が正しくありません。")


def test_blanks_reach_the_service_as_blanks_so_it_gives_the_exact_message() -> None:
    form = IncidentForm(data={})
    assert form.is_valid(), form.errors

    values = form.service_kwargs()

    assert values["title"] == "" and values["kind"] == "" and values["place"] == ""
    assert values["discovered_at"] is None and values["people_count"] is None
    assert values["data_items"] == [] and values["register_entries"] == []


def test_the_form_starts_from_the_incidents_facts(privacy_officer) -> None:
    incident = record(privacy_officer, title="貸出票の紛失", people_count=3)

    initial = IncidentForm.initial_for(incident)

    assert initial["title"] == "貸出票の紛失" and initial["people_count"] == 3
    assert initial["discovered_at"] == incident.discovered_at


def test_the_step_forms_start_at_now_and_today() -> None:
    initial = step_initial(NOW + dt.timedelta(seconds=42))

    assert initial["board"]["reported_at"].replace(tzinfo=None) == NOW.replace(tzinfo=None)
    assert {initial[k][f] for k, f in [("written", "submitted_on"), ("close", "closed_on")]} == {TODAY}
