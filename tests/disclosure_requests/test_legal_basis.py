"""The legal basis comes from the rule profile in force: under each seeded profile every letter kind is
issued and its PDF (read back with pypdf) cites that profile's law and articles; the 文書番号 is the
letter's own number per 年度, never the 受付番号; the 担当 box gives the office's phone number; the
template for a city's 施行条例 cannot be the library's own until it is filled in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from disclosure_requests import letters
from disclosure_requests.citations import (
    APPI_CITATIONS,
    RULE_KEYS,
    YAMANASHI_CITATIONS,
)
from disclosure_requests.models import Letter, LetterKind, LetterTemplate, RuleProfile
from disclosure_requests.profiles import (
    ProfileNotApplicable,
    rule_profile_copy,
    rule_profile_make_current,
)

from . import factories as f
from .letter_helpers import letter_state, pdf_text

pytestmark = pytest.mark.django_db

APPI_LAW = "個人情報の保護に関する法律"
YAMANASHI_LAW = "山梨県立図書館の個人情報の保護に関する要綱"

# The article each letter must cite, under each seeded profile (checked against the Act's e-Gov text and
# against seed 003).
EXPECTED: dict[str, dict[str, str]] = {
    "appi": {
        LetterKind.DISCLOSURE_FULL: "第82条第1項",
        LetterKind.DISCLOSURE_PARTIAL: "第82条第1項",
        LetterKind.DISCLOSURE_REFUSED: "第82条第2項",
        LetterKind.EXTENSION: "第83条第2項",
        LetterKind.SPECIAL_EXTENSION: "第84条",
        LetterKind.AMENDMENT: "第77条第3項",
        LetterKind.CONSULTATION: "第86条第1項・第2項",
        LetterKind.THIRD_PARTY_DECISION: "第86条第3項",
        LetterKind.CORRECTION: "第93条第1項",
        LetterKind.NOT_CORRECTION: "第93条第2項",
        LetterKind.SUSPENSION: "第101条第1項",
        LetterKind.NOT_SUSPENSION: "第101条第2項",
    },
    "yamanashi-15": {
        LetterKind.DISCLOSURE_FULL: "第23条第1項",
        LetterKind.DISCLOSURE_PARTIAL: "第23条第1項",
        LetterKind.DISCLOSURE_REFUSED: "第23条第2項",
        LetterKind.EXTENSION: "第24条第2項",
        LetterKind.SPECIAL_EXTENSION: "第25条",
        LetterKind.AMENDMENT: "第18条第3項",
        LetterKind.CONSULTATION: "第26条第1項・第2項",
        LetterKind.THIRD_PARTY_DECISION: "第26条第3項",
        LetterKind.CORRECTION: "第33条第1項",
        LetterKind.NOT_CORRECTION: "第33条第2項",
        LetterKind.SUSPENSION: "第40条第1項",
        LetterKind.NOT_SUSPENSION: "第40条第2項",
    },
}
LAWS = {"appi": APPI_LAW, "yamanashi-15": YAMANASHI_LAW}
# Articles of the other profile that must never appear in a letter of this one.
FOREIGN = {
    "appi": ("第23条", "第24条", "第25条", "第26条", "第18条"),
    "yamanashi-15": ("第82条", "第83条", "第84条", "第86条", "第77条"),
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def in_force(request: Any, administrator: Any) -> RuleProfile:
    profile = RuleProfile.objects.get(code=request.param)
    return rule_profile_make_current(actor=administrator, profile=profile)


@pytest.mark.parametrize("in_force", ["appi", "yamanashi-15"], indirect=True)
@pytest.mark.parametrize("kind", LetterKind.values)
def test_every_letter_cites_the_law_and_article_of_the_profile_in_force(
    kind: str, in_force: RuleProfile, privacy_officer: Any, settings: Any
) -> None:
    settings.LIBRARY_OFFICE_PHONE = "046-000-1234"
    request, consultation = letter_state(kind)
    assert request.profile == in_force

    letter = letters.letter_issue(
        actor=privacy_officer, request=request, kind=kind, consultation=consultation, issued_on=f.today()
    )

    text = _flat(pdf_text(bytes(letter.pdf)))
    article = EXPECTED[in_force.code][kind]
    assert f"{LAWS[in_force.code]}{article}" in text  # the law named in full with the article
    for foreign in FOREIGN[in_force.code]:
        assert foreign not in text, foreign
    assert "電話046-000-1234" in text  # the 担当 box
    assert letter.document_number in text
    assert letter.document_number != request.number


@pytest.mark.parametrize("in_force", ["appi"], indirect=True)
def test_decision_letter_names_the_law_then_its_short_name(
    in_force: RuleProfile, privacy_officer: Any
) -> None:
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
    letter = letters.letter_issue(actor=privacy_officer, request=request, kind=LetterKind.DISCLOSURE_FULL)
    text = _flat(pdf_text(bytes(letter.pdf)))
    assert "決定したので、個人情報の保護に関する法律第82条第1項の規定により通知します" in text
    assert "（法第87条第3項・第4項）" in text  # the method choice, short after the first mention
    assert "（法第89条第2項）" in text  # fees


def test_document_number_follows_the_scheme_per_fiscal_year(privacy_officer: Any, settings: Any) -> None:
    settings.LETTER_NUMBER_FORMAT = "あさひ図第{n}号"
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
    issued_on = f.today()
    first = letters.letter_issue(
        actor=privacy_officer, request=request, kind=LetterKind.DISCLOSURE_FULL, issued_on=issued_on
    )
    second = letters.letter_issue(
        actor=privacy_officer, request=request, kind=LetterKind.DISCLOSURE_FULL, issued_on=issued_on
    )
    assert (first.document_number, second.document_number) == ("あさひ図第1号", "あさひ図第2号")
    assert first.document_number != request.number
    assert "あさひ図第1号" in _flat(pdf_text(bytes(first.pdf)))
    # A letter of the next 年度 starts again at 1 (the year can be part of the format).
    settings.LETTER_NUMBER_FORMAT = "R{year}図書第{n}号"
    assert letters.document_number_for(fiscal_year=2027, sequence=1) == "R9図書第1号"
    Letter.objects.filter(pk=second.pk).update(document_fiscal_year=2025)
    third = letters.letter_issue(
        actor=privacy_officer, request=request, kind=LetterKind.DISCLOSURE_FULL, issued_on=issued_on
    )
    assert third.document_sequence == 2  # 年度 2026 had only the first


def test_preview_takes_no_number(privacy_officer: Any) -> None:
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
    pdf = letters.letter_preview(actor=privacy_officer, request=request, kind=LetterKind.DISCLOSURE_FULL)
    assert "（発行時に採番）" in _flat(pdf_text(pdf))
    assert not Letter.objects.exists()


# --- the profiles ------------------------------------------------------------------------------------


def test_seeded_profiles_carry_their_law_and_every_rule() -> None:
    appi = RuleProfile.objects.get(code="appi")
    yamanashi = RuleProfile.objects.get(code="yamanashi-15")
    assert appi.name == "個人情報の保護に関する法律（行政機関等）"
    assert yamanashi.name == "山梨県立図書館 要綱（指定管理者）"
    assert set(appi.citations) == RULE_KEYS == set(yamanashi.citations)
    assert appi.citations == APPI_CITATIONS and yamanashi.citations == YAMANASHI_CITATIONS
    assert appi.cite("disclosure_grant") == "個人情報の保護に関する法律第82条第1項"
    assert appi.cite("disclosure_grant", short=True) == "法第82条第1項"
    assert appi.cite("incident_report") == "個人情報の保護に関する法律第68条第1項"
    assert appi.cite("register") == "個人情報の保護に関する法律第75条第1項"
    assert appi.cite("appeal_notice") == "行政不服審査法第82条第1項"  # names its own law
    assert appi.cite("annual_report") == ""  # the Act has no article: the text leaves it out
    assert yamanashi.cite("annual_report") == f"{YAMANASHI_LAW}第50条"
    assert yamanashi.cite("publication", short=True) == "山梨県 要綱第49条"


def test_ordinance_template_cannot_be_applied_until_filled(administrator: Any) -> None:
    template = RuleProfile.objects.get(code="ordinance-template")
    assert template.is_template and not template.is_current
    with pytest.raises(ProfileNotApplicable, match="ひな形"):
        rule_profile_make_current(actor=administrator, profile=template)

    copy = rule_profile_copy(actor=administrator, profile=template)
    assert copy.is_template and copy.citations == template.citations
    copy.is_template = False
    with pytest.raises(ValidationError):
        copy.full_clean()  # the fees article of the ordinance is still 「第○条」
    copy.save()
    with pytest.raises(ProfileNotApplicable, match="記入していない"):
        rule_profile_make_current(actor=administrator, profile=copy)

    copy.name = "あさひ市 個人情報の保護に関する法律施行条例"
    copy.citations = {
        **copy.citations,
        "fees": "あさひ市個人情報の保護に関する法律施行条例第5条",
        "incident_board_report": "",  # the city has no 規程 of its own on it: the pages then cite nothing
    }
    copy.full_clean()
    copy.save()
    assert rule_profile_make_current(actor=administrator, profile=copy).is_current
    assert RuleProfile.objects.get(is_current=True) == copy


def test_seeded_letter_wording_cites_no_fixed_article() -> None:
    for template in LetterTemplate.objects.all():
        assert not re.search(r"(?<![{.\w])第\d+条", template.body), template.kind


def test_a_profile_without_the_article_leaves_the_citation_out(privacy_officer: Any) -> None:
    profile = RuleProfile.objects.get(is_current=True)
    RuleProfile.objects.filter(pk=profile.pk).update(citations={**profile.citations, "disclosure_grant": ""})
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
    html = letters.render_letter_html(request=request, kind=LetterKind.DISCLOSURE_FULL, issued_on=f.today())
    assert "決定したので、通知します" in _flat(html)
    assert "の規定により通知します" not in html


# --- each source by its own name ---------------------------------------------------------------------

# 「要綱」 names two documents (厚木市 要綱, seed 001; 山梨県 要綱, seed 003): user-facing text says which.
_BARE_YOKO = re.compile(r"(?<!山梨県 )(?<!山梨県)(?<!厚木市 )(?<!厚木市)(?<!に関する)要綱")
_GETTEXT_STRING = re.compile(r"""_\(\s*((?:"[^"]*"\s*)+)\)|gettext(?:_lazy|_noop)?\(\s*((?:"[^"]*"\s*)+)\)""")
_ROOT = Path(__file__).resolve().parents[2]


def test_no_template_or_translated_string_says_a_bare_yoko() -> None:
    found: list[str] = []
    for path in sorted((_ROOT / "templates").rglob("*.html")):
        text = re.sub(r"{% comment %}.*?{% endcomment %}|{#.*?#}", "", path.read_text(), flags=re.S)
        found += [
            f"{path.relative_to(_ROOT)}: {line.strip()[:80]}"
            for line in text.splitlines()
            if _BARE_YOKO.search(line)
        ]
    for app in (
        "disclosure_requests",
        "register",
        "reports",
        "incidents",
        "patrons",
        "loans",
        "mypage",
        "outsourcing",
    ):
        for path in sorted((_ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for match in _GETTEXT_STRING.finditer(path.read_text()):
                string = match.group(1) or match.group(2)
                if _BARE_YOKO.search(string):
                    found.append(f"{path.relative_to(_ROOT)}: {string.strip()[:80]}")
    assert found == []
