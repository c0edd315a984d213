"""Forms of the contractor and contract pages. They parse and bound input; the rules (required items per
procedure, period, vocabulary, one person one account) are in the services, whose ValidationErrors go
back onto the form with ``privacy_admin.core.errors.add_service_errors``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy_admin.core import forms as core_forms
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.errors import add_service_errors
from privacy_admin.core.forms import date_field

from . import selectors
from .models import Clause, Contract, Contractor
from .services import ContractInput, ContractorInput

__all__ = ["add_service_errors"]

_BAD_CHOICE = _("一覧から選んでください。")
_BAD_CHOICES = _("一覧にない項目が含まれています。一覧から選んでください。")


def _text(label: Any, max_length: int, *, textarea: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3})
        if textarea
        else forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "max_length": _("%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。")
        },
        help_text=help_text,
    )


def _model_choice(label: Any, queryset: Any, **kwargs: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        empty_label=str(_("選択してください")),
        error_messages={"invalid_choice": _BAD_CHOICE},
        **kwargs,
    )


# --- contractors ----------------------------------------------------------------------------------


class ContractorForm(core_forms.Form):
    name = _text(_("委託先の名称"), 200)
    address = _text(_("所在地"), 200)
    representative = _text(_("代表者"), 100)
    privacy_mark = forms.BooleanField(label=_("プライバシーマークを取得している"), required=False)
    privacy_mark_number = _text(_("プライバシーマーク登録番号"), 32)
    privacy_mark_expires_on = date_field(_("プライバシーマーク有効期限"))

    @classmethod
    def for_instance(cls, contractor: Contractor) -> ContractorForm:
        return cls(initial={f: getattr(contractor, f) for f in cls.base_fields})

    def to_input(self) -> ContractorInput:
        return ContractorInput(**self.cleaned_data)


# --- contracts ------------------------------------------------------------------------------------


class ContractForm(core_forms.Form):
    number = _text(_("契約番号"), 32)
    title = _text(_("業務名"), 200)
    contractor = _model_choice(_("委託先"), selectors.contractors().none())
    purpose = _text(_("委託の目的・内容"), 2000, textarea=True)
    data_items = forms.MultipleChoiceField(
        label=_("委託先が取り扱う個人情報の項目"),
        choices=DataItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _BAD_CHOICES},
        help_text=_(
            "目的に必要な最小限の項目だけを選びます（002: 必要かつ最小限）。操作員が見られるのはここで選んだ項目だけです。"
        ),
    )
    branches = forms.ModelMultipleChoiceField(
        label=_("対象の館・受取窓口・学校"),
        queryset=selectors.active_branches(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _BAD_CHOICES, "invalid_pk_value": _BAD_CHOICES},
    )
    starts_on = date_field(_("契約開始日"))
    ends_on = date_field(
        _("契約終了日"), help_text=_("終了日の翌日に操作員のアカウントが自動的に停止されます。")
    )
    online_connection = forms.BooleanField(label=_("電算結合（オンライン結合）がある"), required=False)
    register_entry = _model_choice(_("登録簿の事務"), selectors.registered_entries())
    review_due_on = date_field(
        _("次回見直し期限"), help_text=_("事前一括承認基準に該当する契約も定期的に見直します（002）。")
    )

    def __init__(self, *args: Any, instance: Contract | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f: getattr(instance, f) for f in self.base_fields if f != "branches"},
                "branches": list(instance.branches.all()),
            }
        super().__init__(*args, **kwargs)
        contractor = self.fields["contractor"]
        entry = self.fields["register_entry"]
        branches = self.fields["branches"]
        assert isinstance(contractor, forms.ModelChoiceField)
        assert isinstance(entry, forms.ModelChoiceField)
        assert isinstance(branches, forms.ModelMultipleChoiceField)
        contractor.queryset = selectors.contractors()
        entry.queryset = selectors.registered_entries()
        branches.queryset = selectors.active_branches()
        if instance is not None:
            contractor.disabled = True  # a change of contractor is its own step
            contractor.help_text = _("委託先の変更は、契約の画面の「委託先の変更」で記録します。")

    def to_input(self) -> ContractInput:
        data = self.cleaned_data
        return ContractInput(
            number=data["number"],
            title=data["title"],
            contractor=data["contractor"],
            purpose=data["purpose"],
            data_items=list(data["data_items"]),
            branches=list(data["branches"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            online_connection=data["online_connection"],
            register_entry=data["register_entry"],
            review_due_on=data["review_due_on"],
        )


class ProcedureForm(core_forms.Form):
    procedure = forms.ChoiceField(
        label=_("審議会の手続"),
        choices=Contract.Procedure.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _BAD_CHOICE},
    )
    consultation_number = _text(_("諮問番号（諮問の場合）"), 32)
    approved_on = date_field(_("承認日（諮問の場合）"))
    reported_on = date_field(_("報告日（報告の場合）"))
    pre_approval_category = _text(
        _("該当する類型（事前一括承認基準の場合）"),
        200,
        help_text=_("例: 類型10 区立施設等の利用者の受付、利用サービスの提供…"),
    )
    pre_approval_confirmed_on = date_field(_("個人情報保護担当と確認した日"))
    pre_approval_confirmed_by = _text(_("確認した担当者"), 100)

    @classmethod
    def for_instance(cls, contract: Contract) -> ProcedureForm:
        return cls(initial={f: getattr(contract, f) for f in cls.base_fields})


class ClausesForm(core_forms.Form):
    """The 16 特記事項 (004): a checkbox and an agreed date for each."""

    def __init__(self, *args: Any, contract: Contract | None = None, **kwargs: Any) -> None:
        if contract is not None and "initial" not in kwargs and not args:
            initial: dict[str, Any] = {}
            for agreement in contract.clauses.all():
                initial[f"agree_{agreement.clause}"] = True
                initial[f"on_{agreement.clause}"] = agreement.agreed_on
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for number, clause in enumerate(Clause, start=1):
            self.fields[f"agree_{clause.value}"] = forms.BooleanField(
                label=f"{number} {clause.label}", required=False
            )
            self.fields[f"on_{clause.value}"] = date_field(_("合意日"))

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"agree_{c.value}"], self[f"on_{c.value}"]) for c in Clause]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for clause in Clause:
            if data.get(f"agree_{clause.value}") and not data.get(f"on_{clause.value}"):
                self.add_error(f"on_{clause.value}", _("合意日を入力してください。"))
        return data

    def agreed(self) -> dict[str, dt.date | None]:
        data = self.cleaned_data
        return {
            c.value: (data.get(f"on_{c.value}") if data.get(f"agree_{c.value}") else None) for c in Clause
        }


class HandlerForm(core_forms.Form):
    name = _text(_("取扱者の氏名"), 100)
    in_charge = forms.BooleanField(label=_("取扱責任者にする"), required=False)


class OperatorAccountForm(core_forms.Form):
    handler = _model_choice(_("取扱者"), selectors.handlers_without_account(None))
    username = _text(
        _("ユーザー名（ログインID）"), 150, help_text=_("英数字と @ . + - _。1人に1つ、共用はできません。")
    )
    branch = _model_choice(_("所属（操作する窓口・学校）"), selectors.active_branches())

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handler = self.fields["handler"]
        branch = self.fields["branch"]
        assert isinstance(handler, forms.ModelChoiceField)
        assert isinstance(branch, forms.ModelChoiceField)
        handler.queryset = selectors.handlers_without_account(contract)
        branch.queryset = contract.branches.order_by("sort_order", "code")


class ContractorChangeForm(core_forms.Form):
    new_contractor = _model_choice(_("変更後の委託先"), selectors.contractors().none())
    changed_on = date_field(_("変更日"))
    reason = _text(_("変更の理由"), 1000, textarea=True)

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_contractor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.contractors().exclude(pk=contract.contractor_id)


class ContractEndForm(core_forms.Form):
    data_disposition = forms.ChoiceField(
        label=_("資料の処置"),
        choices=[("returned", _("返還")), ("erased", _("消去・廃棄"))],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _BAD_CHOICE},
    )
    disposition_certified_by = _text(_("返還・消去を証明した者（委託先）"), 100)
    disposition_certified_on = date_field(_("証明日"))
