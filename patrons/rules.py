"""Registration rules of 厚木市立図書館の利用者登録に関する要綱 (seed 001) as pure functions.

Ages, school stage, identity documents, card numbers, renewal and retention dates. No Django.

Identity documents: the system records which *type* of document was seen, never the document's
number. A My Number (個人番号) must never be stored, so nothing here takes a document number.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from privacy_admin.core.dates import format_local_date, japanese_active
from privacy_admin.core.text import mask_card_number

__all__ = [
    "BASES",
    "BASIS_LABELS",
    "DEFAULT_IDENTITY_DOCUMENTS",
    "IDENTITY_DOCUMENTS_BY_CODE",
    "IdentityDocumentType",
    "add_months",
    "add_years",
    "can_renew",
    "deletion_due",
    "identity_document_errors",
    "initial_expiry",
    "is_primary_school_age_or_younger",
    "is_valid_card_number",
    "legal_age",
    "luhn_check_digit",
    "make_card_number",
    "mask_card_number",
    "needs_power_of_attorney",
    "paper_form_destroy_by",
    "renewal_opens_on",
    "renewed_expiry",
]

ADULT_AGE = 18
JUNIOR_HIGH_ENTRY_AGE = 12
FRESHNESS_MONTHS = 6


def _date_ja(d: datetime.date) -> str:
    if not japanese_active():
        return format_local_date(d)
    return f"{d.year}年{d.month}月{d.day}日"


# --- calendar arithmetic -------------------------------------------------------------------


def add_months(d: datetime.date, months: int) -> datetime.date:
    """Calendar-month arithmetic; a day that does not exist in the target month becomes its last
    day (民法 第143条2項: 1/31 + 1箇月 = 2/28 or 2/29)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def add_years(d: datetime.date, years: int) -> datetime.date:
    """Add whole years; 29 February becomes 28 February in a non-leap target year."""
    return add_months(d, 12 * years)


# --- ages ----------------------------------------------------------------------------------


def legal_age(birth_date: datetime.date, on: datetime.date) -> int:
    """Age on ``on`` under 年齢計算ニ関スル法律.

    Age is counted from the day of birth and a year of age is completed at the end of the day
    before the birthday, so a person is treated as the new age on that day (born 2008-04-01 → 18
    on 2026-03-31). Someone born 29 February completes each year at the end of 28 February
    (民法 第143条2項), in leap years too.
    """
    if on < birth_date:
        raise ValueError(f"生年月日（{_date_ja(birth_date)}）が基準日（{_date_ja(on)}）より後です。")
    # The age that ordinary birthday counting gives on the following day.
    if on == datetime.date.max:
        year, month, day = on.year + 1, 1, 1
    else:
        following = on + datetime.timedelta(days=1)
        year, month, day = following.year, following.month, following.day
    return year - birth_date.year - ((month, day) < (birth_date.month, birth_date.day))


def needs_power_of_attorney(*, applicant_birth_date: datetime.date, on: datetime.date) -> bool:
    """要綱 第5条: a proxy application needs a 委任状 when the applicant is 18 or over."""
    return legal_age(applicant_birth_date, on) >= ADULT_AGE


def _school_year_start(on: datetime.date) -> datetime.date:
    year = on.year if (on.month, on.day) >= (4, 1) else on.year - 1
    return datetime.date(year, 4, 1)


def is_primary_school_age_or_younger(birth_date: datetime.date, on: datetime.date) -> bool:
    """True until the child enters junior high school.

    学校教育法 第17条: schooling starts at the first school year (from 1 April) that begins after the
    day the child turned 6, so children born 2 April Y … 1 April Y+1 share a grade. Junior high
    starts 6 years later: on the 1 April by whose eve (31 March) the child has legally turned 12.
    Using the eve matters: a child born 2 April is legally 12 on 1 April already (see
    :func:`legal_age`) but belongs to the younger grade.
    """
    if on < birth_date:
        raise ValueError(f"生年月日（{_date_ja(birth_date)}）が基準日（{_date_ja(on)}）より後です。")
    eve = _school_year_start(on) - datetime.timedelta(days=1)
    if eve < birth_date:
        return True
    return legal_age(birth_date, eve) < JUNIOR_HIGH_ENTRY_AGE


# --- identity documents (要綱 第4条, 第5条2項, 第12条) ---------------------------------------

BASES: frozenset[str] = frozenset({"residence", "work", "school", "proxy"})

BASIS_LABELS: dict[str, str] = {
    "residence": gettext_noop("本人確認及び居住地の確認"),
    "work": gettext_noop("在勤の確認"),
    "school": gettext_noop("在学の確認"),
    "proxy": gettext_noop("代理人の本人確認"),
}

_RESIDENCE = frozenset({"residence", "proxy"})


@dataclass(frozen=True)
class IdentityDocumentType:
    """A kind of document shown at the counter. ``bases`` says what it can establish:
    ``residence`` (本人確認及び居住地), ``work`` (在勤), ``school`` (在学), ``proxy`` (代理人の本人確認)."""

    code: str
    label: str
    bases: frozenset[str]
    fresh_months: int | None = None
    primary_school_or_younger_only: bool = False
    bulk_only: bool = False


DEFAULT_IDENTITY_DOCUMENTS: tuple[IdentityDocumentType, ...] = (
    # 第4条1号 ア–ツ; each also identifies a proxy (第5条2項).
    IdentityDocumentType("drivers_license", gettext_noop("運転免許証"), _RESIDENCE),
    IdentityDocumentType("passport", gettext_noop("パスポート"), _RESIDENCE),
    IdentityDocumentType("health_insurance", gettext_noop("健康保険証"), _RESIDENCE),
    IdentityDocumentType("pension_book", gettext_noop("年金手帳"), _RESIDENCE),
    IdentityDocumentType("juki_card", gettext_noop("住民基本台帳カード（顔写真付）"), _RESIDENCE),
    IdentityDocumentType("special_permanent", gettext_noop("特別永住者証明書"), _RESIDENCE),
    IdentityDocumentType("residence_card", gettext_noop("在留カード"), _RESIDENCE),
    IdentityDocumentType("my_number_card", gettext_noop("個人番号カード"), _RESIDENCE),
    IdentityDocumentType(
        "seal_certificate", gettext_noop("印鑑登録証明書"), _RESIDENCE, fresh_months=FRESHNESS_MONTHS
    ),
    IdentityDocumentType(
        "resident_record", gettext_noop("住民票"), _RESIDENCE, fresh_months=FRESHNESS_MONTHS
    ),
    IdentityDocumentType("elderly_medical", gettext_noop("高齢者医療証"), _RESIDENCE),
    IdentityDocumentType("disability_handbook", gettext_noop("障害者手帳"), _RESIDENCE),
    IdentityDocumentType("driving_history", gettext_noop("運転経歴証明書"), _RESIDENCE),
    IdentityDocumentType("student_id_with_address", gettext_noop("住所の記載がある学生証"), _RESIDENCE),
    IdentityDocumentType(
        "utility_bill",
        gettext_noop("公共料金（電気、ガス、上下水道等）の請求書"),
        _RESIDENCE,
        fresh_months=FRESHNESS_MONTHS,
    ),
    IdentityDocumentType("welfare_certificate", gettext_noop("生活保護受給者証"), _RESIDENCE),
    IdentityDocumentType(
        "postmarked_mail", gettext_noop("消印記載がある郵便物"), _RESIDENCE, fresh_months=FRESHNESS_MONTHS
    ),
    IdentityDocumentType(
        "maternal_handbook", gettext_noop("母子健康手帳"), _RESIDENCE, primary_school_or_younger_only=True
    ),
    # 第4条2号
    IdentityDocumentType("employee_id", gettext_noop("社員証"), frozenset({"work"})),
    IdentityDocumentType("employment_certificate", gettext_noop("在勤証明書等"), frozenset({"work"})),
    # 第4条3号
    IdentityDocumentType("student_id", gettext_noop("学生証"), frozenset({"school"})),
    IdentityDocumentType("enrollment_certificate", gettext_noop("在学証明書等"), frozenset({"school"})),
    # 第5条2項: only the proxy may identify themself with their own library card.
    IdentityDocumentType("library_card", gettext_noop("図書館の利用者登録証"), frozenset({"proxy"})),
    # 第12条: bulk registration by a school needs no application form.
    IdentityDocumentType(
        "school_roster", gettext_noop("学校の名簿（一括登録）"), frozenset({"school"}), bulk_only=True
    ),
)

IDENTITY_DOCUMENTS_BY_CODE: dict[str, IdentityDocumentType] = {d.code: d for d in DEFAULT_IDENTITY_DOCUMENTS}

_BASIS_ORDER = ("residence", "work", "school", "proxy")


def _date_term(doc: IdentityDocumentType) -> str:
    return _("消印の日付") if doc.code == "postmarked_mail" else _("発行日")


def identity_document_errors(
    doc: IdentityDocumentType,
    *,
    basis: str,
    issued_on: datetime.date | None,
    holder_birth_date: datetime.date | None,
    today: datetime.date,
    bulk: bool = False,
) -> list[str]:
    """Return Japanese messages explaining why ``doc`` cannot be accepted (empty when it can).

    ``basis`` is what the document is shown for (one of :data:`BASES`); ``issued_on`` is its issue
    date (the postmark for mail); ``holder_birth_date`` is the birth date of the person it
    identifies. There is deliberately no parameter for a document number.
    """
    if basis not in BASES:
        raise ValueError(f"確認の種類が不正です: {basis!r}（{', '.join(_BASIS_ORDER)} のいずれか）")
    errors: list[str] = []

    if basis not in doc.bases:
        allowed = _("・").join(_(BASIS_LABELS[b]) for b in _BASIS_ORDER if b in doc.bases)
        article = (
            _("厚木市 要綱第5条第2項")
            if basis == "proxy" or doc.bases == {"proxy"}
            else _("厚木市 要綱第4条")
        )
        errors.append(
            _(
                "%(label)sは%(value)sには使用できません（この書類で使用できるのは%(allowed)sです。"
                "%(article)s）。"
            )
            % {"label": _(doc.label), "value": _(BASIS_LABELS[basis]), "allowed": allowed, "article": article}
        )

    if doc.bulk_only and not bulk:
        errors.append(
            _("%(label)sは小中学校等での一括登録にのみ使用できます（厚木市 要綱第12条）。")
            % {"label": _(doc.label)}
        )

    term = _date_term(doc)
    if issued_on is not None and issued_on > today:
        errors.append(
            _(
                "%(label)sの%(term)s（%(issued_on)s）が今日より後の日付になっています。日付を確認してください。"
            )
            % {"label": _(doc.label), "term": term, "issued_on": _date_ja(issued_on)}
        )
    elif issued_on is not None and holder_birth_date is not None and issued_on < holder_birth_date:
        # A document about a person cannot be dated before that person was born.
        errors.append(
            _(
                "%(label)sの%(term)s（%(issued_on)s）が生年月日（%(birth)s）より前になっています。"
                "日付を確認してください。"
            )
            % {
                "label": _(doc.label),
                "term": term,
                "issued_on": _date_ja(issued_on),
                "birth": _date_ja(holder_birth_date),
            }
        )
    elif doc.fresh_months is not None:
        if issued_on is None:
            errors.append(
                _(
                    "%(label)sは%(term)sから%(fresh_months)s箇月以内のものに限ります。%(term)sを入力してください（厚木市 要綱第4条）"
                    "。"
                )
                % {"label": _(doc.label), "term": term, "fresh_months": doc.fresh_months}
            )
        else:
            # 要綱 第4条: 発行日から6箇月以内 — the same calendar day 6 months later is still valid.
            valid_through = add_months(issued_on, doc.fresh_months)
            if today > valid_through:
                errors.append(
                    _(
                        "%(label)sは%(term)sから%(fresh_months)s箇月以内のものに限ります（厚木市 要綱第4条）"
                        "。%(term)sが%(issued_on)sのため、使用できるのは%(valid_through)sまでです。"
                    )
                    % {
                        "label": _(doc.label),
                        "term": term,
                        "fresh_months": doc.fresh_months,
                        "issued_on": _date_ja(issued_on),
                        "valid_through": _date_ja(valid_through),
                    }
                )

    if doc.primary_school_or_younger_only:
        if holder_birth_date is None:
            errors.append(
                _("%(label)sで確認するには、確認する方の生年月日が必要です。") % {"label": _(doc.label)}
            )
        elif holder_birth_date > today:
            errors.append(
                _("生年月日（%(holder_birth_date)s）が今日より後の日付になっています。")
                % {"holder_birth_date": _date_ja(holder_birth_date)}
            )
        elif not is_primary_school_age_or_younger(holder_birth_date, today):
            errors.append(
                _("%(label)sで確認できるのは小学生以下の方に限ります（厚木市 要綱第4条）。")
                % {"label": _(doc.label)}
            )

    return errors


# --- card numbers (要綱 第7条) ----------------------------------------------------------------


def _require_digits(s: str, what: str) -> None:
    if not s or not all("0" <= c <= "9" for c in s):
        raise ValueError(f"{what}は半角数字で指定してください: {s!r}")


def luhn_check_digit(digits: str) -> str:
    """The Luhn (mod 10) check digit to append to ``digits`` (ASCII digits only)."""
    _require_digits(digits, "チェックディジットの計算対象")
    total = 0
    # Double every second digit counting leftwards from the one that will sit next to the check digit.
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def make_card_number(sequence: int, *, prefix: str = "21", length: int = 10) -> str:
    """``prefix`` + zero-padded ``sequence`` + Luhn check digit, ``length`` digits in all."""
    _require_digits(prefix, "登録番号の接頭辞")
    body_length = length - len(prefix) - 1
    if body_length < 1:
        raise ValueError(
            f"登録番号の桁数（{length}）が接頭辞「{prefix}」とチェックディジットに対して短すぎます。"
        )
    if sequence < 0 or len(str(sequence)) > body_length:
        raise ValueError(
            f"連番 {sequence} は{length}桁の登録番号（接頭辞「{prefix}」）に収まりません"
            f"（0〜{10**body_length - 1}）。"
        )
    body = prefix + str(sequence).zfill(body_length)
    return body + luhn_check_digit(body)


def is_valid_card_number(s: str, *, prefix: str = "21", length: int = 10) -> bool:
    """True when ``s`` has exactly ``length`` ASCII digits, starts with ``prefix`` and passes Luhn."""
    if len(s) != length or not s.startswith(prefix) or not all("0" <= c <= "9" for c in s):
        return False
    if length < 2:
        return False
    return luhn_check_digit(s[:-1]) == s[-1]


# --- renewal, expiry, retention (要綱 第2条2項, 第9条) ------------------------------------------


def renewal_opens_on(expires_on: datetime.date, *, days_before: int = 60) -> datetime.date:
    """要綱 第9条: renewal is possible from ``days_before`` days before expiry."""
    return expires_on - datetime.timedelta(days=days_before)


def can_renew(expires_on: datetime.date, today: datetime.date, *, days_before: int = 60) -> bool:
    """要綱 第9条. Also true after expiry: an expired registration is renewable until deleted."""
    return today >= renewal_opens_on(expires_on, days_before=days_before)


def _require_validity(validity_years: int) -> None:
    if validity_years < 1:
        raise ValueError(f"有効期間（年）は1以上で指定してください: {validity_years}")


def initial_expiry(issued_on: datetime.date, *, validity_years: int) -> datetime.date:
    """Expiry of a newly issued card: the issue date plus ``validity_years``."""
    _require_validity(validity_years)
    return add_years(issued_on, validity_years)


def renewed_expiry(expires_on: datetime.date, today: datetime.date, *, validity_years: int) -> datetime.date:
    """New expiry on renewal: from the later of the old expiry and today, plus ``validity_years``.

    Renewing early does not shorten the current period; renewing after expiry starts from today.
    """
    _require_validity(validity_years)
    return add_years(max(expires_on, today), validity_years)


def paper_form_destroy_by(received_on: datetime.date, *, keep_months: int = 1) -> datetime.date:
    """要綱 第2条2項: a paper application is kept 1 month after registration, then destroyed."""
    if keep_months < 0:
        raise ValueError(f"保管期間（月）は0以上で指定してください: {keep_months}")
    return add_months(received_on, keep_months)


def deletion_due(expires_on: datetime.date, today: datetime.date, *, grace_days: int) -> bool:
    """要綱 第9条2項: delete once ``grace_days`` have passed since the registration lapsed.

    The card is valid through ``expires_on``; with ``grace_days=30`` the data is due for deletion
    from the 31st day after ``expires_on``.
    """
    if grace_days < 0:
        raise ValueError(f"削除までの期間（日）は0以上で指定してください: {grace_days}")
    return today > expires_on + datetime.timedelta(days=grace_days)
