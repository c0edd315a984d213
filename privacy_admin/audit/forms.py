"""The access-log filter. It is POSTed: a card number never travels in a URL."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from privacy_admin.core import forms as core_forms
from privacy_admin.core import targets
from privacy_admin.core.roles import Role

from .labels import ACTION_GROUP_LABELS, ACTION_LABELS, grouped_action_choices
from .selectors import EventFilters, resolve_actor, resolve_patron_ref

_ACTION_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$")
_MAX_SEQ = 2**63 - 1
_FIRST_DAY = dt.date(2000, 1, 1)
_LAST_DAY = dt.date(2100, 12, 31)
_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]


def _too_long(limit: int) -> dict[str, str]:
    return {"max_length": _("%(limit)s文字以内で入力してください。") % {"limit": limit}}


class AuditLogFilterForm(core_forms.Form):
    actor = forms.CharField(
        label=gettext_lazy("職員"),
        max_length=150,
        required=False,
        error_messages=_too_long(150),
        widget=forms.Select,
    )
    patron = forms.CharField(
        label=gettext_lazy("利用者番号"),
        max_length=20,
        required=False,
        error_messages=_too_long(20),
        help_text=gettext_lazy("削除済みの利用者は「#内部ID」（例: #123）で指定します。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    action = forms.CharField(
        label=gettext_lazy("操作"),
        max_length=64,
        required=False,
        error_messages=_too_long(64),
        help_text=gettext_lazy("分野ごとの「（すべて）」を選ぶと、その分野の操作をまとめて表示します。"),
        widget=forms.Select,
    )
    target = forms.ChoiceField(
        label=gettext_lazy("対象の種類"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("対象の種類を一覧から選んでください。")},
    )
    date_from = core_forms.BoundedDateField(
        label=gettext_lazy("開始日"),
        required=False,
        input_formats=_DATE_FORMATS,
        error_messages={"invalid": gettext_lazy("開始日を正しい日付で入力してください（例: 2026-04-01）。")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = core_forms.BoundedDateField(
        label=gettext_lazy("終了日"),
        required=False,
        input_formats=_DATE_FORMATS,
        error_messages={"invalid": gettext_lazy("終了日を正しい日付で入力してください（例: 2026-04-30）。")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    before_seq = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=_MAX_SEQ,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": gettext_lazy("ページの指定が正しくありません。もう一度検索してください。"),
            "min_value": gettext_lazy("ページの指定が正しくありません。もう一度検索してください。"),
            "max_value": gettext_lazy("ページの指定が正しくありません。もう一度検索してください。"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._actor_id: int | None = None
        self._patron_id: int | None = None
        # The registries are filled at start-up: read them now, not at import.
        everything = [("", _("すべて"))]
        self.fields["actor"].widget.choices = everything + staff_choices()
        self.fields["action"].widget.choices = everything + grouped_action_choices()
        target_field = self.fields["target"]
        assert isinstance(target_field, forms.ChoiceField)
        target_field.choices = everything + targets.kind_choices()

    def clean_actor(self) -> str:
        username: str = self.cleaned_data["actor"].strip()
        if username:
            self._actor_id = resolve_actor(username)
            if self._actor_id is None:
                raise forms.ValidationError(_("この操作者IDのアカウントは見つかりません。"))
        return username

    def clean_patron(self) -> str:
        text = unicodedata.normalize("NFKC", self.cleaned_data["patron"]).strip()
        if text:
            self._patron_id = resolve_patron_ref(text)
            if self._patron_id is None:
                # Never echo the number back in the message: it may end up in screenshots or reports.
                raise forms.ValidationError(
                    _(
                        "この利用者番号の利用者は見つかりません。削除済みの利用者は「#内部ID」（例: #123）で指定してください。"
                    )
                )
        return text

    def clean_action(self) -> str:
        text = unicodedata.normalize("NFKC", self.cleaned_data["action"]).strip()
        # The registry is filled at start-up: read it now, not at import.
        by_label = {label: code for code, label in {**ACTION_LABELS, **ACTION_GROUP_LABELS}.items()}
        text = by_label.get(text, text)
        if text and not _ACTION_CODE.match(text):
            raise forms.ValidationError(
                _("操作コードは英小文字・数字・「_」「.」で入力してください（例: patron.view、patron.）。")
            )
        return text

    def _clean_day(self, name: str) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get(name)
        if day is not None and not (_FIRST_DAY <= day <= _LAST_DAY):
            raise forms.ValidationError(
                _("日付は2000年1月1日から2100年12月31日までの範囲で入力してください。")
            )
        return day

    def clean_date_from(self) -> dt.date | None:
        return self._clean_day("date_from")

    def clean_date_to(self) -> dt.date | None:
        return self._clean_day("date_to")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("終了日は開始日と同じ日か、それより後の日付にしてください。"))
        return cleaned

    def filters(self) -> EventFilters:
        data = self.cleaned_data
        return EventFilters(
            actor_id=self._actor_id,
            patron_id=self._patron_id,
            action=data.get("action", ""),
            target_type=data.get("target", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            before_seq=data.get("before_seq"),
        )


def staff_choices() -> list[tuple[str, str]]:
    """Every staff account that holds or held a role, as (sign-in ID, 「name（ID）」), one query."""
    user_model = get_user_model()
    rows = (
        user_model._default_manager.filter(Q(groups__name__in=Role.values) | Q(is_superuser=True))
        .distinct()
        .order_by("last_name", "first_name", "username")
        .values_list("username", "last_name", "first_name")
    )
    choices = []
    for username, last, first in rows:
        name = f"{last} {first}".strip()
        choices.append((username, f"{name}（{username}）" if name else username))
    return choices


def audit_view_detail(filters: EventFilters) -> dict[str, Any]:
    """What an ``audit.view`` event records about the search: flags and codes, never a card number."""
    return {
        "actor": filters.actor_id is not None,
        "patron": filters.patron_id is not None,
        "action": filters.action,
        "target": filters.target_type,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
        "next_page": filters.before_seq is not None,
    }
