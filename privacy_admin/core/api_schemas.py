"""What every JSON API endpoint answers on refusal: ``{"detail": ...}`` in Japanese, and for invalid
input ``errors: [{field, message}]`` (never echoing the input, which may be personal data)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any

from django.utils.translation import gettext_lazy
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import PydanticCustomError, core_schema

from .dates import EARLIEST_DATE, PLANNING_YEARS, latest_date

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

DENIED_MESSAGE = gettext_lazy("この操作を行う権限がありません。")
NOT_FOUND_MESSAGE = gettext_lazy("見つかりません。")
INVALID_MESSAGE = gettext_lazy("入力内容に誤りがあります。")


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


# Bounds of the database's integer columns: an id or number outside them can name no record.
BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1


class OneOf:
    """``Annotated[str, OneOf(Model.Kind)]``: the field takes one of the choices' values, and the OpenAPI
    schema declares them as an ``enum`` (django-ninja does not derive one from model choices).

    A value outside them is refused as a ``choice`` error whose Japanese message names the field
    (``label``) and lists the values it takes; the refused value is never echoed."""

    def __init__(self, choices: Iterable[Any], *, label: str = "") -> None:
        values = getattr(choices, "values", choices)
        self.values: tuple[str, ...] = tuple(str(v) for v in values)
        self.label = label

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.custom_error_schema(
            core_schema.literal_schema(list(self.values)),
            custom_error_type="choice",
            custom_error_message="value is not one of the choices",
            custom_error_context={
                "label": self.label,
                "allowed": "、".join(v if v else '""' for v in self.values),
            },
        )


def error_responses(*codes: int) -> dict[int, Any]:
    """The refusals an operation documents: invalid input (422) and state conflicts (409) list the
    fields; every other refusal is ``{"detail": ...}``."""
    return {code: ValidationErrorOut if code in (409, 422) else ErrorOut for code in codes}


def _iso_date_only(value: Any) -> Any:
    # pydantic would also take 0, "1700000000" or a datetime string as a date.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_format", "date must be YYYY-MM-DD")


def _date_in_range(value: dt.date) -> dt.date:
    # The same bounds as every form's date (core.forms.date_field): from the first day 和暦 renders.
    if value < EARLIEST_DATE:
        raise PydanticCustomError("date_too_early", "date before {min}", {"min": EARLIEST_DATE.isoformat()})
    latest = latest_date()
    if value > latest:
        raise PydanticCustomError("date_too_late", "date after {max}", {"max": latest.isoformat()})
    return value


# Every date the API accepts: YYYY-MM-DD only, from 1873-01-01 (EARLIEST_DATE) to latest_date().
ApiDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date_only),
    AfterValidator(_date_in_range),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": f"YYYY-MM-DD（{EARLIEST_DATE.isoformat()} 以降、{PLANNING_YEARS}年先の年末まで）",
        }
    ),
]
