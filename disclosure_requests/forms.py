"""Forms for the request pages.

Forms only parse input and bound its types and lengths; the rules (what is required for which kind,
the 90-day window, deadlines, reasons) live in ``services``, whose ValidationErrors are put back onto
the form with ``add_service_errors``. Fields the services check for presence are therefore
``required=False`` here, so that one submission reports every problem at once. Each step form on the
detail page has its own prefix, so that several can share the page; its field names are the service's
argument names, so that a service's message lands on the field it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from privacy_admin.core import forms as core_forms
from privacy_admin.core.dates import japanese_active, to_wareki_era_year
from privacy_admin.core.errors import add_service_errors
from privacy_admin.core.forms import date_field

from .models import (
    OUTCOMES_BY_KIND,
    Channel,
    DisclosureExecution,
    Outcome,
    PrivacyRequest,
    RequesterKind,
    RequestKind,
    RequestStatus,
    RuleProfile,
    SuspensionKind,
    WithholdingReason,
)
from .profiles import current_profile
from .services import request_identity_documents

__all__ = ["add_service_errors"]

_TOO_LONG = _("%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。")
_BAD_CHOICE = _("一覧から選んでください。")
_NUL = _("使用できない制御文字（NUL）が含まれています。")
_BLANK = ("", _("選択してください"))


class _CharField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        self.validators.append(ProhibitNullCharactersValidator(message=_NUL))


def _text(
    label: Any, max_length: int, *, rows: int = 0, help_text: Any = "", **attrs: Any
) -> forms.CharField:
    widget: forms.Widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    widget.attrs.update({"autocomplete": "off", **attrs})
    # Generous: the service counts after normalisation and gives the exact message.
    return _CharField(
        label=label,
        required=False,
        max_length=max_length * 2,
        widget=widget,
        help_text=help_text,
        error_messages={"max_length": _TOO_LONG},
    )


def _choice(
    label: Any, choices: Any, *, widget: forms.Widget | None = None, **kwargs: Any
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=widget or forms.Select(),
        error_messages={"invalid_choice": _BAD_CHOICE},
        **kwargs,
    )


def _int(label: Any, *, help_text: Any = "", min_value: int = 0) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=min_value,
        max_value=10_000_000,
        help_text=help_text,
        error_messages={
            "invalid": _("整数で入力してください。"),
            "min_value": _("%(limit_value)s以上の数を入力してください。"),
            "max_value": _("大きすぎる数です。"),
        },
    )


def _length(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length or 200)


def _cite_in_help(form: forms.Form, rules: dict[str, str]) -> None:
    """Append the article of the profile in force (「（法第76条第2項）」) to each field's help text."""
    try:
        citer = current_profile().citer()
    except RuleProfile.DoesNotExist:
        return
    for name, rule in rules.items():
        article = citer.short(rule)
        if article and name in form.fields:
            form.fields[name].help_text = f"{form.fields[name].help_text}（{article}）"


class ReceiveForm(core_forms.Form):
    """開示請求書・訂正請求書・利用停止請求書 (法 第77条・第91条・第99条; 山梨県 要綱 第18条・第31条・第38条).
    Help texts cite the article of the rule profile in force."""

    kind = _choice(_("請求の種類"), RequestKind.choices, widget=forms.RadioSelect())
    received_on = date_field(
        _("受付日"), help_text=_("請求書が届いた日。この日は期間に算入しません（初日不算入）。")
    )
    channel = _choice(_("受付方法"), Channel.choices, widget=forms.RadioSelect())
    requester_kind = _choice(_("請求者"), RequesterKind.choices)
    requester_name = _text(_("請求者氏名"), _length(PrivacyRequest, "requester_name"))
    requester_address = _text(_("請求者住所（又は居所）"), _length(PrivacyRequest, "requester_address"))
    requester_phone = _text(_("請求者電話番号"), _length(PrivacyRequest, "requester_phone"), inputmode="tel")
    principal_name = _text(
        _("本人氏名（代理請求の場合）"),
        _length(PrivacyRequest, "principal_name"),
        help_text=_("法定代理人・任意代理人による請求のときだけ入力します。"),
    )
    representation_document = _text(
        _("代理権を確認した書類"),
        _length(PrivacyRequest, "representation_document"),
        help_text=_("戸籍謄本、登記事項証明書、委任状など。書類の種類だけを記録し、番号は記録しません。"),
        list="representation-documents",
    )
    identity_document_type = _choice(
        _("確認した本人確認書類"),
        [],
        help_text=_("代理請求のときは代理人の書類。種類だけを記録し、書類の番号は記録しません。"),
    )
    information_requested = _text(
        _("請求に係る保有個人情報"),
        _length(PrivacyRequest, "information_requested"),
        rows=4,
        help_text=_("文書の名称など、情報を特定するに足りる事項。"),
    )
    card_number = _text(
        _("利用者番号（任意）"),
        16,
        help_text=_("請求者が利用者であれば入力します。番号は画面のURLには出ません。"),
        inputmode="numeric",
    )
    disclosed_on = date_field(_("開示を受けた日（訂正・利用停止）"))
    based_on_number = _text(_("基となる開示請求の受付番号（任意）"), 32, placeholder=_("R8-開示-0001"))
    correction_content = _text(
        _("訂正を求める内容（訂正請求）"), _length(PrivacyRequest, "correction_content"), rows=3
    )
    suspension_kind = _choice(_("求める措置（利用停止請求）"), [_BLANK, *SuspensionKind.choices])
    reason_for_request = _text(_("請求の理由"), _length(PrivacyRequest, "reason_for_request"), rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["identity_document_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [_BLANK, *request_identity_documents()]
        _cite_in_help(self, {"principal_name": "representative", "information_requested": "disclosure_form"})

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "received_on": data.get("received_on"),
            "channel": data.get("channel") or Channel.COUNTER,
            "requester_kind": data.get("requester_kind") or RequesterKind.SELF,
            "requester_name": data.get("requester_name") or "",
            "requester_address": data.get("requester_address") or "",
            "requester_phone": data.get("requester_phone") or "",
            "principal_name": data.get("principal_name") or "",
            "identity_document_type": data.get("identity_document_type") or "",
            "representation_document": data.get("representation_document") or "",
            "information_requested": data.get("information_requested") or "",
            "card_number": (data.get("card_number") or "").strip() or None,
            "disclosed_on": data.get("disclosed_on"),
            "correction_content": data.get("correction_content") or "",
            "suspension_kind": data.get("suspension_kind") or "",
            "reason_for_request": data.get("reason_for_request") or "",
        }


# --- steps on the detail page ---------------------------------------------------------------------


class AmendmentForm(core_forms.Form):
    prefix = "amend"
    requested_on = date_field(_("補正を求めた日"))
    what_to_fix = _text(_("補正を求める事項"), 1000, rows=3)


class AmendmentCompleteForm(core_forms.Form):
    prefix = "complete"
    completed_on = date_field(_("補正された請求が届いた日"))


class ExtensionForm(core_forms.Form):
    prefix = "extend"
    days = _int(_("延長日数"), min_value=1)
    reason = _text(_("延長の理由"), 1000, rows=2)
    notified_on = date_field(_("延長を通知した日"))


class SpecialExtensionForm(core_forms.Form):
    prefix = "special"
    reason = _text(_("特例を適用する理由"), 1000, rows=2)
    notified_on = date_field(_("特例延長を通知した日"))
    remainder_due_on = date_field(_("残りの部分（訂正・利用停止は決定全体）の決定期限"))


class ConsultationForm(core_forms.Form):
    prefix = "consult"
    third_party_name = _text(_("第三者の氏名・名称"), 100)
    third_party_address = _text(_("第三者の住所"), 120)
    information_concerned = _text(_("照会する情報の内容"), 1000, rows=2)
    sent_on = date_field(_("照会日"))


class OpinionForm(core_forms.Form):
    prefix = "opinion"
    received_on = date_field(_("意見書の受領日"))
    objected = forms.TypedChoiceField(
        label=_("意見の内容"),
        choices=[("false", _("開示に反対しない")), ("true", _("開示に反対する"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect(),
        required=True,
        error_messages={"required": _("意見の内容を選んでください。"), "invalid_choice": _BAD_CHOICE},
    )


class DecisionForm(core_forms.Form):
    prefix = "decide"
    outcome = _choice(_("決定"), [], widget=forms.RadioSelect())
    decided_on = date_field(_("決定日"))
    reasons = forms.MultipleChoiceField(
        label=_("不開示の理由区分"),
        choices=WithholdingReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(),
        error_messages={"invalid_choice": _BAD_CHOICE},
    )
    reason_text = _text(_("理由"), 2000, rows=3)
    reason_lapses_on = date_field(_("理由がなくなる時期（分かる場合）"))
    disclosed_content = _text(_("開示する保有個人情報"), 2000, rows=2)
    is_partial_scope = forms.BooleanField(label=_("相当の部分についての決定（期限の特例）"), required=False)

    def __init__(self, *args: Any, kind: str, special: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = [(o, Outcome(o).label) for o in OUTCOMES_BY_KIND[kind]]
        if kind != RequestKind.DISCLOSURE:
            for name in ("reasons", "disclosed_content", "is_partial_scope"):
                del self.fields[name]
        elif not special:
            del self.fields["is_partial_scope"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "outcome": data.get("outcome") or "",
            "decided_on": data.get("decided_on"),
            "reasons": list(data.get("reasons") or []),
            "reason_text": data.get("reason_text") or "",
            "reason_lapses_on": data.get("reason_lapses_on"),
            "disclosed_content": data.get("disclosed_content") or "",
            "is_partial_scope": bool(data.get("is_partial_scope")),
        }


class DisclosureExecutionForm(core_forms.Form):
    prefix = "disclose"
    method = _choice(_("実施方法"), [_BLANK, *DisclosureExecution.Method.choices])
    method_requested_on = date_field(_("実施方法の申出日"))
    carried_out_on = date_field(_("開示の実施日"))
    fee_yen = _int(_("費用（実費・円）"), help_text=_("実費の範囲内。無料は 0。"))
    fee_basis = _text(_("費用の内訳"), 200, placeholder=_("写し 10枚×10円、郵送料 110円"))


class CorrectionExecutionForm(core_forms.Form):
    prefix = "correct"
    corrected_on = date_field(_("訂正の実施日"))
    what_was_corrected = _text(_("訂正の内容"), 2000, rows=2)
    recipients = _text(
        _("提供先（通知先）"),
        1000,
        rows=2,
        help_text=_("訂正した情報を提供していた先がある場合。"),
    )
    recipients_notified_on = date_field(_("提供先への通知日"))


class SuspensionExecutionForm(core_forms.Form):
    prefix = "suspend"
    carried_out_on = date_field(_("利用停止の実施日"))


class WithdrawForm(core_forms.Form):
    prefix = "withdraw"
    on = date_field(_("取下げの日"))


def step_initial(today: dt.date) -> dict[str, dict[str, Any]]:
    """Today's date in every date field of the step forms (the usual case: recorded the same day)."""
    return {
        "amend": {"requested_on": today},
        "complete": {"completed_on": today},
        "extend": {"notified_on": today},
        "special": {"notified_on": today},
        "consult": {"sent_on": today},
        "opinion": {"received_on": today},
        "decide": {"decided_on": today},
        "disclose": {"carried_out_on": today, "fee_yen": 0},
        "correct": {"corrected_on": today},
        "suspend": {"carried_out_on": today},
        "withdraw": {"on": today},
    }


# --- the list's filter ----------------------------------------------------------------------------


class FilterForm(core_forms.Form):
    kind = _choice(_("種類"), [("", _("すべて")), *RequestKind.choices])
    status = _choice(
        _("状態"),
        [("", _("すべて")), ("open", _("決定待ち（受付・補正中・照会中）")), *RequestStatus.choices],
    )
    year = forms.TypedChoiceField(label=_("受付年"), required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [("", _("すべて")), *((str(y), _year_label(y)) for y in years)]


def _year_label(year: int) -> str:
    era, number = to_wareki_era_year(dt.date(year, 12, 31))
    if not japanese_active():
        return str(year)
    return f"{year}年（{era}{'元' if number == 1 else number}年）"
