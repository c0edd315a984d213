"""Validating patron input for registration and changes (要綱 第4-6条, 第10条, 第11条).

Pure checks against ``patrons.rules`` / ``patrons.names`` and the master data: they collect Japanese
messages keyed by field and never write. The services in this package raise them and change nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from privacy_admin.core.errors import FieldErrors
from privacy_admin.core.passwords import password_weakness
from privacy_admin.core.text import clean_text

from .. import names, rules
from ..models import Branch, Eligibility, Gender, Patron, PatronCategory

Errors = dict[str, list[str]]


@dataclass
class IdentityEvidence:
    """The identity document that was seen — its type and, for 6-month documents, its issue date."""

    document_type: str
    issued_on: dt.date | None = None


@dataclass
class ProxyInput:
    reason: str
    power_of_attorney_received: bool
    identity: IdentityEvidence


@dataclass
class RegistrationInput:
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: dt.date | None
    address: str
    category: str
    eligibility: str
    registered_branch: str
    identity: IdentityEvidence | None
    phone: str = ""
    email: str = ""
    guardian_name: str = ""
    gender: str = ""
    password: str = ""
    proxy: ProxyInput | None = None
    paper_form: bool = True


@dataclass
class PatronChanges:
    """Fields of 登録内容変更 (要綱 第10条); None leaves a field as it is."""

    family_name: str | None = None
    given_name: str | None = None
    family_name_kana: str | None = None
    given_name_kana: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    guardian_name: str | None = None
    category: str | None = None


class _Clean(FieldErrors):
    """The cleaned values beside the messages."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, Any] = {}


_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_CARD = re.compile(r"^[0-9]{4,16}$")


def is_code(value: object) -> bool:
    """A master-data code (branch, category, document type): checked before it reaches a query."""
    return isinstance(value, str) and bool(_CODE.match(value))


def is_card_number_shape(value: object) -> bool:
    return isinstance(value, str) and bool(_CARD.match(value))


def _field(name: str) -> Any:
    return Patron._meta.get_field(name)


def _max_length(name: str) -> int:
    return int(getattr(_field(name), "max_length", 0) or 0)


def _label(name: str) -> str:
    return str(getattr(_field(name), "verbose_name", name))


def identity_documents() -> dict[str, rules.IdentityDocumentType]:
    return {doc.code: doc for doc in rules.DEFAULT_IDENTITY_DOCUMENTS}


def _clean_text(clean: _Clean, key: str, raw: str | None, *, required: bool, kind: str = "text") -> None:
    value = (raw or "").strip()
    if kind == "name":
        value = names.normalize_name(value)
    elif kind == "kana":
        value = names.normalize_kana(value)
    label = _label(key)
    # Names are normalised by ``names`` (NFC after kana folding); other text keeps its code points.
    value = clean_text(clean, key, value, label=label, required=required, limit=_max_length(key), nfc=False)
    if value and kind == "name":
        for message in names.name_errors(value, field_label=label):
            clean.add(key, message)
    elif value and kind == "kana":
        for message in names.kana_errors(value):
            clean.add(key, f"{label}: {message}")
    clean.values[key] = value


def _clean_phone(clean: _Clean, raw: str | None) -> None:
    value = names.normalize_name(raw or "").replace(" ", "")
    value = value.translate(str.maketrans("０１２３４５６７８９－ー−", "0123456789---"))
    if value:
        digits = value.replace("-", "")
        if not digits.isdigit() or not 10 <= len(digits) <= 11 or not digits.startswith("0"):
            clean.add(
                "phone",
                _("電話番号は0から始まる10桁または11桁の数字で入力してください（例: 046-223-0033）。"),
            )
        elif len(value) > _max_length("phone"):
            clean.add("phone", _("電話番号が長すぎます。"))
    clean.values["phone"] = value


def _clean_email(clean: _Clean, raw: str | None) -> None:
    value = (raw or "").strip()
    if value:
        try:
            EmailValidator()(value)
        except ValidationError:
            clean.add("email", _("電子メールアドレスの形式が正しくありません。"))
        if len(value) > _max_length("email"):
            clean.add("email", _("電子メールアドレスが長すぎます。"))
    clean.values["email"] = value


def _clean_birth_date(clean: _Clean, value: dt.date | None, *, on: dt.date) -> None:
    if value is None:
        clean.add("birth_date", _("生年月日を正しい日付で入力してください。"))
    elif value > on:
        clean.add("birth_date", _("生年月日に未来の日付は指定できません。"))
    elif value < dt.date(1900, 1, 1):
        clean.add("birth_date", _("生年月日が古すぎます。入力を確認してください。"))
    clean.values["birth_date"] = value


def _clean_identity(
    clean: _Clean,
    key: str,
    evidence: IdentityEvidence | None,
    *,
    basis: str,
    holder_birth_date: dt.date | None,
    on: dt.date,
    bulk: bool,
) -> rules.IdentityDocumentType | None:
    if evidence is None or not evidence.document_type:
        clean.add(key, _("確認した本人確認書類の種類を選んでください（厚木市 要綱第4条）。"))
        return None
    doc = identity_documents().get(evidence.document_type)
    if doc is None:
        clean.add(key, _("本人確認書類の種類が正しくありません。一覧から選んでください。"))
        return None
    for message in rules.identity_document_errors(
        doc,
        basis=basis,
        issued_on=evidence.issued_on,
        holder_birth_date=holder_birth_date,
        today=on,
        bulk=bulk,
    ):
        clean.add(key, message)
    return doc


def _clean_password(clean: _Clean, raw: str, *, card_hint: str = "") -> None:
    if not raw:
        clean.values["password"] = ""
        return
    if not 6 <= len(raw) <= 64:
        clean.add("password", _("パスワードは6文字以上64文字以内で指定してください。"))
    elif raw.isdigit() and len(set(raw)) == 1:
        clean.add("password", _("同じ数字だけのパスワードは使用できません。"))
    elif card_hint and raw == card_hint:
        clean.add("password", _("利用者番号と同じパスワードは使用できません。"))
    else:
        # The same strength rule as staff passwords (whitespace-only, repeated, keyboard walks).
        weakness = password_weakness(
            raw,
            min_score=int(getattr(settings, "PATRON_PASSWORD_MIN_STRENGTH", 2)),
            user_inputs=[card_hint] if card_hint else None,
        )
        if weakness:
            clean.add("password", weakness)
    clean.values["password"] = raw


def _clean_choice(clean: _Clean, key: str, raw: str, choices: Iterable[str], message: str) -> None:
    if raw not in set(choices):
        clean.add(key, message)
    clean.values[key] = raw


def _eligible_address(address: str) -> bool:
    folded = names.normalize_address(address)
    return any(names.normalize_address(m) in folded for m in settings.PATRON_ELIGIBLE_MUNICIPALITIES)


def _validate_registration(
    data: RegistrationInput, *, on: dt.date, bulk: bool
) -> tuple[_Clean, dict[str, Any]]:
    clean = _Clean()
    _clean_text(clean, "family_name", data.family_name, required=True, kind="name")
    _clean_text(clean, "given_name", data.given_name, required=True, kind="name")
    _clean_text(clean, "family_name_kana", data.family_name_kana, required=True, kind="kana")
    _clean_text(clean, "given_name_kana", data.given_name_kana, required=True, kind="kana")
    _clean_text(clean, "address", data.address, required=True)
    _clean_text(clean, "guardian_name", data.guardian_name, required=False, kind="name")
    _clean_birth_date(clean, data.birth_date, on=on)
    _clean_phone(clean, data.phone)
    _clean_email(clean, data.email)
    _clean_password(clean, data.password)
    _clean_choice(clean, "gender", data.gender or "", Gender.values, _("男女の別の値が正しくありません。"))
    _clean_choice(
        clean,
        "eligibility",
        data.eligibility,
        Eligibility.values,
        _("登録資格（在住・在勤・在学）を選んでください。"),
    )
    related: dict[str, Any] = {}
    related["category"] = (
        PatronCategory.objects.filter(code=data.category).first() if is_code(data.category) else None
    )
    if related["category"] is None:
        clean.add("category", _("利用者区分を一覧から選んでください。"))
    branch = (
        Branch.objects.filter(code=data.registered_branch, is_active=True).first()
        if is_code(data.registered_branch)
        else None
    )
    if branch is None:
        clean.add("registered_branch", _("登録館を一覧から選んでください。"))
    elif not branch.accepts_registration:
        clean.add(
            "registered_branch",
            _("%(branch)sでは利用登録を受け付けていません（厚木市 要綱第3条）。") % {"branch": branch.name},
        )
    related["registered_branch"] = branch

    birth = clean.values.get("birth_date") if "birth_date" not in clean.errors else None
    basis = data.eligibility if data.eligibility in Eligibility.values else Eligibility.RESIDENCE
    related["identity_doc"] = _clean_identity(
        clean, "id_document_type", data.identity, basis=basis, holder_birth_date=birth, on=on, bulk=bulk
    )
    if (
        data.eligibility == Eligibility.RESIDENCE
        and clean.values.get("address")
        and not _eligible_address(clean.values["address"])
    ):
        clean.add(
            "address",
            _("在住で登録できるのは次の市町村にお住まいの方です（厚木市 要綱第4条）: %(list)s")
            % {"list": "、".join(settings.PATRON_ELIGIBLE_MUNICIPALITIES)},
        )
    if data.proxy is not None:
        if not data.proxy.reason.strip():
            clean.add("proxy_reason", _("代理申請の理由を入力してください（厚木市 要綱第5条）。"))
        elif len(data.proxy.reason.strip()) > 100:
            clean.add("proxy_reason", _("代理申請の理由は100文字以内で入力してください。"))
        adult = birth is not None and rules.needs_power_of_attorney(applicant_birth_date=birth, on=on)
        if adult and not data.proxy.power_of_attorney_received:
            clean.add(
                "proxy_power_of_attorney",
                _("申請者が18歳以上のため、代理申請には委任状が必要です（厚木市 要綱第5条）。"),
            )
        _clean_identity(
            clean,
            "proxy_id_document_type",
            data.proxy.identity,
            basis="proxy",
            holder_birth_date=None,
            on=on,
            bulk=False,
        )
    return clean, related


def _duplicate_error() -> ValidationError:
    return ValidationError(
        {
            "__all__": [
                _(
                    "同じ氏名・生年月日・住所の方が既に登録されています。登録証の再交付をご案内してください（厚木市 要綱第6条1号）。"
                )
            ]
        }
    )


def _validate_changes(
    patron: Patron, changes: PatronChanges, identity: IdentityEvidence | None, *, on: dt.date
) -> tuple[_Clean, PatronCategory | None]:
    """Check 登録内容変更 input (要綱 第10条) the way a registration is checked; the caller raises."""
    clean = _Clean()
    kinds = {
        "family_name": "name",
        "given_name": "name",
        "family_name_kana": "kana",
        "given_name_kana": "kana",
        "guardian_name": "name",
        "address": "text",
    }
    for key, kind in kinds.items():
        raw = getattr(changes, key)
        if raw is not None:
            _clean_text(clean, key, raw, required=key != "guardian_name", kind=kind)
    if changes.phone is not None:
        _clean_phone(clean, changes.phone)
    if changes.email is not None:
        _clean_email(clean, changes.email)
    category = None
    if changes.category is not None:
        category = (
            PatronCategory.objects.filter(code=changes.category).first()
            if is_code(changes.category)
            else None
        )
        if category is None:
            clean.add("category", _("利用者区分を一覧から選んでください。"))
    _clean_identity(
        clean,
        "id_document_type",
        identity,
        basis=patron.eligibility,
        holder_birth_date=patron.birth_date,
        on=on,
        bulk=False,
    )
    if (
        patron.eligibility == Eligibility.RESIDENCE
        and clean.values.get("address")
        and not _eligible_address(clean.values["address"])
    ):
        clean.add("address", _("在住で登録できる市町村の住所ではありません（厚木市 要綱第4条）。"))
    return clean, category
