"""The access-log filter. It is POSTed: a card number never travels in a URL."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django import forms

from .labels import ACTION_GROUP_LABELS, ACTION_LABELS
from .selectors import EventFilters, resolve_actor, resolve_patron_ref

_ACTION_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$")
_MAX_SEQ = 2**63 - 1
_FIRST_DAY = dt.date(2000, 1, 1)
_LAST_DAY = dt.date(2100, 12, 31)
_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]


def _too_long(limit: int) -> dict[str, str]:
    return {"max_length": f"{limit}文字以内で入力してください。"}


class AuditLogFilterForm(forms.Form):
    actor = forms.CharField(
        label="操作者ID",
        max_length=150,
        required=False,
        error_messages=_too_long(150),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    patron = forms.CharField(
        label="利用者番号",
        max_length=20,
        required=False,
        error_messages=_too_long(20),
        help_text="削除済みの利用者は「#内部ID」（例: #123）で指定します。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    action = forms.CharField(
        label="操作",
        max_length=64,
        required=False,
        error_messages=_too_long(64),
        help_text="操作コード（例: patron.view）。「patron.」のように「.」で終えると前方一致です。",
        widget=forms.TextInput(attrs={"list": "audit-action-codes", "autocomplete": "off"}),
    )
    date_from = forms.DateField(
        label="開始日",
        required=False,
        input_formats=_DATE_FORMATS,
        error_messages={"invalid": "開始日を正しい日付で入力してください（例: 2026-04-01）。"},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="終了日",
        required=False,
        input_formats=_DATE_FORMATS,
        error_messages={"invalid": "終了日を正しい日付で入力してください（例: 2026-04-30）。"},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    before_seq = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=_MAX_SEQ,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "ページの指定が正しくありません。もう一度検索してください。",
            "min_value": "ページの指定が正しくありません。もう一度検索してください。",
            "max_value": "ページの指定が正しくありません。もう一度検索してください。",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._actor_id: int | None = None
        self._patron_id: int | None = None

    def clean_actor(self) -> str:
        username: str = self.cleaned_data["actor"].strip()
        if username:
            self._actor_id = resolve_actor(username)
            if self._actor_id is None:
                raise forms.ValidationError("この操作者IDのアカウントは見つかりません。")
        return username

    def clean_patron(self) -> str:
        text = unicodedata.normalize("NFKC", self.cleaned_data["patron"]).strip()
        if text:
            self._patron_id = resolve_patron_ref(text)
            if self._patron_id is None:
                # Never echo the number back in the message: it may end up in screenshots or reports.
                raise forms.ValidationError(
                    "この利用者番号の利用者は見つかりません。削除済みの利用者は「#内部ID」（例: #123）で指定してください。"
                )
        return text

    def clean_action(self) -> str:
        text = unicodedata.normalize("NFKC", self.cleaned_data["action"]).strip()
        # The registry is filled at start-up: read it now, not at import.
        by_label = {label: code for code, label in {**ACTION_LABELS, **ACTION_GROUP_LABELS}.items()}
        text = by_label.get(text, text)
        if text and not _ACTION_CODE.match(text):
            raise forms.ValidationError(
                "操作コードは英小文字・数字・「_」「.」で入力してください（例: patron.view、patron.）。"
            )
        return text

    def _clean_day(self, name: str) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get(name)
        if day is not None and not (_FIRST_DAY <= day <= _LAST_DAY):
            raise forms.ValidationError("日付は2000年1月1日から2100年12月31日までの範囲で入力してください。")
        return day

    def clean_date_from(self) -> dt.date | None:
        return self._clean_day("date_from")

    def clean_date_to(self) -> dt.date | None:
        return self._clean_day("date_to")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "終了日は開始日と同じ日か、それより後の日付にしてください。")
        return cleaned

    def filters(self) -> EventFilters:
        data = self.cleaned_data
        return EventFilters(
            actor_id=self._actor_id,
            patron_id=self._patron_id,
            action=data.get("action", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            before_seq=data.get("before_seq"),
        )


def audit_view_detail(filters: EventFilters) -> dict[str, Any]:
    """What an ``audit.view`` event records about the search: flags and codes, never a card number."""
    return {
        "actor": filters.actor_id is not None,
        "patron": filters.patron_id is not None,
        "action": filters.action,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
        "next_page": filters.before_seq is not None,
    }
