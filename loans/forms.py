"""Forms for the counter pages. They parse and bound input; the services decide what is allowed.

Barcode scanners type the number and Enter, so each counter page has one text field (``scan``) with
autofocus. Card numbers and barcodes arrive in POST bodies only. The patron being served between
scans travels as a signed token (``patron_token``), never as a card number in the page or the URL.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from patrons.models import Branch
from privacy_admin.core import forms as core_forms
from privacy_admin.core.errors import add_service_errors

__all__ = [
    "CaptureForm",
    "CounterForm",
    "ItemForm",
    "ItemImportForm",
    "ReserveForm",
    "ReturnForm",
    "add_service_errors",
]

IMPORT_MAX_BYTES = 5 * 1024 * 1024

_NUL = _("使用できない制御文字（NUL）が含まれています。")
_TOO_LONG = _("%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。")
_BAD_CHOICE = _("一覧から選んでください。")


class _CharField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        self.validators.append(ProhibitNullCharactersValidator(message=_NUL))


def branch_choices(branches: list[Branch]) -> list[tuple[str, str]]:
    return [(b.code, b.name) for b in branches]


def _branch_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[],
        error_messages={"invalid_choice": _BAD_CHOICE, "required": _BAD_CHOICE},
    )


def _scan_field(label: Any, *, required: bool = False) -> forms.CharField:
    return _CharField(
        label=label,
        required=required,
        max_length=40,
        error_messages={"max_length": _TOO_LONG, "required": _("資料番号を読み取ってください。")},
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "off",
                "class": "scan-input",
                "data-clear": "",
            }
        ),
    )


class CounterForm(core_forms.Form):
    """The counter's branch, the scan field and the token of the patron being served."""

    branch = _branch_field(_("カウンター"))
    scan = _scan_field(_("読み取り"))
    patron_token = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, branches: list[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = branch_choices(branches)  # type: ignore[attr-defined]
        self.fields["branch"].widget.attrs["class"] = "branch-select"


class ReserveForm(CounterForm):
    pickup_branch = _branch_field(_("受取館"))

    def __init__(self, *args: Any, branches: list[Branch], **kwargs: Any) -> None:
        super().__init__(*args, branches=branches, **kwargs)
        self.fields["pickup_branch"].choices = branch_choices(branches)  # type: ignore[attr-defined]


class ReturnForm(core_forms.Form):
    branch = _branch_field(_("カウンター"))
    scan = _scan_field(_("資料番号"), required=True)
    damaged = forms.BooleanField(
        label=_("汚破損あり"), required=False, widget=forms.CheckboxInput(attrs={"data-clear": ""})
    )
    damage_description = _CharField(
        label=_("汚破損の状況"),
        required=False,
        max_length=200,
        error_messages={"max_length": _TOO_LONG},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-clear": "", "placeholder": _("例: 水濡れ（表紙）")}
        ),
    )

    def __init__(self, *args: Any, branches: list[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = branch_choices(branches)  # type: ignore[attr-defined]
        self.fields["branch"].widget.attrs["class"] = "branch-select"


class CaptureForm(core_forms.Form):
    branch = _branch_field(_("カウンター"))
    scan = _scan_field(_("資料番号"), required=True)

    def __init__(self, *args: Any, branches: list[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = branch_choices(branches)  # type: ignore[attr-defined]
        self.fields["branch"].widget.attrs["class"] = "branch-select"


class ItemForm(core_forms.Form):
    """資料登録. Lengths are checked by the service, which reports every problem at once."""

    barcode = _CharField(
        label=_("資料番号"), required=False, max_length=100, error_messages={"max_length": _TOO_LONG}
    )
    title = _CharField(
        label=_("書名"), required=False, max_length=400, error_messages={"max_length": _TOO_LONG}
    )
    author = _CharField(
        label=_("著者"), required=False, max_length=200, error_messages={"max_length": _TOO_LONG}
    )
    publisher = _CharField(
        label=_("出版者"), required=False, max_length=200, error_messages={"max_length": _TOO_LONG}
    )
    isbn = _CharField(
        label=_("ISBN"), required=False, max_length=40, error_messages={"max_length": _TOO_LONG}
    )
    call_number = _CharField(
        label=_("請求記号"), required=False, max_length=80, error_messages={"max_length": _TOO_LONG}
    )
    branch = _branch_field(_("所蔵館"))

    def __init__(self, *args: Any, branches: list[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [  # type: ignore[attr-defined]
            ("", _("選択してください")),
            *branch_choices([b for b in branches if b.kind != Branch.Kind.PICKUP]),
        ]
        self.fields["barcode"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})


class ItemImportForm(core_forms.Form):
    file = forms.FileField(
        label=_("CSVファイル"),
        error_messages={
            "required": _("CSVファイルを選んでください。"),
            "empty": _("ファイルが空です。"),
            "invalid": _("ファイルを受け取れませんでした。もう一度選んでください。"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("確認のみ（保存しない）"),
        required=False,
        initial=True,
        help_text=_("まず確認のみで取り込み、エラーがないことを確かめてから保存してください。"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(
                _("ファイルが大きすぎます（上限%(limit)dMB）。ファイルを分けて取り込んでください。")
                % {"limit": IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
