"""Every write to patron data (domain.md §4; 厚木市 要綱 第2-12条; 市川市 方針 第3(4), 第5).

Each service validates with the pure rules in ``patrons.rules`` / ``patrons.names``, raises
``ValidationError`` with Japanese messages keyed by field and changes nothing when input is bad, and
writes its access-log event inside the same transaction as the change.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.dates import format_date, today
from privacy_admin.core.errors import FieldErrors
from privacy_admin.core.text import clean_text

from . import names, rules
from .models import (
    Branch,
    CancellationReason,
    Eligibility,
    Gender,
    IdentityCheck,
    PaperApplicationForm,
    Patron,
    PatronCategory,
    PatronStatus,
    ProxyApplication,
)

logger = logging.getLogger(__name__)

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
        clean.add(key, _("確認した本人確認書類の種類を選んでください（要綱第4条）。"))
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
            _("%(branch)sでは利用登録を受け付けていません（要綱第3条）。") % {"branch": branch.name},
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
            _("在住で登録できるのは次の市町村にお住まいの方です（要綱第4条）: %(list)s")
            % {"list": "、".join(settings.PATRON_ELIGIBLE_MUNICIPALITIES)},
        )
    if data.proxy is not None:
        if not data.proxy.reason.strip():
            clean.add("proxy_reason", _("代理申請の理由を入力してください（要綱第5条）。"))
        elif len(data.proxy.reason.strip()) > 100:
            clean.add("proxy_reason", _("代理申請の理由は100文字以内で入力してください。"))
        adult = birth is not None and rules.needs_power_of_attorney(applicant_birth_date=birth, on=on)
        if adult and not data.proxy.power_of_attorney_received:
            clean.add(
                "proxy_power_of_attorney",
                _("申請者が18歳以上のため、代理申請には委任状が必要です（要綱第5条）。"),
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


def _new_card_number() -> str:
    digits = settings.PATRON_CARD_LENGTH - len(settings.PATRON_CARD_PREFIX) - 1
    for _attempt in range(50):
        candidate = rules.make_card_number(
            secrets.randbelow(10**digits),
            prefix=settings.PATRON_CARD_PREFIX,
            length=settings.PATRON_CARD_LENGTH,
        )
        if not Patron.objects.filter(card_number=candidate).exists():
            return candidate
    raise RuntimeError("card number space exhausted")  # pragma: no cover - 10^7 numbers per prefix


def _duplicate_error() -> ValidationError:
    return ValidationError(
        {
            "__all__": [
                _(
                    "同じ氏名・生年月日・住所の方が既に登録されています。登録証の再交付をご案内してください（要綱第6条1号）。"
                )
            ]
        }
    )


def _record_identity(
    patron: Patron, *, actor: Any, party: str, purpose: str, evidence: IdentityEvidence
) -> None:
    IdentityCheck.objects.create(
        patron=patron,
        party=party,
        purpose=purpose,
        document_type=evidence.document_type,
        document_issued_on=evidence.issued_on,
        checked_by=actor if getattr(actor, "is_authenticated", False) else None,
        checked_at=timezone.now(),
    )


def patron_register(
    *, actor: Any, data: RegistrationInput, on: dt.date | None = None, bulk: bool = False
) -> Patron:
    """Register a patron (要綱 第4-8条) and issue a unique card number.

    Refuses (ValidationError, nothing saved): incomplete or malformed applications, names outside JIS
    X 0208 (第11条, with the standard character suggested), an identity document that does not prove
    the basis or is older than 6 months where that applies (第4条), a proxy application by an adult
    without 委任状 (第5条), and a second active registration of the same person (第6条1号).
    Document numbers are never asked for or stored.
    """
    on = on or today()
    clean, related = _validate_registration(data, on=on, bulk=bulk)
    clean.raise_if_any()
    v = clean.values
    key = names.duplicate_key(
        family_name=v["family_name"],
        given_name=v["given_name"],
        birth_date=v["birth_date"],
        address=v["address"],
    )
    if Patron.objects.filter(duplicate_key=key, status=PatronStatus.ACTIVE).exists():
        raise _duplicate_error()
    assert data.identity is not None  # validated above
    try:
        with transaction.atomic():
            patron = Patron(
                card_number=_new_card_number(),
                family_name=v["family_name"],
                given_name=v["given_name"],
                family_name_kana=v["family_name_kana"],
                given_name_kana=v["given_name_kana"],
                birth_date=v["birth_date"],
                gender=v["gender"],
                address=v["address"],
                phone=v["phone"],
                email=v["email"],
                guardian_name=v["guardian_name"],
                category=related["category"],
                eligibility=v["eligibility"],
                registered_branch=related["registered_branch"],
                registered_on=on,
                expires_on=rules.initial_expiry(on, validity_years=settings.PATRON_VALIDITY_YEARS),
                password=make_password(v["password"]) if v["password"] else "",
                duplicate_key=key,
            )
            patron._change_reason = "registration"  # type: ignore[attr-defined]
            patron.save(force_insert=True)
            _record_identity(
                patron,
                actor=actor,
                party=IdentityCheck.Party.APPLICANT,
                purpose=IdentityCheck.Purpose.REGISTRATION,
                evidence=data.identity,
            )
            if data.proxy is not None:
                ProxyApplication.objects.create(
                    patron=patron,
                    reason=data.proxy.reason.strip(),
                    power_of_attorney_received=data.proxy.power_of_attorney_received,
                )
                _record_identity(
                    patron,
                    actor=actor,
                    party=IdentityCheck.Party.PROXY,
                    purpose=IdentityCheck.Purpose.REGISTRATION,
                    evidence=data.proxy.identity,
                )
            forms = []
            if data.paper_form and not bulk:  # 要綱 第12条: bulk school registration has no forms
                forms.append(PaperApplicationForm.Kind.NEW)
                if data.proxy is not None and data.proxy.power_of_attorney_received:
                    forms.append(PaperApplicationForm.Kind.POWER_OF_ATTORNEY)
            for kind in forms:
                _paper_form_create(patron=patron, kind=kind, branch=related["registered_branch"], on=on)
            _audit_patron(
                actor=actor,
                action="patron.register",
                patron=patron,
                detail={
                    "category": related["category"].code,
                    "eligibility": v["eligibility"],
                    "proxy": data.proxy is not None,
                    "bulk": bulk,
                    "paper_forms": len(forms),
                },
            )
    except IntegrityError as exc:
        # Two counters registering the same person at once: the partial unique index decides.
        if "patron_one_active_registration" in str(exc) or "duplicate_key" in str(exc):
            raise _duplicate_error() from None
        raise
    return patron


def _paper_form_create(*, patron: Patron, kind: str, branch: Branch, on: dt.date) -> PaperApplicationForm:
    return PaperApplicationForm.objects.create(
        patron=patron,
        kind=kind,
        branch=branch,
        received_on=on,
        destroy_by=rules.paper_form_destroy_by(on, keep_months=settings.PATRON_PAPER_FORM_KEEP_MONTHS),
    )


def _audit_patron(*, actor: Any, action: str, patron: Patron, detail: dict[str, Any] | None = None) -> None:
    """An event about one patron: names them by internal id only, never by name or card number."""
    audit_record(
        actor=actor,
        action=action,
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
        detail=detail,
    )


def patron_record_view(*, actor: Any, patron: Patron, what: str = "detail") -> None:
    """Every look at a patron's data leaves a trace (domain §2)."""
    _audit_patron(actor=actor, action="patron.view", patron=patron, detail={"view": what})


def patron_record_search(*, actor: Any, patrons: list[Patron], by: str) -> None:
    """A search shows several patrons' data at once: one event naming who was shown (ids only)."""
    audit_record(
        actor=actor,
        action="patron.search",
        target_type="patron",
        patron_id=patrons[0].pk if len(patrons) == 1 else None,
        detail={"by": by, "results": len(patrons), "patron_ids": [p.pk for p in patrons]},
    )


def patron_update(
    *,
    actor: Any,
    patron: Patron,
    changes: PatronChanges,
    identity: IdentityEvidence | None,
    on: dt.date | None = None,
) -> Patron:
    """登録内容変更 (要綱 第10条): the change is checked against an identity document, like a registration."""
    on = on or today()
    if patron.status != PatronStatus.ACTIVE:
        raise ValidationError({"__all__": [_("取消済みの登録は変更できません。")]})
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
        clean.add("address", _("在住で登録できる市町村の住所ではありません（要綱第4条）。"))
    clean.raise_if_any()
    assert identity is not None
    # Work out the result before touching the caller's instance, so a refusal leaves it unchanged.
    new_values = {k: v for k, v in clean.values.items() if getattr(patron, k) != v}
    merged = {f: new_values.get(f, getattr(patron, f)) for f in ("family_name", "given_name", "address")}
    new_key = names.duplicate_key(birth_date=patron.birth_date, **merged)
    if (
        new_key != patron.duplicate_key
        and Patron.objects.filter(duplicate_key=new_key, status=PatronStatus.ACTIVE)
        .exclude(pk=patron.pk)
        .exists()
    ):
        raise _duplicate_error()
    fields_changed = sorted(new_values)
    if category is not None and category.pk != patron.category_id:
        fields_changed = sorted([*fields_changed, "category"])
    try:
        with transaction.atomic():
            for key, value in new_values.items():
                setattr(patron, key, value)
            if category is not None:
                patron.category = category
            patron.duplicate_key = new_key
            patron._change_reason = "change"  # type: ignore[attr-defined]
            patron.save()
            _record_identity(
                patron,
                actor=actor,
                party=IdentityCheck.Party.APPLICANT,
                purpose=IdentityCheck.Purpose.CHANGE,
                evidence=identity,
            )
            _audit_patron(
                actor=actor, action="patron.update", patron=patron, detail={"fields": fields_changed}
            )
    except IntegrityError as exc:
        patron.refresh_from_db()
        if "patron_one_active_registration" in str(exc) or "duplicate_key" in str(exc):
            raise _duplicate_error() from None
        raise
    return patron


def patron_renew(
    *, actor: Any, patron: Patron, identity: IdentityEvidence | None = None, on: dt.date | None = None
) -> Patron:
    """要綱 第9条: renewal from PATRON_RENEWAL_DAYS_BEFORE days before expiry (also after it, until deletion)."""
    on = on or today()
    if patron.status != PatronStatus.ACTIVE:
        raise ValidationError({"__all__": [_("取消済みの登録は更新できません。新規に登録してください。")]})
    days = settings.PATRON_RENEWAL_DAYS_BEFORE
    if not rules.can_renew(patron.expires_on, on, days_before=days):
        opens = rules.renewal_opens_on(patron.expires_on, days_before=days)
        raise ValidationError(
            {
                "__all__": [
                    _("更新は有効期限の%(days)d日前（%(date)s）から受け付けます（要綱第9条）。")
                    % {"days": days, "date": format_date(opens)}
                ]
            }
        )
    clean = _Clean()
    if identity is not None:
        _clean_identity(
            clean,
            "id_document_type",
            identity,
            basis=patron.eligibility,
            holder_birth_date=patron.birth_date,
            on=on,
            bulk=False,
        )
    clean.raise_if_any()
    with transaction.atomic():
        previous = patron.expires_on
        patron.expires_on = rules.renewed_expiry(previous, on, validity_years=settings.PATRON_VALIDITY_YEARS)
        patron._change_reason = "renewal"  # type: ignore[attr-defined]
        patron.save(update_fields=["expires_on", "updated_at"])
        if identity is not None:
            _record_identity(
                patron,
                actor=actor,
                party=IdentityCheck.Party.APPLICANT,
                purpose=IdentityCheck.Purpose.RENEWAL,
                evidence=identity,
            )
        _audit_patron(
            actor=actor,
            action="patron.renew",
            patron=patron,
            detail={"identity_checked": identity is not None},
        )
    return patron


def patron_cancel(*, actor: Any, patron: Patron, reason: str, on: dt.date | None = None) -> Patron:
    """Cancel a registration (moving away, own request, 要綱 第6条2 revocation).

    The data is erased by ``patrons_purge_cancelled`` as soon as nothing is outstanding (市川市 方針 第3(4)).
    """
    on = on or today()
    if reason not in CancellationReason.values:
        raise ValidationError({"reason": [_("取消理由を一覧から選んでください。")]})
    if patron.status != PatronStatus.ACTIVE:
        raise ValidationError({"__all__": [_("この登録は既に取り消されています。")]})
    with transaction.atomic():
        patron.status = PatronStatus.CANCELLED
        patron.cancelled_on = on
        patron.cancellation_reason = reason
        patron._change_reason = "cancellation"  # type: ignore[attr-defined]
        patron.save(update_fields=["status", "cancelled_on", "cancellation_reason", "updated_at"])
        _audit_patron(actor=actor, action="patron.cancel", patron=patron, detail={"reason": reason})
    return patron


def patron_set_password(
    *,
    actor: Any,
    patron: Patron,
    raw_password: str,
    identity: IdentityEvidence | None,
    on: dt.date | None = None,
) -> None:
    """要綱 第8条5: a forgotten password is replaced at the counter after an identity check."""
    on = on or today()
    clean = _Clean()
    _clean_password(clean, raw_password, card_hint=patron.card_number)
    if not raw_password:
        clean.add("password", _("新しいパスワードを入力してください。"))
    _clean_identity(
        clean,
        "id_document_type",
        identity,
        basis=patron.eligibility,
        holder_birth_date=patron.birth_date,
        on=on,
        bulk=False,
    )
    clean.raise_if_any()
    assert identity is not None
    with transaction.atomic():
        patron.password = make_password(raw_password)
        patron.save(update_fields=["password", "updated_at"])
        _record_identity(
            patron,
            actor=actor,
            party=IdentityCheck.Party.APPLICANT,
            purpose=IdentityCheck.Purpose.PASSWORD,
            evidence=identity,
        )
        _audit_patron(actor=actor, action="patron.password_set", patron=patron)


def patron_password_reset_self_service(*, card_number: str, email: str, new_password: str) -> bool:
    """要綱 第8条3: a patron resets their password only when card number and registered e-mail match.

    Answers only True/False: which of the two did not match is never revealed, and staff never
    disclose a card number or password on inquiry.
    """
    clean = _Clean()
    _clean_password(clean, new_password, card_hint=card_number)
    if clean.errors or not new_password:
        raise ValidationError(
            {"password": clean.errors.get("password") or [_("新しいパスワードを入力してください。")]}
        )
    card = (card_number or "").strip()
    mail = (email or "").strip()
    with transaction.atomic():
        patron = (
            Patron.objects.select_for_update()
            .filter(card_number=card, status=PatronStatus.ACTIVE)
            .exclude(email="")
            .first()
            if is_card_number_shape(card) and mail and "\x00" not in mail and len(mail) <= 254
            else None
        )
        matched = patron is not None and patron.email.casefold() == mail.casefold()
        if patron is None or not matched:
            # Burn comparable time so a timing difference does not say whether the card exists.
            check_password(new_password, make_password(None))
            audit_record(
                actor=None,
                action="patron.password_reset_self",
                target_type="patron",
                outcome=Outcome.FAILURE,
                detail={"matched": False},
            )
            return False
        patron.password = make_password(new_password)
        patron.save(update_fields=["password", "updated_at"])
        _audit_patron(
            actor=None, action="patron.password_reset_self", patron=patron, detail={"matched": True}
        )
    return True


def patron_erase(*, actor: Any, patron: Patron, reason: str) -> bool:
    """Erase a patron for good: the row, identity checks, proxy record and every history row.

    Kept: paper-form records lose their link (the form itself is tracked until shredded); access-log
    events keep the internal id only, as the log is kept AUDIT_RETENTION_YEARS by rule. Returns False,
    changing nothing, when something outstanding (a loan, a damage case) still protects the patron.
    Erasure is hard deletion, not a flag.
    """
    pk = patron.pk
    try:
        with transaction.atomic():
            patron.delete()
            # simple-history wrote a '-' row on delete: remove it and every earlier version too.
            Patron.history.filter(id=pk).delete()
            audit_record(
                actor=actor,
                action="patron.erase",
                target_type="patron",
                target_id=pk,
                patron_id=pk,
                detail={"reason": reason},
            )
    except ProtectedError:
        return False
    return True


def patrons_purge_expired(*, on: dt.date | None = None, batch_size: int = 500) -> int:
    """要綱 第9条2: delete registrations expired longer ago than PATRON_DELETE_AFTER_EXPIRY_DAYS. Idempotent."""
    on = on or today()
    cutoff = on - dt.timedelta(days=settings.PATRON_DELETE_AFTER_EXPIRY_DAYS)
    return _purge(Patron.objects.filter(expires_on__lt=cutoff), reason="expired", batch_size=batch_size)


def patrons_purge_cancelled(*, batch_size: int = 500) -> int:
    """市川市 方針 第3(4): cancelled registrations are erased once nothing is outstanding. Idempotent."""
    return _purge(
        Patron.objects.filter(status=PatronStatus.CANCELLED), reason="cancelled", batch_size=batch_size
    )


def _purge(qs: Any, *, reason: str, batch_size: int) -> int:
    erased = 0
    last_pk = 0
    while True:
        batch = list(qs.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk  # read before erasing: a deleted instance's pk is None
        for patron in batch:
            if patron_erase(actor=None, patron=patron, reason=reason):
                erased += 1
    logger.info("patrons purged: reason=%s count=%d", reason, erased)
    return erased


def paper_form_confirm_destroyed(
    *, actor: Any, form: PaperApplicationForm, on: dt.date | None = None
) -> None:
    """市川市 方針 第5(1): record that a paper form was shredded, and who confirmed it."""
    on = on or today()
    if form.destroyed_on is not None:
        raise ValidationError({"__all__": [_("この申請書は既に廃棄済みとして記録されています。")]})
    if on < form.received_on:
        raise ValidationError({"__all__": [_("廃棄日が受付日より前になっています。")]})
    with transaction.atomic():
        form.destroyed_on = on
        form.destroyed_confirmed_by = actor
        form.save(update_fields=["destroyed_on", "destroyed_confirmed_by"])
        audit_record(
            actor=actor,
            action="paper_form.destroyed",
            target_type="paper_form",
            target_id=form.pk,
            detail={"kind": form.kind},
        )


def paper_forms_overdue(*, on: dt.date | None = None) -> Any:
    on = on or today()
    return PaperApplicationForm.objects.filter(destroyed_on__isnull=True, destroy_by__lt=on)


def paper_forms_remind(*, on: dt.date | None = None) -> int:
    """Remind each branch's staff of paper forms past their destroy-by date (要綱 第2条2).

    The e-mail gives counts and a link only, never a name. Idempotent per day: a form is counted in at
    most one reminder a day. Returns the number of forms reminded about.
    """
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail

    from privacy_admin.core.roles import Role

    on = on or today()
    pending = paper_forms_overdue(on=on).exclude(last_reminded_on=on)
    by_branch: dict[int, list[int]] = {}
    for form_id, branch_id in pending.values_list("pk", "branch_id"):
        by_branch.setdefault(branch_id, []).append(form_id)
    total = 0
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    for branch_id, form_ids in by_branch.items():
        branch = Branch.objects.get(pk=branch_id)
        recipients = list(
            users.filter(
                groups__name__in=[Role.ADMINISTRATOR, Role.COUNTER], staff_profile__branch_id=branch_id
            )
            .values_list("email", flat=True)
            .distinct()
        ) or list(users.filter(groups__name=Role.ADMINISTRATOR).values_list("email", flat=True).distinct())
        with transaction.atomic():
            PaperApplicationForm.objects.filter(pk__in=form_ids).update(last_reminded_on=on)
            audit_record(
                actor=None,
                action="paper_form.reminder",
                target_type="branch",
                target_id=branch.code,
                branch_code=branch.code,
                detail={"count": len(form_ids)},
            )
            if recipients:
                subject = _("【要対応】廃棄期限を過ぎた申請書が%(count)d件あります（%(branch)s）") % {
                    "count": len(form_ids),
                    "branch": branch.name,
                }
                body = _(
                    "%(branch)sで、廃棄期限（受付から%(months)dか月）を過ぎた紙の申請書が%(count)d件あります。\n"
                    "シュレッダーで裁断し、システムの「紙の申請書」画面で廃棄を記録してください。"
                ) % {
                    "branch": branch.name,
                    "months": settings.PATRON_PAPER_FORM_KEEP_MONTHS,
                    "count": len(form_ids),
                }
                transaction.on_commit(
                    functools.partial(send_mail, subject, body, None, recipients, fail_silently=False)
                )
        total += len(form_ids)
    logger.info("paper form reminders: branches=%d forms=%d", len(by_branch), total)
    return total
