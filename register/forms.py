"""Forms of the register pages. They only parse: ``services`` validates (required items, the start date
after registration, the vocabulary) so that the page, the API and the demo give the same messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure_requests.profiles import cite_in_force
from privacy_admin.core import forms as core_forms
from privacy_admin.core.dataitems import DataItem
from register.models import CollectionSource, RegisterEntry
from register.services import entries as services

# Marked 必須 on the page; the service refuses them empty with the article that requires them.
REQUIRED_FIELDS = frozenset(
    {*services.REQUIRED_TEXT, "collection_sources", "starts_on", "reason", "abolished_on"}
)
TEXTAREA_ROWS = {
    "purpose": 3,
    "subjects": 2,
    "free_items": 4,
    "regular_recipients": 2,
    "special_procedure": 2,
}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _entry_field(name: str) -> forms.Field:
    if name == "extra_items":
        return forms.MultipleChoiceField(
            label=_("記録項目（システム外で扱う項目）"),
            choices=DataItem.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "申込書など紙で扱う項目を語彙から選びます。システムが扱う項目はフィールドの宣言から自動で入ります。"
            ),
        )
    if name == "collection_sources":
        return forms.MultipleChoiceField(
            label=_("収集先"),
            choices=CollectionSource.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    model_field = services.model_field(name)
    if name in ("starts_on", "registered_on"):
        return core_forms.BoundedDateField(
            label=model_field.verbose_name, required=False, widget=_date_input()
        )
    field = model_field.formfield(required=False)
    assert field is not None
    if name in TEXTAREA_ROWS:
        field.widget = forms.Textarea(attrs={"rows": TEXTAREA_ROWS[name]})
    return field


def _add_entry_fields(form: forms.Form, names: tuple[str, ...]) -> None:
    for name in names:
        form.fields[name] = _entry_field(name)


class EntryCreateForm(core_forms.Form):
    """A new entry. Code and number may be left empty (entry-<number>, the next number)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"] = core_forms.bounded_integer(
            _("登録番号"), min_value=1, max_value=services.NUMBER_MAX, help_text=_("空欄なら次の番号")
        )
        self.fields["code"] = forms.CharField(
            label=_("コード"),
            required=False,
            max_length=64,
            help_text=_(
                "プログラムが事務を指す識別子（英小文字・数字・ハイフン）。空欄なら entry-登録番号。登録後は変更できません。"
            ),
        )
        self.fields["registered_on"] = _entry_field("registered_on")
        self.fields["registered_on"].help_text = _("空欄なら今日")
        _add_entry_fields(self, services.EDITABLE_FIELDS)
        basis = cite_in_force("register_timing")
        self.fields["starts_on"].help_text = (
            _("登録日以後（%(basis)s: 事務を開始する前に登録）") % {"basis": basis}
            if basis
            else _("登録日以後（事務を開始する前に登録）")
        )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data.get(name) for name in services.EDITABLE_FIELDS}
        values["extra_items"] = list(data.get("extra_items") or [])
        values["collection_sources"] = list(data.get("collection_sources") or [])
        values["code"] = (data.get("code") or "").strip() or None
        values["number"] = data.get("number")
        values["registered_on"] = data.get("registered_on")
        return values


class EntryChangeForm(core_forms.Form):
    """A change of a registered entry, with its reason (kept in the history)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _add_entry_fields(self, services.EDITABLE_FIELDS)
        self.fields["changed_on"] = core_forms.BoundedDateField(
            label=_("変更日"), required=False, widget=_date_input(), help_text=_("空欄なら今日")
        )
        self.fields["reason"] = forms.CharField(
            label=_("変更の理由"),
            required=False,
            max_length=services.REASON_MAX,
            help_text=_("変更履歴に残り、登録簿の変更記録として印刷されます（100文字以内）。"),
        )

    @classmethod
    def initial_for(cls, entry: RegisterEntry) -> dict[str, Any]:
        return {name: getattr(entry, name) for name in services.EDITABLE_FIELDS}

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data.get(name) for name in services.EDITABLE_FIELDS}
        values["extra_items"] = list(data.get("extra_items") or [])
        values["collection_sources"] = list(data.get("collection_sources") or [])
        for name in services.TEXT_FIELDS:
            values[name] = values[name] or ""
        return values


class AbolishForm(core_forms.Form):
    abolished_on = core_forms.BoundedDateField(label=_("廃止日"), required=False, widget=_date_input())
    reason = forms.CharField(label=_("廃止の理由"), required=False, max_length=services.REASON_MAX)
