"""Forms of the oversight pages. They parse input only; the services in ``oversight`` decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from privacy_admin.core import forms as core_forms

from . import selectors
from .models import BusinessReport, Clause, Contract, ContractReview, Handler, TrainingSession
from .oversight import CHECK_VALUES

_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
CHECK_LABELS = {"ok": _("適合"), "ng": _("不適合"), "na": _("該当なし")}


def _date(label: StrOrPromise, **kwargs: Any) -> forms.DateField:
    return core_forms.BoundedDateField(
        label=label,
        input_formats=_DATE_FORMATS,
        error_messages={
            "required": format_lazy(_("{label}を入力してください。"), label=label),
            "invalid": format_lazy(
                _("{label}を正しい日付で入力してください（例: 2026-04-01）。"), label=label
            ),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _handler_label(handler: Handler) -> str:
    return _("%(name)s（取扱責任者）") % {"name": handler.name} if handler.in_charge else handler.name


class TrainingForm(core_forms.Form):
    held_on = _date(_("実施日"))
    provider = forms.ChoiceField(
        label=_("実施者"), choices=TrainingSession.Provider.choices, widget=forms.RadioSelect
    )
    material = forms.CharField(
        label=_("教材・内容"),
        max_length=200,
        help_text=_("例: 図書館の自由に関する宣言と個人情報の取扱い（図書館作成の教材）"),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("受講者"),
        queryset=selectors.contract_handlers(None),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("受講者を1人以上選んでください。"),
            "invalid_choice": _("受講者には、この契約の取扱者だけを選べます。"),
            "invalid_pk_value": _("受講者の指定が正しくありません。"),
        },
    )

    def __init__(self, *args: Any, contract: Contract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = selectors.contract_handlers(contract)
        field.label_from_instance = _handler_label  # type: ignore[method-assign,assignment]


class ReportForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("種別"), choices=BusinessReport.Kind.choices, widget=forms.RadioSelect)
    period_start = _date(
        _("対象日（月報は対象月のいずれかの日）"),
        help_text=_("月報は、その月の1日として記録します。"),
    )
    body = forms.CharField(
        label=_("報告内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "業務の実施状況を件数などで記載してください（例: 予約資料の受渡し 42件、返却受付 18件）。"
            "利用者の氏名・利用者番号・連絡先・資料名など、個人が分かる情報は書かないでください。"
        ),
    )
    incidents_noted = forms.BooleanField(
        label=_("事故・苦情があった（内容は個人が分からない形で記載し、事故は別途すぐに報告してください）"),
        required=False,
    )


class ReviewCommentForm(core_forms.Form):
    comment = forms.CharField(
        label=_("確認コメント"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("事故・苦情ありの報告には、確認した内容と対応を記入します。"),
    )


class AuditForm(core_forms.Form):
    """The on-site audit: date, auditor, one 適合/不適合/該当なし per 特記事項, findings."""

    audited_on = _date(_("監査日"))
    auditor = forms.CharField(label=_("監査者"), max_length=100, help_text=_("所属と職名（例: 管理係長）"))
    findings = forms.CharField(
        label=_("指摘事項"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "「不適合」があるときは必ず記入します。是正措置は監査を登録したあとに期限付きで追加します。"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for clause in Clause:
            self.fields[self.clause_field(clause.value)] = forms.ChoiceField(
                label=clause.label,
                choices=[(v, CHECK_LABELS[v]) for v in CHECK_VALUES],
                widget=forms.RadioSelect,
                error_messages={"required": _("確認結果を選んでください。")},
            )

    @staticmethod
    def clause_field(value: str) -> str:
        return f"clause_{value}"

    def clause_rows(self) -> list[tuple[int, Any]]:
        """(number, bound field) for each 特記事項, in the order of 004."""
        return [(n, self[self.clause_field(c.value)]) for n, c in enumerate(Clause, start=1)]

    def checklist(self) -> dict[str, str]:
        return {c.value: self.cleaned_data[self.clause_field(c.value)] for c in Clause}


class ActionForm(core_forms.Form):
    description = forms.CharField(
        label=_("是正措置の内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = _date(_("期限"))


class ActionDoneForm(core_forms.Form):
    done_on = _date(_("完了日"))


class ContractReviewForm(core_forms.Form):
    reviewed_on = _date(_("見直し日"))
    outcome = forms.ChoiceField(
        label=_("結果"), choices=ContractReview.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("所見"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "委託の必要性、取り扱う項目が最小限か、手続（諮問・報告・事前一括承認基準）が今の内容に合っているか、"
            "研修・報告・監査の状況を確認します。"
        ),
    )
    next_review_on = _date(_("次回見直し期限"))


class MonthForm(core_forms.Form):
    """The month whose daily reports are listed (?month=2026-04)."""

    month = core_forms.BoundedDateField(
        label=_("対象月"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def month_start(self, default: dt.date) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"].replace(day=1)
        return default.replace(day=1)
