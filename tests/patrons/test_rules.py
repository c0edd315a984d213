"""patrons.rules: ages, identity documents, card numbers and dates of 要綱 (seed 001)."""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import inspect

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from patrons.rules import (
    BASES,
    DEFAULT_IDENTITY_DOCUMENTS,
    IDENTITY_DOCUMENTS_BY_CODE,
    IdentityDocumentType,
    add_months,
    add_years,
    can_renew,
    deletion_due,
    identity_document_errors,
    initial_expiry,
    is_primary_school_age_or_younger,
    is_valid_card_number,
    legal_age,
    luhn_check_digit,
    make_card_number,
    mask_card_number,
    needs_power_of_attorney,
    paper_form_destroy_by,
    renewal_opens_on,
    renewed_expiry,
)

D = datetime.date
TODAY = D(2026, 11, 21)
ADULT_BIRTH = D(1980, 5, 5)
DATES = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))


def doc(code: str) -> IdentityDocumentType:
    return IDENTITY_DOCUMENTS_BY_CODE[code]


# --- legal_age -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (D(2008, 4, 1), D(2026, 3, 30), 17),
        (D(2008, 4, 1), D(2026, 3, 31), 18),  # a year is completed at the end of the eve of the birthday
        (D(2008, 4, 1), D(2026, 4, 1), 18),
        (D(2008, 4, 2), D(2026, 3, 31), 17),
        (D(2008, 4, 2), D(2026, 4, 1), 18),
        (D(2000, 1, 1), D(2017, 12, 30), 17),
        (D(2000, 1, 1), D(2017, 12, 31), 18),  # the eve falls in the previous calendar year
        (D(2008, 2, 29), D(2026, 2, 27), 17),
        (D(2008, 2, 29), D(2026, 2, 28), 18),  # no 29 Feb in 2026: completed at the end of the month
        (D(2008, 2, 29), D(2028, 2, 27), 19),
        (D(2008, 2, 29), D(2028, 2, 28), 20),  # the eve of 29 Feb in a leap year
        (D(2008, 3, 1), D(2027, 2, 27), 18),
        (D(2008, 3, 1), D(2027, 2, 28), 19),
        (D(2008, 3, 1), D(2028, 2, 28), 19),
        (D(2008, 3, 1), D(2028, 2, 29), 20),
        (D(2026, 11, 21), D(2026, 11, 21), 0),
        (D(1, 1, 1), D.max, 9999),
    ],
)
def test_legal_age_worked_examples(birth: D, on: D, age: int) -> None:
    assert legal_age(birth, on) == age


def test_legal_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="生年月日"):
        legal_age(D(2026, 11, 22), D(2026, 11, 21))


def _completion_day(birth: D, years: int) -> D:
    """民法 第143条: the day before the corresponding day, or the month's last day if there is none."""
    year = birth.year + years
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        return D(year, 2, 28)
    return D(year, birth.month, birth.day) - datetime.timedelta(days=1)


@given(birth=DATES, on=DATES)
def test_legal_age_counts_completed_years_per_the_civil_code(birth: D, on: D) -> None:
    assume(birth <= on)
    expected = sum(1 for n in range(1, on.year - birth.year + 2) if _completion_day(birth, n) <= on)
    assert legal_age(birth, on) == expected


@given(birth=DATES, on=DATES)
def test_legal_age_never_decreases_and_grows_by_at_most_one_a_day(birth: D, on: D) -> None:
    assume(birth <= on < D(2200, 12, 31))
    today = legal_age(birth, on)
    tomorrow = legal_age(birth, on + datetime.timedelta(days=1))
    assert tomorrow - today in (0, 1)


# --- 委任状 (第5条) ------------------------------------------------------------------------


def test_proxy_application_for_a_17_year_old_needs_no_power_of_attorney() -> None:
    assert not needs_power_of_attorney(applicant_birth_date=D(2008, 4, 1), on=D(2026, 3, 30))


def test_proxy_application_for_an_18_year_old_needs_a_power_of_attorney() -> None:
    assert needs_power_of_attorney(applicant_birth_date=D(2008, 4, 1), on=D(2026, 3, 31))
    assert needs_power_of_attorney(applicant_birth_date=D(1950, 6, 1), on=TODAY)


# --- primary school age --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        # born 1 April: the older grade, junior high from 1 April of the year they turn 12
        (D(2014, 4, 1), D(2026, 3, 31), True),
        (D(2014, 4, 1), D(2026, 4, 1), False),
        # born 2 April: one grade younger, although legally 12 already on 1 April 2026
        (D(2014, 4, 2), D(2026, 4, 1), True),
        (D(2014, 4, 2), D(2027, 3, 31), True),
        (D(2014, 4, 2), D(2027, 4, 1), False),
        # the rest of the same grade as 2 April 2014
        (D(2015, 4, 1), D(2027, 3, 31), True),
        (D(2015, 4, 1), D(2027, 4, 1), False),
        (D(2014, 12, 31), D(2027, 4, 1), False),
        # young children and adults
        (D(2026, 11, 1), TODAY, True),
        (D(2020, 5, 5), TODAY, True),
        (D(1990, 1, 1), TODAY, False),
    ],
)
def test_primary_school_age_follows_the_japanese_school_year(birth: D, on: D, expected: bool) -> None:
    assert is_primary_school_age_or_younger(birth, on) is expected


def test_primary_school_check_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="生年月日"):
        is_primary_school_age_or_younger(D(2027, 1, 1), TODAY)


@given(birth=st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
def test_children_born_2_april_to_1_april_enter_junior_high_on_the_same_day(birth: D) -> None:
    # First year of the grade (born 2 April Y … 1 April Y+1) starts primary school on 1 April Y+7.
    grade_year = birth.year if (birth.month, birth.day) >= (4, 2) else birth.year - 1
    junior_high = D(grade_year + 13, 4, 1)
    assert is_primary_school_age_or_younger(birth, junior_high - datetime.timedelta(days=1))
    assert not is_primary_school_age_or_younger(birth, junior_high)


@given(birth=st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)), on=DATES)
def test_once_past_primary_school_always_past(birth: D, on: D) -> None:
    assume(birth <= on)
    if not is_primary_school_age_or_younger(birth, on):
        assert not is_primary_school_age_or_younger(birth, on + datetime.timedelta(days=400))


# --- identity document catalogue (第4条, 第5条2項, 第12条) -----------------------------------

RESIDENCE_CODES = [
    "drivers_license",
    "passport",
    "health_insurance",
    "pension_book",
    "juki_card",
    "special_permanent",
    "residence_card",
    "my_number_card",
    "seal_certificate",
    "resident_record",
    "elderly_medical",
    "disability_handbook",
    "driving_history",
    "student_id_with_address",
    "utility_bill",
    "welfare_certificate",
    "postmarked_mail",
    "maternal_handbook",
]


def test_catalogue_lists_the_documents_of_article_4_in_order() -> None:
    assert [d.code for d in DEFAULT_IDENTITY_DOCUMENTS] == [
        *RESIDENCE_CODES,
        "employee_id",
        "employment_certificate",
        "student_id",
        "enrollment_certificate",
        "library_card",
        "school_roster",
    ]
    assert [d.label for d in DEFAULT_IDENTITY_DOCUMENTS[:18]] == [
        "運転免許証",
        "パスポート",
        "健康保険証",
        "年金手帳",
        "住民基本台帳カード（顔写真付）",
        "特別永住者証明書",
        "在留カード",
        "個人番号カード",
        "印鑑登録証明書",
        "住民票",
        "高齢者医療証",
        "障害者手帳",
        "運転経歴証明書",
        "住所の記載がある学生証",
        "公共料金（電気、ガス、上下水道等）の請求書",
        "生活保護受給者証",
        "消印記載がある郵便物",
        "母子健康手帳",
    ]


def test_document_codes_are_unique_ascii_and_indexed() -> None:
    codes = [d.code for d in DEFAULT_IDENTITY_DOCUMENTS]
    assert len(set(codes)) == len(codes)
    assert all(c.isascii() and c.replace("_", "").isalnum() for c in codes)
    assert set(IDENTITY_DOCUMENTS_BY_CODE) == set(codes)


def test_every_basis_is_a_known_basis() -> None:
    for d in DEFAULT_IDENTITY_DOCUMENTS:
        assert d.bases <= BASES
        assert d.bases


@pytest.mark.parametrize("code", RESIDENCE_CODES)
def test_residence_documents_also_identify_a_proxy(code: str) -> None:
    assert doc(code).bases == {"residence", "proxy"}


def test_work_and_school_documents_prove_only_work_or_school() -> None:
    assert doc("employee_id").bases == {"work"}
    assert doc("employment_certificate").bases == {"work"}
    assert doc("student_id").bases == {"school"}
    assert doc("enrollment_certificate").bases == {"school"}


def test_six_month_documents_are_exactly_those_of_article_4() -> None:
    fresh = {d.code for d in DEFAULT_IDENTITY_DOCUMENTS if d.fresh_months is not None}
    assert fresh == {"seal_certificate", "resident_record", "utility_bill", "postmarked_mail"}
    assert {d.fresh_months for d in DEFAULT_IDENTITY_DOCUMENTS if d.fresh_months is not None} == {6}


def test_only_the_maternal_handbook_is_restricted_to_primary_school_age() -> None:
    assert [d.code for d in DEFAULT_IDENTITY_DOCUMENTS if d.primary_school_or_younger_only] == [
        "maternal_handbook"
    ]


def test_library_card_identifies_only_a_proxy() -> None:
    assert doc("library_card").bases == {"proxy"}


def test_school_roster_is_for_bulk_school_registration_only() -> None:
    roster = doc("school_roster")
    assert roster.bulk_only
    assert roster.bases == {"school"}
    assert [d.code for d in DEFAULT_IDENTITY_DOCUMENTS if d.bulk_only] == ["school_roster"]


def test_identity_document_types_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc("passport").label = "旅券"  # type: ignore[misc]


def test_no_document_number_can_be_recorded() -> None:
    # A My Number must never be stored; neither the type nor the check takes any number.
    assert not any("number" in f.name or f.name == "no" for f in dataclasses.fields(IdentityDocumentType))
    params = inspect.signature(identity_document_errors).parameters
    assert set(params) == {"doc", "basis", "issued_on", "holder_birth_date", "today", "bulk"}


# --- identity_document_errors --------------------------------------------------------------


def check(
    code: str,
    *,
    basis: str = "residence",
    issued_on: D | None = None,
    holder_birth_date: D | None = ADULT_BIRTH,
    today: D = TODAY,
    bulk: bool = False,
) -> list[str]:
    return identity_document_errors(
        doc(code),
        basis=basis,
        issued_on=issued_on,
        holder_birth_date=holder_birth_date,
        today=today,
        bulk=bulk,
    )


@pytest.mark.parametrize("code", [c for c in RESIDENCE_CODES if c != "maternal_handbook"])
def test_residence_documents_are_accepted_for_residence_and_for_a_proxy(code: str) -> None:
    issued = TODAY - datetime.timedelta(days=10)
    assert check(code, issued_on=issued) == []
    assert check(code, basis="proxy", issued_on=issued) == []


@pytest.mark.parametrize("code", ["drivers_license", "passport", "my_number_card", "residence_card"])
def test_documents_without_a_freshness_rule_need_no_issue_date(code: str) -> None:
    assert check(code, issued_on=None) == []


def test_employee_id_is_refused_as_proof_of_residence() -> None:
    assert check("employee_id") == [
        "社員証は本人確認及び居住地の確認には使用できません（この書類で使用できるのは在勤の確認です。厚木市 要綱第4条）。"
    ]


def test_employee_id_is_accepted_as_proof_of_work() -> None:
    assert check("employee_id", basis="work") == []
    assert check("employment_certificate", basis="work") == []


def test_student_id_is_accepted_for_school_but_not_for_work() -> None:
    assert check("student_id", basis="school") == []
    assert check("enrollment_certificate", basis="school") == []
    assert check("student_id", basis="work") == [
        "学生証は在勤の確認には使用できません（この書類で使用できるのは在学の確認です。厚木市 要綱第4条）。"
    ]


def test_drivers_license_does_not_prove_work_in_the_city() -> None:
    errors = check("drivers_license", basis="work")
    assert errors == [
        "運転免許証は在勤の確認には使用できません"
        "（この書類で使用できるのは本人確認及び居住地の確認・代理人の本人確認です。厚木市 要綱第4条）。"
    ]


def test_proxy_may_show_their_own_library_card() -> None:
    assert check("library_card", basis="proxy") == []


def test_library_card_is_refused_for_the_applicant() -> None:
    assert check("library_card", basis="residence") == [
        "図書館の利用者登録証は本人確認及び居住地の確認には使用できません"
        "（この書類で使用できるのは代理人の本人確認です。厚木市 要綱第5条第2項）。"
    ]


def test_work_document_is_refused_for_a_proxy() -> None:
    assert check("employee_id", basis="proxy") == [
        "社員証は代理人の本人確認には使用できません（この書類で使用できるのは在勤の確認です。厚木市 要綱第5条第2項）。"
    ]


def test_document_issued_exactly_six_months_ago_is_accepted() -> None:
    assert check("resident_record", issued_on=D(2026, 5, 21), today=D(2026, 11, 21)) == []


def test_document_issued_six_months_and_a_day_ago_is_refused() -> None:
    assert check("resident_record", issued_on=D(2026, 5, 21), today=D(2026, 11, 22)) == [
        "住民票は発行日から6箇月以内のものに限ります（厚木市 要綱第4条）。"
        "発行日が2026年5月21日のため、使用できるのは2026年11月21日までです。"
    ]


@pytest.mark.parametrize("code", ["seal_certificate", "resident_record", "utility_bill", "postmarked_mail"])
def test_document_issued_seven_months_ago_is_refused(code: str) -> None:
    errors = check(code, issued_on=D(2026, 4, 21))
    assert len(errors) == 1
    assert "6箇月以内" in errors[0]


def test_six_months_from_the_end_of_august_ends_at_the_end_of_february() -> None:
    assert check("utility_bill", issued_on=D(2026, 8, 31), today=D(2027, 2, 28)) == []
    assert check("utility_bill", issued_on=D(2026, 8, 31), today=D(2027, 3, 1)) != []


def test_six_month_document_without_issue_date_is_refused() -> None:
    assert check("seal_certificate", issued_on=None) == [
        "印鑑登録証明書は発行日から6箇月以内のものに限ります。発行日を入力してください（厚木市 要綱第4条）。"
    ]


def test_postmarked_mail_talks_about_the_postmark() -> None:
    assert check("postmarked_mail", issued_on=None) == [
        "消印記載がある郵便物は消印の日付から6箇月以内のものに限ります。消印の日付を入力してください（厚木市 要綱第4条）。"
    ]


def test_document_issued_in_the_future_is_refused() -> None:
    assert check("resident_record", issued_on=D(2026, 11, 22)) == [
        "住民票の発行日（2026年11月22日）が今日より後の日付になっています。日付を確認してください。"
    ]
    assert check("passport", issued_on=D(2027, 1, 1)) != []


def test_document_issued_today_is_accepted() -> None:
    assert check("resident_record", issued_on=TODAY) == []


@given(issued=st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), today=DATES)
def test_freshness_is_six_calendar_months_inclusive(issued: D, today: D) -> None:
    errors = check("resident_record", issued_on=issued, today=today)
    assert (errors == []) == (issued <= today <= add_months(issued, 6))


def test_maternal_handbook_is_accepted_for_a_primary_school_child() -> None:
    assert check("maternal_handbook", holder_birth_date=D(2015, 4, 2), today=D(2027, 3, 31)) == []


def test_maternal_handbook_is_refused_after_primary_school() -> None:
    assert check("maternal_handbook", holder_birth_date=D(2014, 4, 1), today=D(2026, 4, 1)) == [
        "母子健康手帳で確認できるのは小学生以下の方に限ります（厚木市 要綱第4条）。"
    ]


def test_maternal_handbook_needs_the_holders_birth_date() -> None:
    assert check("maternal_handbook", holder_birth_date=None) == [
        "母子健康手帳で確認するには、確認する方の生年月日が必要です。"
    ]


def test_maternal_handbook_with_a_future_birth_date_is_refused() -> None:
    assert check("maternal_handbook", holder_birth_date=D(2027, 1, 1)) == [
        "生年月日（2027年1月1日）が今日より後の日付になっています。"
    ]


def test_adult_proxy_cannot_identify_with_a_maternal_handbook() -> None:
    assert check("maternal_handbook", basis="proxy", holder_birth_date=D(1990, 1, 1)) != []


def test_school_roster_is_refused_outside_bulk_registration() -> None:
    assert check("school_roster", basis="school") == [
        "学校の名簿（一括登録）は小中学校等での一括登録にのみ使用できます（厚木市 要綱第12条）。"
    ]


def test_school_roster_is_accepted_in_bulk_registration() -> None:
    assert check("school_roster", basis="school", bulk=True) == []


def test_several_problems_are_reported_together() -> None:
    errors = check("school_roster", basis="residence", issued_on=D(2027, 1, 1))
    assert len(errors) == 3


def test_unknown_basis_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="確認の種類"):
        check("passport", basis="home")


# --- card numbers (第7条) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "check_digit"),
    [("7992739871", "3"), ("0", "0"), ("1", "8"), ("18", "2"), ("411111111111111", "1")],
)
def test_luhn_check_digit_known_values(digits: str, check_digit: str) -> None:
    assert luhn_check_digit(digits) == check_digit


@pytest.mark.parametrize("digits", ["", "12a4", "１２３", "-1", " 12"])
def test_luhn_needs_ascii_digits(digits: str) -> None:
    with pytest.raises(ValueError, match="半角数字"):
        luhn_check_digit(digits)


def test_card_number_is_prefix_sequence_and_check_digit() -> None:
    number = make_card_number(1234)
    assert number == "210001234" + luhn_check_digit("210001234")
    assert len(number) == 10
    assert is_valid_card_number(number)


def test_card_number_respects_custom_prefix_and_length() -> None:
    number = make_card_number(7, prefix="9", length=6)
    assert number.startswith("90007")
    assert len(number) == 6
    assert is_valid_card_number(number, prefix="9", length=6)
    assert not is_valid_card_number(number)


@pytest.mark.parametrize(
    ("sequence", "prefix", "length"),
    [(10_000_000, "21", 10), (-1, "21", 10), (1, "21", 3), (1, "2a", 10), (1, "", 10)],
)
def test_card_number_that_does_not_fit_is_refused(sequence: int, prefix: str, length: int) -> None:
    with pytest.raises(ValueError):
        make_card_number(sequence, prefix=prefix, length=length)


def test_largest_sequence_that_fits_is_accepted() -> None:
    assert make_card_number(9_999_999).startswith("219999999")


@pytest.mark.parametrize(
    "value", ["2100012345", "210001234", "21000123490", "3100012349", "２１０００１２３４９", ""]
)
def test_malformed_or_foreign_card_numbers_are_invalid(value: str) -> None:
    assert not is_valid_card_number(value)


@given(st.integers(min_value=0, max_value=9_999_999))
def test_every_generated_card_number_is_valid(sequence: int) -> None:
    number = make_card_number(sequence)
    assert is_valid_card_number(number)
    assert number.startswith("21")
    assert int(number[2:9]) == sequence


@given(
    sequence=st.integers(min_value=0, max_value=9_999_999),
    position=st.integers(min_value=0, max_value=9),
    replacement=st.sampled_from("0123456789"),
)
def test_luhn_detects_every_single_digit_substitution(sequence: int, position: int, replacement: str) -> None:
    number = make_card_number(sequence)
    assume(number[position] != replacement)
    mistyped = number[:position] + replacement + number[position + 1 :]
    assert not is_valid_card_number(mistyped, prefix=mistyped[:2])


def test_luhn_detects_single_digit_substitution_exhaustively_for_one_number() -> None:
    number = make_card_number(1234)
    for position in range(len(number)):
        for replacement in "0123456789":
            if replacement != number[position]:
                mistyped = number[:position] + replacement + number[position + 1 :]
                assert not is_valid_card_number(mistyped, prefix=mistyped[:2])


@given(sequence=st.integers(min_value=0, max_value=9_999_999), position=st.integers(min_value=0, max_value=8))
def test_luhn_detects_adjacent_transpositions_except_09(sequence: int, position: int) -> None:
    number = make_card_number(sequence)
    a, b = number[position], number[position + 1]
    assume(a != b and {a, b} != {"0", "9"})
    swapped = number[:position] + b + a + number[position + 2 :]
    assert not is_valid_card_number(swapped, prefix=swapped[:2])


# --- masking (000 第3(5)) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [("2100012345", "****2345"), ("12345", "****2345"), ("1234", "****"), ("12", "****"), ("", "****")],
)
def test_card_number_is_masked_to_its_last_four_characters(value: str, masked: str) -> None:
    assert mask_card_number(value) == masked


@given(st.text())
def test_mask_never_reveals_more_than_four_characters(value: str) -> None:
    masked = mask_card_number(value)
    assert masked.startswith("****")
    revealed = masked[4:]
    assert len(revealed) <= 4
    assert value.endswith(revealed)
    if len(value) <= 4:
        assert revealed == ""


# --- renewal (第9条) -----------------------------------------------------------------------


def test_renewal_opens_sixty_days_before_expiry() -> None:
    assert renewal_opens_on(D(2027, 3, 31)) == D(2027, 1, 30)
    assert renewal_opens_on(D(2027, 3, 31), days_before=30) == D(2027, 3, 1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2027, 1, 29), False),
        (D(2027, 1, 30), True),
        (D(2027, 3, 31), True),
        (D(2027, 4, 1), True),
        (D(2030, 1, 1), True),
    ],
)
def test_renewal_is_possible_from_sixty_days_before_expiry_and_after_it(today: D, expected: bool) -> None:
    assert can_renew(D(2027, 3, 31), today) is expected


def test_early_renewal_extends_from_the_old_expiry() -> None:
    assert renewed_expiry(D(2027, 3, 31), D(2027, 2, 1), validity_years=3) == D(2030, 3, 31)


def test_late_renewal_extends_from_today() -> None:
    assert renewed_expiry(D(2027, 3, 31), D(2027, 6, 15), validity_years=3) == D(2030, 6, 15)


def test_renewal_of_a_29_february_expiry_ends_on_28_february() -> None:
    assert renewed_expiry(D(2028, 2, 29), D(2028, 2, 1), validity_years=3) == D(2031, 2, 28)
    assert renewed_expiry(D(2028, 2, 29), D(2028, 2, 1), validity_years=4) == D(2032, 2, 29)


@given(expires=DATES, today=DATES, years=st.integers(min_value=1, max_value=10))
def test_renewal_never_shortens_the_period(expires: D, today: D, years: int) -> None:
    new = renewed_expiry(expires, today, validity_years=years)
    assert new > expires
    assert new > today


def test_initial_expiry_adds_the_validity_period() -> None:
    assert initial_expiry(D(2026, 4, 1), validity_years=3) == D(2029, 4, 1)
    assert initial_expiry(D(2024, 2, 29), validity_years=1) == D(2025, 2, 28)


@pytest.mark.parametrize("years", [0, -1])
def test_validity_period_must_be_at_least_a_year(years: int) -> None:
    with pytest.raises(ValueError, match="有効期間"):
        initial_expiry(TODAY, validity_years=years)
    with pytest.raises(ValueError, match="有効期間"):
        renewed_expiry(TODAY, TODAY, validity_years=years)


# --- paper forms (第2条2項) and deletion (第9条2項) ----------------------------------------


@pytest.mark.parametrize(
    ("received", "destroy_by"),
    [
        (D(2026, 4, 1), D(2026, 5, 1)),
        (D(2026, 1, 31), D(2026, 2, 28)),
        (D(2028, 1, 31), D(2028, 2, 29)),
        (D(2026, 3, 31), D(2026, 4, 30)),
        (D(2026, 12, 15), D(2027, 1, 15)),
    ],
)
def test_paper_form_is_kept_one_calendar_month(received: D, destroy_by: D) -> None:
    assert paper_form_destroy_by(received) == destroy_by


def test_paper_form_keeping_period_is_configurable() -> None:
    assert paper_form_destroy_by(D(2026, 8, 31), keep_months=6) == D(2027, 2, 28)
    with pytest.raises(ValueError, match="保管期間"):
        paper_form_destroy_by(TODAY, keep_months=-1)


@pytest.mark.parametrize(
    ("today", "due"),
    [(D(2027, 3, 31), False), (D(2027, 4, 30), False), (D(2027, 5, 1), True), (D(2028, 1, 1), True)],
)
def test_registration_is_deleted_once_the_grace_period_has_passed(today: D, due: bool) -> None:
    assert deletion_due(D(2027, 3, 31), today, grace_days=30) is due


def test_zero_grace_deletes_the_day_after_expiry() -> None:
    assert not deletion_due(D(2027, 3, 31), D(2027, 3, 31), grace_days=0)
    assert deletion_due(D(2027, 3, 31), D(2027, 4, 1), grace_days=0)
    with pytest.raises(ValueError):
        deletion_due(D(2027, 3, 31), D(2027, 4, 1), grace_days=-1)


# --- calendar helpers ----------------------------------------------------------------------


@given(start=DATES, months=st.integers(min_value=-1200, max_value=1200))
def test_adding_months_lands_in_the_right_month_and_clamps_the_day(start: D, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == min(start.day, calendar.monthrange(result.year, result.month)[1])


def test_adding_years_to_29_february() -> None:
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


def test_a_document_issued_before_the_holder_was_born_is_refused() -> None:
    (message,) = check("drivers_license", issued_on=ADULT_BIRTH - datetime.timedelta(days=1))
    assert "生年月日" in message and "より前" in message
    assert check("drivers_license", issued_on=ADULT_BIRTH) == []


def test_a_document_dated_1868_is_refused_for_a_living_holder() -> None:
    assert check("passport", issued_on=D(1868, 1, 1)) != []


def test_a_proxys_own_document_is_not_compared_with_the_applicants_birth() -> None:
    # The proxy's document identifies the proxy, whose birth date is not asked (holder_birth_date=None).
    assert check("drivers_license", basis="proxy", issued_on=D(1970, 1, 1), holder_birth_date=None) == []
