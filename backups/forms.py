"""Forms of the backup-media register page. They only parse; ``services`` validates, so that the page
and the command refuse with the same Japanese messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy_admin.core import forms as core_forms
from privacy_admin.core.errors import add_service_errors
from privacy_admin.core.forms import DATE_FORMATS, DATE_INVALID, date_field

from .models import BackupMedium

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", *DATE_FORMATS]


# A backup medium is at most a petabyte; the column itself would hold 2**63 - 1.
SIZE_BYTES_MAX = 10**15


class MediumRecordForm(core_forms.Form):
    """A medium taken outside ``manage.py backup`` (a tape, a disk carried to another building)."""

    medium = forms.CharField(
        label=_("媒体（ラベル）"),
        max_length=255,
        required=False,
        help_text=_(
            "テープやディスクに書いたラベル、またはファイルの場所。個人名や利用者の情報は書かないでください。"
        ),
    )
    kind = forms.ChoiceField(
        label=_("種類"), choices=[("", "---------"), *BackupMedium.Kind.choices], required=False
    )
    taken_at = forms.DateTimeField(
        label=_("取得日時"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": DATE_INVALID},
    )
    retention_days = forms.IntegerField(
        label=_("保管日数"),
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_("取得日からこの日数が過ぎた日の翌日から「保管期限超過」になります。空欄なら既定の日数。"),
        error_messages={
            "invalid": _("保管日数は整数で入力してください。"),
            "min_value": _("保管日数は0以上で入力してください。"),
            "max_value": _("保管日数は3650日以内で入力してください。"),
        },
    )
    size_bytes = forms.IntegerField(
        label=_("大きさ（バイト）"),
        required=False,
        min_value=0,
        max_value=SIZE_BYTES_MAX,
        error_messages={
            "invalid": _("大きさは0以上の整数で入力してください。"),
            "min_value": _("大きさは0以上の整数で入力してください。"),
            "max_value": _("大きさは1PB（10の15乗バイト）以下で入力してください。"),
        },
    )
    sha256 = forms.CharField(label=_("SHA-256"), max_length=64, required=False)
    recipient_fingerprint = forms.CharField(
        label=_("暗号化に使った公開鍵の指紋"), max_length=255, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["retention_days"].widget.attrs["placeholder"] = str(settings.BACKUP_RETENTION_DAYS)

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        taken_at: dt.datetime | None = data.get("taken_at")
        days = data.get("retention_days")
        retain_until = None
        if taken_at is not None and days is not None:
            retain_until = timezone.localdate(taken_at) + dt.timedelta(days=days)
        return {
            "medium": data.get("medium") or "",
            "kind": data.get("kind") or "",
            "taken_at": taken_at,
            "retain_until": retain_until,
            "size_bytes": data.get("size_bytes"),
            "sha256": data.get("sha256") or "",
            "recipient_fingerprint": data.get("recipient_fingerprint") or "",
        }


class MediumDestroyForm(core_forms.Form):
    destroyed_on = date_field(_("廃棄日"))
    destruction_method = forms.ChoiceField(
        label=_("廃棄の方法"),
        choices=[("", "---------"), *BackupMedium.DestructionMethod.choices],
        required=False,
        help_text=_(
            "テープ・ディスク等は、データを消去したうえで焼却または破壊します（市川市 方針 第5(2)）。"
        ),
    )


# A service's key that the form asks for under another name.
_FIELD_OF = {"retain_until": "retention_days"}


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form: on the field when the form has it, else on top."""
    add_service_errors(form, exc, rename=_FIELD_OF)
