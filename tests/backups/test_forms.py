"""backups.forms: the register page's forms parse (Japanese messages for what cannot be parsed) and hand
the service its values; the service's errors land on the field the form shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from backups import forms


def test_a_medium_parses_into_the_services_values() -> None:
    form = forms.MediumRecordForm(
        data={
            "medium": "TAPE-2026-007",
            "kind": "tape",
            "taken_at": "2026-11-20T09:30",
            "retention_days": "35",
            "size_bytes": "1024",
        }
    )
    assert form.is_valid(), form.errors
    values = form.service_values()
    assert values["retain_until"] == dt.date(2026, 12, 25)
    assert (values["medium"], values["kind"], values["size_bytes"], values["sha256"]) == (
        "TAPE-2026-007",
        "tape",
        1024,
        "",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("retention_days", "三十五", "保管日数は整数で入力してください。"),
        ("retention_days", "-1", "保管日数は0以上で入力してください。"),
        ("retention_days", "3651", "保管日数は3650日以内で入力してください。"),
        ("size_bytes", str(10**15 + 1), "大きさは1PB（10の15乗バイト）以下で入力してください。"),
    ],
)
def test_what_cannot_be_parsed_is_explained_in_japanese(field: str, value: str, message: str) -> None:
    form = forms.MediumRecordForm(data={field: value})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_without_a_retention_the_service_picks_the_default() -> None:
    form = forms.MediumRecordForm(data={"medium": "x", "kind": "tape", "taken_at": "2026-11-20 09:30"})
    assert form.is_valid(), form.errors
    assert form.service_values()["retain_until"] is None


def test_service_errors_go_to_the_field_the_form_shows() -> None:
    form = forms.MediumRecordForm(data={})
    assert form.is_valid()
    forms.add_errors(
        form, ValidationError({"retain_until": ["保管期限が取得日より前です。"], "medium": ["必須です。"]})
    )
    assert form.errors["retention_days"] == ["保管期限が取得日より前です。"]
    assert form.errors["medium"] == ["必須です。"]
