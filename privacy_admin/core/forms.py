"""Form fields every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
DATE_INVALID = _(
    "存在しない日付か、形式が正しくありません。YYYY-MM-DD の形で正しい日付を入力してください（例: 2026-04-01）。"
)


def date_field(label: Any, *, help_text: Any = "") -> forms.DateField:
    """An optional date (the service says when it is required), entered with the browser's date picker
    or typed as 2026-04-01 / 2026/04/01."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_INVALID},
        help_text=help_text,
    )
