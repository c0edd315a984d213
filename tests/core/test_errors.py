"""privacy_admin.core.errors: every refusal collected and raised at once, keyed by field, with a code the
API answers by (409 conflict, 422 invalid); a service's refusal put back on the form beside its field."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from privacy_admin.core.errors import FieldErrors, add_service_errors, refuse


def test_nothing_collected_raises_nothing() -> None:
    errors = FieldErrors()
    assert not errors and "title" not in errors
    errors.raise_if_any()


def test_every_message_is_raised_at_once_keyed_by_field_with_its_code() -> None:
    errors = FieldErrors(code="invalid")
    errors.add("title", "書名を入力してください。")
    errors.add("title", "書名は400文字以内で入力してください。")
    errors.add("barcode", "この資料は貸出中です。", code="conflict")
    assert errors and "title" in errors
    with pytest.raises(ValidationError) as info:
        errors.raise_if_any()
    assert info.value.message_dict == {
        "title": ["書名を入力してください。", "書名は400文字以内で入力してください。"],
        "barcode": ["この資料は貸出中です。"],
    }
    assert [e.code for e in info.value.error_dict["title"]] == ["invalid", "invalid"]
    assert [e.code for e in info.value.error_dict["barcode"]] == ["conflict"]


def test_refuse_is_one_fields_refusal() -> None:
    exc = refuse("__all__", "この汚破損案件は既に処理済みです。", code="conflict")
    assert exc.message_dict == {"__all__": ["この汚破損案件は既に処理済みです。"]}
    assert exc.error_dict["__all__"][0].code == "conflict"


class MediumForm(forms.Form):
    medium = forms.CharField(required=False)
    retention_days = forms.IntegerField(required=False)


def test_a_services_errors_go_beside_their_fields_the_rest_on_top() -> None:
    form = MediumForm(data={})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError(
            {"medium": ["必須です。"], "retain_until": ["期限が過去です。"], "other": ["別の問題"]}
        ),
        rename={"retain_until": "retention_days"},
    )
    assert form.errors["medium"] == ["必須です。"]
    assert form.errors["retention_days"] == ["期限が過去です。"]
    assert form.non_field_errors() == ["別の問題"]


def test_an_error_without_fields_goes_on_top() -> None:
    form = MediumForm(data={})
    assert form.is_valid()
    add_service_errors(form, ValidationError("処理できませんでした。"))
    assert form.non_field_errors() == ["処理できませんでした。"]
