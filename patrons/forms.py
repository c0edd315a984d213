"""Forms for the patron pages.

Forms only parse input and bound its types and lengths; the rules (required items, JIS X 0208,
identity documents, 委任状, duplicates) live in the services, whose ValidationErrors are put back
onto the form with :func:`add_service_errors`. Fields the services check for presence are therefore
``required=False`` here, so that one submission reports every problem at once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from privacy_admin.core import forms as core_forms

from . import names, rules, selectors
from .models import CancellationReason, Eligibility, Gender, Patron, PatronCategory
from .services import IdentityEvidence, PatronChanges, ProxyInput, RegistrationInput

# Uploads larger than this are refused before parsing (a school roster of 2,000 rows is ~300 KB).
IMPORT_MAX_BYTES = 2 * 1024 * 1024

_DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
_DATE_INVALID = _(
    "存在しない日付か、形式が正しくありません。YYYY-MM-DD の形で正しい日付を入力してください（例: 2026-04-01）。"
)
_TOO_LONG = _("%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。")
_BAD_CHOICE = _("一覧から選んでください。")
_NUL = _("使用できない制御文字（NUL）が含まれています。")

_BASIS_GROUPS = (
    ("residence", _("本人確認及び居住地（厚木市 要綱第4条1号）")),
    ("work", _("在勤の確認（厚木市 要綱第4条2号）")),
    ("school", _("在学の確認（厚木市 要綱第4条3号）")),
)


class _CharField(forms.CharField):
    """Django's own NUL-byte message reads oddly in Japanese; say what is wrong."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        self.validators.append(ProhibitNullCharactersValidator(message=_NUL))


def _limit(name: str, factor: int = 2) -> int:
    # The service counts characters after normalisation (half-width ｶﾞ becomes ガ), so the form
    # only caps the raw input generously; the exact limit and its message come from the service.
    return int(getattr(Patron._meta.get_field(name), "max_length", None) or 100) * factor


def _text(
    label: Any, name: str, *, widget: forms.Widget | None = None, autocomplete: str = "off", **attrs: Any
) -> forms.CharField:
    field = _CharField(
        label=label,
        required=False,
        max_length=_limit(name),
        widget=widget or forms.TextInput(),
        error_messages={"max_length": _TOO_LONG},
    )
    field.widget.attrs.update({"autocomplete": autocomplete, **attrs})
    return field


def _date(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return core_forms.BoundedDateField(
        label=label,
        required=required,
        input_formats=_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _DATE_INVALID, "required": _("日付を入力してください。")},
        help_text=help_text,
    )


def _doc_label(doc: rules.IdentityDocumentType) -> str:
    label = str(_(doc.label))
    if doc.fresh_months:
        label += str(_("（%(months)d箇月以内）") % {"months": doc.fresh_months})
    if doc.primary_school_or_younger_only:
        label += str(_("（小学生以下のみ）"))
    return label


def applicant_document_choices() -> list[tuple[str, Any]]:
    """Documents that identify an applicant, grouped by what they prove (要綱 第4条).

    The school roster is left out (only the bulk CSV import uses it, 第12条), and so is the
    library card, which identifies a proxy only (第5条2項).
    """
    choices: list[tuple[str, Any]] = [("", _("選択してください"))]
    for basis, group_label in _BASIS_GROUPS:
        docs = [
            (d.code, _doc_label(d))
            for d in rules.DEFAULT_IDENTITY_DOCUMENTS
            if basis in d.bases and not d.bulk_only and d.bases != frozenset({"proxy"})
        ]
        choices.append((str(group_label), docs))
    return choices


def proxy_document_choices() -> list[tuple[str, Any]]:
    docs = [
        (d.code, _doc_label(d))
        for d in rules.DEFAULT_IDENTITY_DOCUMENTS
        if "proxy" in d.bases and not d.bulk_only
    ]
    return [("", _("選択してください")), *docs]


def fresh_document_labels() -> str:
    return str(_("・")).join(str(_(d.label)) for d in rules.DEFAULT_IDENTITY_DOCUMENTS if d.fresh_months)


def category_choices() -> list[tuple[str, str]]:
    return [("", str(_("選択してください"))), *PatronCategory.objects.values_list("code", "name")]


def registration_branch_choices() -> list[tuple[str, str]]:
    return [
        ("", str(_("選択してください"))),
        *selectors.branches_for_registration().values_list("code", "name"),
    ]


def _choice(
    label: Any, choices: Iterable[Any], *, required: bool = False, **kwargs: Any
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        required=required,
        error_messages={"invalid_choice": _BAD_CHOICE, "required": _BAD_CHOICE},
        **kwargs,
    )


def _issued_on_help() -> str:
    return str(
        _("%(docs)s の場合は発行日（郵便物は消印の日付）を入力してください。")
        % {"docs": fresh_document_labels()}
    )


class _IdentityMixin(core_forms.Form):
    id_document_type = _choice(_("確認した本人確認書類"), [])
    id_document_issued_on = _date(_("書類の発行日"))

    def _init_identity(self, *, blank_label: Any = None) -> None:
        field = self.fields["id_document_type"]
        assert isinstance(field, forms.ChoiceField)
        choices = applicant_document_choices()
        if blank_label is not None:
            choices[0] = ("", blank_label)
        field.choices = choices
        self.fields["id_document_issued_on"].help_text = _issued_on_help()

    def identity(self) -> IdentityEvidence | None:
        code = self.cleaned_data.get("id_document_type") or ""
        if not code:
            return None
        return IdentityEvidence(document_type=code, issued_on=self.cleaned_data.get("id_document_issued_on"))


class _PasswordPairMixin(core_forms.Form):
    def _check_pair(self, first: str, second: str) -> None:
        a = self.cleaned_data.get(first) or ""
        b = self.cleaned_data.get(second) or ""
        if (a or b) and a != b:
            self.add_error(second, _("確認用のパスワードが一致しません。"))


def _password(label: Any, *, required: bool = False) -> forms.CharField:
    return _CharField(
        label=label,
        required=required,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"max_length": _TOO_LONG, "required": _("パスワードを入力してください。")},
    )


class RegistrationForm(_IdentityMixin, _PasswordPairMixin, core_forms.Form):
    """新規図書館利用申込 (要綱 第4-8条) including a proxy application (第5条)."""

    family_name = _text(_("氏名（姓）"), "family_name", autofocus=True)
    given_name = _text(_("氏名（名）"), "given_name")
    family_name_kana = _text(_("フリガナ（姓）"), "family_name_kana")
    given_name_kana = _text(_("フリガナ（名）"), "given_name_kana")
    birth_date = _date(_("生年月日"))
    gender = _choice(_("男女の別（任意）"), Gender.choices)
    address = _text(_("住所"), "address")
    phone = _text(_("電話番号"), "phone", widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = _text(_("電子メールアドレス"), "email", widget=forms.EmailInput())
    guardian_name = _text(_("保護者名"), "guardian_name")
    category = _choice(_("利用者区分"), [])
    eligibility = _choice(
        _("登録資格"), Eligibility.choices, widget=forms.RadioSelect, initial=Eligibility.RESIDENCE
    )
    registered_branch = _choice(_("登録館"), [])
    paper_form = forms.BooleanField(
        label=_("紙の申込書を受け付けた（1箇月後に廃棄）"), required=False, initial=True
    )
    password = _password(_("パスワード（任意）"))
    password_confirm = _password(_("パスワード（確認）"))

    is_proxy = forms.BooleanField(label=_("代理人による申請"), required=False)
    proxy_reason = _CharField(
        label=_("代理申請の理由"), required=False, max_length=200, error_messages={"max_length": _TOO_LONG}
    )
    proxy_power_of_attorney = forms.BooleanField(label=_("委任状を受け取った"), required=False)
    proxy_id_document_type = _choice(_("代理人の本人確認書類"), [])
    proxy_id_document_issued_on = _date(_("代理人の書類の発行日"))

    def __init__(self, *args: Any, default_branch: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_identity()
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]
        self.fields["registered_branch"].choices = registration_branch_choices()  # type: ignore[attr-defined]
        self.fields["proxy_id_document_type"].choices = proxy_document_choices()  # type: ignore[attr-defined]
        self.fields["proxy_id_document_issued_on"].help_text = _issued_on_help()
        if default_branch and not self.is_bound:
            self.initial.setdefault("registered_branch", default_branch)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_pair("password", "password_confirm")
        return data

    def to_input(self) -> RegistrationInput:
        d = self.cleaned_data
        proxy = None
        if d.get("is_proxy"):
            code = d.get("proxy_id_document_type") or ""
            proxy = ProxyInput(
                reason=d.get("proxy_reason") or "",
                power_of_attorney_received=bool(d.get("proxy_power_of_attorney")),
                identity=IdentityEvidence(document_type=code, issued_on=d.get("proxy_id_document_issued_on")),
            )
        return RegistrationInput(
            family_name=d.get("family_name") or "",
            given_name=d.get("given_name") or "",
            family_name_kana=d.get("family_name_kana") or "",
            given_name_kana=d.get("given_name_kana") or "",
            birth_date=d.get("birth_date"),
            address=d.get("address") or "",
            category=d.get("category") or "",
            eligibility=d.get("eligibility") or "",
            registered_branch=d.get("registered_branch") or "",
            identity=self.identity(),
            phone=d.get("phone") or "",
            email=d.get("email") or "",
            guardian_name=d.get("guardian_name") or "",
            gender=d.get("gender") or "",
            password=d.get("password") or "",
            proxy=proxy,
            paper_form=bool(d.get("paper_form")),
        )


_CHANGEABLE = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "address",
    "phone",
    "email",
    "guardian_name",
    "category",
)


class PatronChangeForm(_IdentityMixin, core_forms.Form):
    """登録内容変更 (要綱 第10条): only the fields that changed are sent to the service."""

    family_name = _text(_("氏名（姓）"), "family_name")
    given_name = _text(_("氏名（名）"), "given_name")
    family_name_kana = _text(_("フリガナ（姓）"), "family_name_kana")
    given_name_kana = _text(_("フリガナ（名）"), "given_name_kana")
    address = _text(_("住所"), "address")
    phone = _text(_("電話番号"), "phone", widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = _text(_("電子メールアドレス"), "email", widget=forms.EmailInput())
    guardian_name = _text(_("保護者名"), "guardian_name")
    category = _choice(_("利用者区分"), [])

    field_order = [*_CHANGEABLE, "id_document_type", "id_document_issued_on"]

    def __init__(self, *args: Any, patron: Patron, **kwargs: Any) -> None:
        initial = {name: getattr(patron, name) for name in _CHANGEABLE if name != "category"}
        initial["category"] = patron.category.code
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self._init_identity()
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.changes_requested():
            raise ValidationError(_("変更する項目がありません。変更内容を入力してください。"))
        return data

    def changes_requested(self) -> list[str]:
        return [name for name in self.changed_data if name in _CHANGEABLE]

    def to_changes(self) -> PatronChanges:
        values = {name: self.cleaned_data.get(name) or "" for name in self.changes_requested()}
        return PatronChanges(**values)


class RenewForm(_IdentityMixin, core_forms.Form):
    """要綱 第9条: renewal at the counter (a document is checked) or by phone (none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_identity(blank_label=_("確認していない（電話での更新など）"))


class CancelForm(core_forms.Form):
    reason = _choice(_("取消理由"), [("", _("選択してください")), *CancellationReason.choices])
    confirm = forms.BooleanField(
        label=_("この利用者の登録を取り消します。取り消した登録は元に戻せません。"),
        required=True,
        error_messages={"required": _("取り消す前に確認欄にチェックを入れてください。")},
    )


class PasswordSetForm(_IdentityMixin, _PasswordPairMixin, core_forms.Form):
    """要綱 第8条5: a new password set at the counter after an identity check."""

    password = _password(_("新しいパスワード"))
    password_confirm = _password(_("新しいパスワード（確認）"))

    field_order = ["id_document_type", "id_document_issued_on", "password", "password_confirm"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_identity()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_pair("password", "password_confirm")
        return data


def _card_number_field(**attrs: Any) -> forms.CharField:
    field = _CharField(
        label=_("利用者番号"),
        max_length=32,
        error_messages={"required": _("利用者番号を入力してください。"), "max_length": _TOO_LONG},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", **attrs}),
    )
    return field


def _normalise_card(value: str) -> str:
    # Full-width digits typed through an IME are the same number.
    return unicodedata.normalize("NFKC", value).replace(" ", "").strip()


class FindByCardForm(core_forms.Form):
    # Barcode scanners type the number and Enter: focus the field and select what is in it, so the
    # next scan after a miss replaces the old number instead of appending to it (static/js/app.js:
    # no on*= handler, which the Content-Security-Policy would refuse).
    card_number = _card_number_field(autofocus=True, **{"data-select-on-focus": ""})

    def clean_card_number(self) -> str:
        return _normalise_card(self.cleaned_data["card_number"])


class KanaSearchForm(core_forms.Form):
    """要綱 第8条4: a patron without their card is found by フリガナ and 生年月日 at the counter."""

    family_name_kana = _CharField(
        label=_("フリガナ（姓）"),
        max_length=_limit("family_name_kana"),
        error_messages={"required": _("フリガナ（姓）を入力してください。"), "max_length": _TOO_LONG},
    )
    given_name_kana = _CharField(
        label=_("フリガナ（名）"),
        max_length=_limit("given_name_kana"),
        error_messages={"required": _("フリガナ（名）を入力してください。"), "max_length": _TOO_LONG},
    )
    birth_date = _date(_("生年月日"), required=True)

    def clean_family_name_kana(self) -> str:
        return names.normalize_kana(self.cleaned_data["family_name_kana"])

    def clean_given_name_kana(self) -> str:
        return names.normalize_kana(self.cleaned_data["given_name_kana"])


class PublicPasswordResetForm(forms.Form):
    """要綱 第8条3: the patron asks for a reset link with card number and the registered e-mail address."""

    card_number = _card_number_field()
    email = _CharField(
        label=_("登録している電子メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("電子メールアドレスを入力してください。"), "max_length": _TOO_LONG},
    )

    def clean_card_number(self) -> str:
        return _normalise_card(self.cleaned_data["card_number"])


class PasswordResetConfirmForm(_PasswordPairMixin, forms.Form):
    """The page the e-mailed link opens: the new password, twice."""

    password = _password(_("新しいパスワード"), required=True)
    password_confirm = _password(_("新しいパスワード（確認）"), required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_pair("password", "password_confirm")
        return data


class ImportForm(core_forms.Form):
    """要綱 第12条: a school's roster as CSV, registered without application forms."""

    file = forms.FileField(
        label=_("CSVファイル"),
        error_messages={
            "required": _("CSVファイルを選んでください。"),
            "empty": _("ファイルが空です。"),
            "invalid": _("ファイルを受け取れませんでした。もう一度選んでください。"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    registered_branch = _choice(_("登録館"), [], required=True)
    category = _choice(_("利用者区分"), [], required=True)
    dry_run = forms.BooleanField(
        label=_("確認のみ（保存しない）"),
        required=False,
        initial=True,
        help_text=_("まず確認のみで取り込み、エラーがないことを確かめてから保存してください。"),
    )

    def __init__(self, *args: Any, default_branch: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registered_branch"].choices = registration_branch_choices()  # type: ignore[attr-defined]
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]
        if default_branch and not self.is_bound:
            self.initial.setdefault("registered_branch", default_branch)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(
                _("ファイルが大きすぎます（上限%(limit)dMB）。ファイルを分けて取り込んでください。")
                % {"limit": IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
