"""Forms for the incident pages.

Forms only parse input and bound its types; the rules (what is required, what may not be in the future,
the order of the steps) live in the services, whose ValidationErrors are put back onto the form with
``add_service_errors``. Fields are therefore ``required=False`` here so that one submission reports every
problem at once, and each field is named after the service's argument so that a message lands on it.
Each step form on the detail page has its own prefix.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident
from privacy_admin.core import forms as core_forms
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.errors import add_service_errors
from privacy_admin.core.forms import date_field
from register.models import RegisterEntry

__all__ = ["add_service_errors"]

_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"]
_DATETIME_INVALID = _(
    "存在しない日時か、形式が正しくありません。日付と時刻を入力してください（例: 2026-04-01 09:30）。"
)
_BAD_CHOICE = _("一覧から選んでください。")
_BLANK = ("", _("選択してください"))


def _text(label: Any, max_length: int, *, rows: int = 0, help_text: Any = "") -> forms.CharField:
    widget: forms.Widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    widget.attrs["autocomplete"] = "off"
    # Generous: the service counts after normalisation and gives the exact message.
    return forms.CharField(
        label=label, required=False, max_length=max_length * 2, widget=widget, help_text=help_text
    )


def _datetime(label: Any, *, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=_DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _DATETIME_INVALID},
        help_text=help_text,
    )


class IncidentForm(core_forms.Form):
    """The facts of 山梨県 要綱 第48条: 個人情報の項目・内容・数量、発生場所、発生状況, and the first measures."""

    title = _text(_("件名"), 200)
    kind = forms.ChoiceField(
        label=_("種別"),
        choices=[_BLANK, *Incident.Kind.choices],
        required=False,
        error_messages={"invalid_choice": _BAD_CHOICE},
    )
    discovered_at = _datetime(
        _("発覚日時"), help_text=_("図書館が事案を知った日時。すべての期限はこの日から数えます。")
    )
    discovered_by = _text(_("発見者"), 100)
    occurred_at = _datetime(_("発生日時"), help_text=_("分かる場合のみ。"))
    data_items = forms.MultipleChoiceField(
        label=_("個人情報の項目"),
        choices=DataItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(),
        error_messages={"invalid_choice": _BAD_CHOICE},
    )
    other_items = _text(_("その他の項目"), 200, help_text=_("一覧にない項目（例: 紙の申込書の記載事項）。"))
    register_entries = forms.ModelMultipleChoiceField(
        label=_("関係する登録簿の事務"),
        queryset=RegisterEntry.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        error_messages={"invalid_choice": _BAD_CHOICE, "invalid_pk_value": _BAD_CHOICE},
    )
    people_count = forms.IntegerField(
        label=_("本人の数"),
        required=False,
        min_value=1,
        max_value=100_000_000,
        help_text=_(
            "100人を超えると、個人情報保護委員会への報告と本人への通知が必要です（規則第43条第4号）。"
        ),
        error_messages={
            "invalid": _("整数で入力してください。"),
            "min_value": _("本人の数は1以上で入力してください（正確な数が分からないときは見込みの数）。"),
            "max_value": _("1億人以下の数を入力してください。"),
        },
    )
    place = _text(_("発生場所"), 200)
    circumstances = _text(_("発生状況"), 4000, rows=4)
    first_measures = _text(
        _("応急措置"),
        4000,
        rows=3,
        help_text=_("講じた応急措置（回収、削除の依頼、パスワード変更など）。報告書の提出前に記録します。"),
    )

    def __init__(self, *args: Any, incident: Incident | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["register_entries"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # Registered entries, and those the incident already names (an entry may have been abolished since).
        offered = Q(status=RegisterEntry.Status.REGISTERED)
        if incident is not None and incident.pk:
            offered |= Q(incidents=incident)
        field.queryset = RegisterEntry.objects.filter(offered).distinct().order_by("number")

    @classmethod
    def initial_for(cls, incident: Incident) -> dict[str, Any]:
        return {
            "title": incident.title,
            "kind": incident.kind,
            "discovered_at": timezone.localtime(incident.discovered_at),
            "discovered_by": incident.discovered_by,
            "occurred_at": timezone.localtime(incident.occurred_at) if incident.occurred_at else None,
            "data_items": list(incident.data_items),
            "other_items": incident.other_items,
            "register_entries": list(incident.register_entries.all()),
            "people_count": incident.people_count,
            "place": incident.place,
            "circumstances": incident.circumstances,
            "first_measures": incident.first_measures,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data.get("title") or "",
            "kind": data.get("kind") or "",
            "discovered_at": data.get("discovered_at"),
            "discovered_by": data.get("discovered_by") or "",
            "occurred_at": data.get("occurred_at"),
            "data_items": list(data.get("data_items") or []),
            "other_items": data.get("other_items") or "",
            "register_entries": list(data.get("register_entries") or []),
            "people_count": data.get("people_count"),
            "place": data.get("place") or "",
            "circumstances": data.get("circumstances") or "",
            "first_measures": data.get("first_measures") or "",
        }


class BoardReportForm(core_forms.Form):
    prefix = "board"
    reported_at = _datetime(_("第一報の日時"))
    reported_by = _text(_("報告者"), 100, help_text=_("教育委員会へ報告した職員。"))


class WrittenReportForm(core_forms.Form):
    prefix = "written"
    submitted_on = date_field(_("報告書の提出日"))
    cause = _text(_("原因"), 4000, rows=3)
    prevention_plan = _text(_("再発防止策・今後の対処方針"), 4000, rows=4)


class TriggersForm(core_forms.Form):
    """The checklist of 規則 第43条 (第4号, more than 100 people, comes from the number of people)."""

    prefix = "triggers"
    involves_sensitive = forms.BooleanField(
        label=_("要配慮個人情報が含まれる（規則第43条第1号）"), required=False
    )
    financial_harm = forms.BooleanField(
        label=_("不正に利用されることにより財産的被害が生じるおそれがある（第2号）"), required=False
    )
    wrongful_purpose = forms.BooleanField(
        label=_("不正の目的をもって行われたおそれがある（不正アクセス、持ち出し等。第3号）"), required=False
    )


class CommissionFirstForm(core_forms.Form):
    prefix = "first"
    reported_at = _datetime(_("速報の日時"))


class CommissionFinalForm(core_forms.Form):
    prefix = "final"
    reported_on = date_field(_("確報の日"))


class PersonsNotifiedForm(core_forms.Form):
    prefix = "persons"
    notified_on = date_field(_("本人への通知の日"))
    method = _text(_("通知の方法"), 200, help_text=_("例: 個別の電子メール、郵送（文書）、電話"))


class CloseForm(core_forms.Form):
    prefix = "close"
    closed_on = date_field(_("完了日"))


def step_initial(now: dt.datetime) -> dict[str, dict[str, Any]]:
    """Initial values of the step forms: now, today."""
    local = timezone.localtime(now).replace(second=0, microsecond=0)
    day = local.date()
    return {
        "board": {"reported_at": local},
        "written": {"submitted_on": day},
        "first": {"reported_at": local},
        "final": {"reported_on": day},
        "persons": {"notified_on": day},
        "close": {"closed_on": day},
    }
