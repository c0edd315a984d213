"""Forms of the account pages: the TOTP token, and Django's password change in Japanese."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from privacy_admin.core import forms as core_forms


class TokenForm(core_forms.Form):
    token = forms.CharField(
        label=_("確認コード（6桁）"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
        error_messages={"required": _("認証アプリに表示されている6桁の確認コードを入力してください。")},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "").strip()
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("確認コードは6桁の数字です。"))
        return token
