"""Form fields every app's forms share, and the bounds every form's input keeps.

- Dates: ``date_field`` / ``BoundedDateField`` accept nothing before ``EARLIEST_DATE`` (1873-01-01, the
  first day 和暦 formatting renders) nor after ``latest_date()`` (``PLANNING_YEARS`` ahead), and
  ``past=True`` for a date that records what happened (a receipt, a registration, a birth).
- Integers: ``bounded_integer`` with a realistic maximum (no value that overflows the database).
- Text: ``VisibleTextMixin`` (in ``Form`` / ``ModelForm`` here) refuses control and invisible
  characters in every text field through ``core.text.has_invisible``, with one Japanese message.

A test walks every form class in the product and checks they keep these (tests/privacy_admin).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from .dates import EARLIEST_DATE, format_date, latest_date, today
from .text import has_invisible

DateBound = datetime.date | Callable[[], datetime.date]

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
DATE_INVALID = _(
    "存在しない日付か、形式が正しくありません。YYYY-MM-DD の形で正しい日付を入力してください（例: 2026-04-01）。"
)


DATE_TOO_EARLY = gettext_noop("%(min)s以降の日付を入力してください。")
DATE_TOO_LATE = gettext_noop("%(max)s以前の日付を入力してください。")
DATE_IN_FUTURE = gettext_noop("未来の日付は入力できません（今日は%(today)s）。")
INTEGER_MIN = _("%(limit_value)s以上の整数を入力してください。")
INTEGER_MAX = _("%(limit_value)s以下の整数を入力してください。")
INVISIBLE_TEXT = _("制御文字などの見えない文字は入力できません。取り除いてから、もう一度入力してください。")
# IntegerField / PositiveIntegerField in PostgreSQL hold up to this; ids (BigAutoField) up to the other.
DB_INTEGER_MAX = 2_147_483_647
DB_BIGINT_MAX = 2**63 - 1


def _resolve(bound: DateBound) -> datetime.date:
    return bound() if callable(bound) else bound


class BoundedDateField(forms.DateField):
    """A date within ``min_value`` … ``max_value`` (dates or callables such as ``today``); ``past=True``
    caps it at today. The bounds are checked before anything else sees the date."""

    def __init__(
        self,
        *,
        min_value: DateBound = EARLIEST_DATE,
        max_value: DateBound = latest_date,
        past: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        error_messages = {"invalid": DATE_INVALID, **kwargs.pop("error_messages", {})}
        super().__init__(error_messages=error_messages, **kwargs)
        self.min_value = min_value
        self.max_value: DateBound = today if past else max_value
        self.past = past
        if isinstance(self.widget, forms.DateInput) and not callable(min_value):
            self.widget.attrs.setdefault("min", min_value.isoformat())

    def validate(self, value: Any) -> None:
        super().validate(value)
        if not isinstance(value, datetime.date):
            return
        low, high = _resolve(self.min_value), _resolve(self.max_value)
        if value < low:
            raise ValidationError(gettext(DATE_TOO_EARLY) % {"min": format_date(low)}, code="min_value")
        if value > high:
            if self.past:
                raise ValidationError(gettext(DATE_IN_FUTURE) % {"today": format_date(high)}, code="future")
            raise ValidationError(gettext(DATE_TOO_LATE) % {"max": format_date(high)}, code="max_value")


def date_field(
    label: Any,
    *,
    help_text: Any = "",
    required: bool = False,
    past: bool = False,
    min_value: DateBound = EARLIEST_DATE,
    max_value: DateBound = latest_date,
    widget: forms.Widget | None = None,
) -> BoundedDateField:
    """A date (optional unless ``required``: the service says when it is required), entered with the
    browser's date picker or typed as 2026-04-01 / 2026/04/01, within the kernel's bounds."""
    kwargs: dict[str, Any] = {}
    if widget is not None:
        kwargs["widget"] = widget
    return BoundedDateField(
        label=label,
        required=required,
        help_text=help_text,
        past=past,
        min_value=min_value,
        max_value=max_value,
        **kwargs,
    )


def bounded_integer(
    label: Any = None, *, min_value: int = 0, max_value: int, required: bool = False, **kwargs: Any
) -> forms.IntegerField:
    """An integer with a realistic range (never beyond what the database column holds), said in Japanese."""
    if max_value > DB_INTEGER_MAX and not kwargs.pop("big", False):
        raise ValueError("max_value is beyond what an integer column holds")
    error_messages = {"min_value": INTEGER_MIN, "max_value": INTEGER_MAX, **kwargs.pop("error_messages", {})}
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        required=required,
        error_messages=error_messages,
        **kwargs,
    )


class VisibleTextMixin:
    """Refuses control, format (RLO, zero-width), private-use and unassigned characters in every text
    field, with one message beside the field; a textarea may hold line breaks and tabs."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            values = value if isinstance(value, list | tuple) else [value]
            multiline = isinstance(field.widget, forms.Textarea)
            if any(isinstance(v, str) and has_invisible(v, multiline=multiline) for v in values):
                self.add_error(name, ValidationError(INVISIBLE_TEXT, code="invisible"))  # type: ignore[attr-defined]


class Form(VisibleTextMixin, forms.Form):
    """The product's form base: visible text only."""


class ModelForm(VisibleTextMixin, forms.ModelForm):
    """The product's model-form base: visible text only."""
