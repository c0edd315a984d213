"""What every API endpoint answers on refusal and how it reads its input (core.api_schemas): a field of
choices refused as ``choice`` without echoing the value; dates as YYYY-MM-DD only, within the forms'
bounds; 409 and 422 list fields, other refusals carry ``detail``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pytest
from ninja import Schema
from pydantic import ValidationError

from privacy_admin.core.api_schemas import (
    ApiDate,
    ErrorOut,
    OneOf,
    ValidationErrorOut,
    error_responses,
)
from privacy_admin.core.dates import EARLIEST_DATE, latest_date


class _In(Schema):
    colour: Annotated[str, OneOf(["red", "blue", ""], label="色")] = "red"
    day: ApiDate | None = None


def _error(**data: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        _In.model_validate(data)
    (error,) = caught.value.errors()
    return dict(error)


def test_a_choice_is_accepted() -> None:
    assert _In(colour="blue").colour == "blue"


def test_a_value_outside_the_choices_is_a_choice_error_naming_the_field_and_the_values() -> None:
    error = _error(colour="green")
    assert error["type"] == "choice"
    assert error["ctx"] == {"label": "色", "allowed": 'red、blue、""'}
    assert "green" not in error["msg"]


def test_the_schema_declares_the_choices_as_an_enum() -> None:
    assert _In.model_json_schema()["properties"]["colour"]["enum"] == ["red", "blue", ""]


def test_one_of_takes_a_django_choices_class() -> None:
    class Fake:
        values = ["a", "b"]

    assert OneOf(Fake).values  # type: ignore[arg-type]  # a TextChoices class, as models pass it == ("a", "b")


def test_a_date_is_read_from_yyyy_mm_dd() -> None:
    assert _In.model_validate({"day": "2026-04-01"}).day == dt.date(2026, 4, 1)


@pytest.mark.parametrize("value", [0, "1700000000", "2026-04-01T00:00:00", "2026/04/01", "R8-04-01"])
def test_anything_but_yyyy_mm_dd_is_a_date_format_error(value: object) -> None:
    assert _error(day=value)["type"] == "date_format"


def test_a_date_before_the_earliest_is_refused() -> None:
    error = _error(day=(EARLIEST_DATE - dt.timedelta(days=1)).isoformat())
    assert (error["type"], error["ctx"]) == ("date_too_early", {"min": EARLIEST_DATE.isoformat()})
    assert _In.model_validate({"day": EARLIEST_DATE.isoformat()}).day == EARLIEST_DATE


def test_a_date_after_the_latest_is_refused() -> None:
    latest = latest_date()
    error = _error(day=(latest + dt.timedelta(days=1)).isoformat())
    assert (error["type"], error["ctx"]) == ("date_too_late", {"max": latest.isoformat()})
    assert _In.model_validate({"day": latest.isoformat()}).day == latest


def test_the_date_schema_is_a_string_of_format_date() -> None:
    day = _In.model_json_schema()["properties"]["day"]
    declared = next(option for option in day["anyOf"] if option.get("type") == "string")
    assert declared["format"] == "date" and "YYYY-MM-DD" in declared["description"]


def test_conflicts_and_invalid_input_list_the_fields_other_refusals_carry_a_detail() -> None:
    assert error_responses(403, 404, 409, 422) == {
        403: ErrorOut,
        404: ErrorOut,
        409: ValidationErrorOut,
        422: ValidationErrorOut,
    }
