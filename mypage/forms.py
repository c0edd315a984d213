"""マイページ forms: labels tied to inputs, Japanese messages, nothing echoed back but the patron's own."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure_requests.models import OnlineApplication, RequestKind, SuspensionKind
from privacy_admin.core import forms as core_forms

from .models import NoticeChannel


class SignInForm(core_forms.Form):
    card_number = forms.CharField(
        label=_("利用者番号"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=_("パスワード"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SearchForm(core_forms.Form):
    q = forms.CharField(label=_("書名"), max_length=100)


class ReserveForm(core_forms.Form):
    item_id = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    pickup = forms.ChoiceField(label=_("受取場所"), choices=())

    def __init__(self, *args: object, places: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["pickup"].choices = places  # type: ignore[attr-defined]


class ContactForm(core_forms.Form):
    phone = forms.CharField(
        label=_("電話番号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("電子メールアドレス"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordChangeForm(core_forms.Form):
    current_password = forms.CharField(
        label=_("現在のパスワード"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password = forms.CharField(
        label=_("新しいパスワード"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class NoticeChannelForm(core_forms.Form):
    channel = forms.ChoiceField(
        label=_("通知の方法"),
        choices=[("", _("図書館におまかせ（メール→電話→はがきの順）")), *NoticeChannel.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class HistoryEnableForm(core_forms.Form):
    password = forms.CharField(
        label=_("パスワード（確認のため）"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    consent = forms.BooleanField(label=_("上の説明を読み、読書記録を残すことに同意します"))


class OnlineRequestForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("請求の種類"), choices=RequestKind.choices, widget=forms.RadioSelect)
    information_requested = forms.CharField(
        label=_("請求に係る保有個人情報（どの情報か）"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    disclosed_on = core_forms.BoundedDateField(
        past=True,
        label=_("開示を受けた日（訂正・利用停止のとき）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    correction_content = forms.CharField(
        label=_("訂正を求める内容（訂正のとき）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    suspension_kind = forms.ChoiceField(
        label=_("求める措置（利用停止のとき）"), choices=[("", "—"), *SuspensionKind.choices], required=False
    )
    reason_for_request = forms.CharField(
        label=_("請求の理由（任意）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    identity_by = forms.ChoiceField(
        label=_("本人確認の方法"), choices=OnlineApplication.IdentityBy.choices, widget=forms.RadioSelect
    )
