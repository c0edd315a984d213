"""How the notice letters print (templates/disclosure_requests/pdf/letter.html and the default wording of
migration 0011): one A4 page for a letter of ordinary length, labels that do not break mid-word, the 担当
box never alone on a page, the full-disclosure letter's 日時 and 費用 rows, and citations written one way —
the way the profile's ``Citer`` writes them — under each seeded profile. Read back from the PDF itself."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import re

import pypdf
import pytest

from disclosure_requests import letters
from disclosure_requests.models import (
    DisclosureExecution,
    LetterKind,
    LetterTemplate,
    PrivacyRequest,
    RuleProfile,
    ThirdPartyConsultation,
)

from . import factories as f
from .letter_helpers import letter_state

pytestmark = pytest.mark.django_db

PROFILES = ("appi", "yamanashi-15")
# Reasons as long as the demo's (disclosure_requests.demo) and an officer's usual ones.
REASON = (
    "電子メールアドレスは、利用者登録申込書により本人から提供を受けたものであり、"
    "予約資料の連絡に利用する目的の範囲内で適法に取得し利用しているため。"
)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _flat(pages: list[str]) -> str:
    """The letter's text with the line breaks of the layout taken out (a phrase may wrap anywhere)."""
    return re.sub(r"\s*\n\s*", "", "".join(pages))


def _state(kind: str, profile_code: str) -> tuple[PrivacyRequest, ThirdPartyConsultation | None]:
    request, consultation = letter_state(kind)
    request.profile = RuleProfile.objects.get(code=profile_code)
    request.save(update_fields=["profile"])
    decision = request.decisions.order_by("pk").last()
    if decision is not None and decision.reason_text:
        decision.reason_text = REASON
        decision.save(update_fields=["reason_text"])
    if kind == LetterKind.DISCLOSURE_FULL:
        DisclosureExecution.objects.create(
            request=request,
            method=DisclosureExecution.Method.COPY,
            method_requested_on=f.today() - dt.timedelta(days=1),
            carried_out_on=dt.date(2026, 12, 10),  # a Thursday
            fee_yen=20,
            fee_basis="写し 2枚×10円",
        )
    return request, consultation


def _render(kind: str, profile_code: str) -> list[str]:
    request, consultation = _state(kind, profile_code)
    pdf = letters.render_letter_pdf(
        request=request,
        kind=kind,
        consultation=consultation,
        issued_on=f.today(),
        document_number="図書第1号",
    )
    return _pages(pdf)


@pytest.mark.parametrize("profile_code", PROFILES)
@pytest.mark.parametrize("kind", [k for k in LetterKind if k != LetterKind.DISCLOSURE_PARTIAL])
def test_a_letter_of_ordinary_length_fits_on_one_page(kind: str, profile_code: str) -> None:
    # Among them the three that spilt a lone 担当 box onto page 2: 利用停止をしない旨の決定通知書,
    # 開示決定通知書 (全部開示, with the 日時 and 費用 of the disclosure) and 開示決定をした旨の通知書.
    pages = _render(kind, profile_code)

    assert len(pages) == 1
    assert "担当" in pages[0]


@pytest.mark.parametrize("profile_code", PROFILES)
def test_a_long_letter_does_not_leave_the_contact_box_alone_on_its_last_page(profile_code: str) -> None:
    request, _ = _state(LetterKind.NOT_SUSPENSION, profile_code)
    decision = request.decisions.get()
    decision.reason_text = "\n".join([REASON] * 12)
    decision.save(update_fields=["reason_text"])

    pages = _pages(
        letters.render_letter_pdf(request=request, kind=LetterKind.NOT_SUSPENSION, issued_on=f.today())
    )

    assert len(pages) > 1
    last = pages[-1]
    assert "担当" in last
    # Something of the body goes over with it: the end of the 教示 (or, under the 山梨県 要綱, of where to
    # complain).
    ending = "".join(letters.appeal_notice(request.profile).split())[-20:]
    assert ending in _flat([last])


@pytest.mark.parametrize("profile_code", PROFILES)
def test_labels_do_not_break_mid_word(profile_code: str) -> None:
    lines = {
        line.strip() for line in "\n".join(_render(LetterKind.NOT_SUSPENSION, profile_code)).splitlines()
    }
    text = "\n".join(lines)

    # The longest labels that stand on one line (15 characters) come back whole.
    for label in ("利用停止請求に係る保有個人情報", "利用停止をしないこととした理由"):
        assert label in text
        assert not any(label != line and label.startswith(line) for line in lines if len(line) > 3)


@pytest.mark.parametrize(
    ("kind", "segments"),
    [
        (LetterKind.THIRD_PARTY_DECISION, ["開示決定をした保有個人情報", "（あなたに関する情報の内容）"]),
        (LetterKind.CONSULTATION, ["請求に係る保有個人情報に", "含まれている", "あなたに関する情報の内容"]),
        (
            LetterKind.SPECIAL_EXTENSION,
            ["相当の部分について", "残りの保有個人情報について", "開示決定等をする期限"],
        ),
        (LetterKind.DISCLOSURE_PARTIAL, ["開示しない部分及び", "開示しない理由"]),
    ],
)
def test_longer_labels_break_between_phrases(kind: str, segments: list[str]) -> None:
    request, consultation = letter_state(kind)
    pdf = letters.render_letter_pdf(
        request=request, kind=kind, consultation=consultation, issued_on=f.today()
    )
    lines = [line.strip() for line in "\n".join(_pages(pdf)).splitlines()]

    for segment in segments:
        assert any(line.startswith(segment) for line in lines), segment


@pytest.mark.parametrize(
    ("profile_code", "fees"), [("appi", "（法第89条第2項）"), ("yamanashi-15", "（山梨県 要綱第28条）")]
)
def test_full_disclosure_letter_gives_the_day_and_the_fee_as_phrases(profile_code: str, fees: str) -> None:
    text = _flat(_render(LetterKind.DISCLOSURE_FULL, profile_code))

    assert "日時：令和8年12月10日（木）場所：" in text
    assert "日時は、開館時間内で" not in text  # no longer a fixed day followed by "to be agreed"
    assert f"写しの交付（窓口）に要する費用は、20円です{fees}。（内訳：写し 2枚×10円）" in text
    assert "。（20円）" not in text


def test_full_disclosure_letter_without_an_execution_says_the_day_is_agreed_later() -> None:
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
    pdf = letters.render_letter_pdf(request=request, kind=LetterKind.DISCLOSURE_FULL, issued_on=f.today())
    text = _flat(_pages(pdf))

    assert "日時：開館時間内で、担当とご相談のうえ決めます。場所：" in text
    assert "閲覧は無料です。" in text
    assert "円です" not in text


def test_third_party_decision_letter_gives_the_day_of_disclosure_with_its_weekday() -> None:
    request, consultation = letter_state(LetterKind.THIRD_PARTY_DECISION)
    context = letters.build_letter_context(
        request=request, kind=LetterKind.THIRD_PARTY_DECISION, consultation=consultation, issued_on=f.today()
    )
    pdf = letters.render_letter_pdf(
        request=request, kind=LetterKind.THIRD_PARTY_DECISION, consultation=consultation, issued_on=f.today()
    )

    assert letters.day_with_weekday(context["disclosure_date"]) in _flat(_pages(pdf))


def test_day_with_weekday() -> None:
    assert letters.day_with_weekday(dt.date(2026, 12, 10)) == "令和8年12月10日（木）"
    assert letters.day_with_weekday(None) == ""


# Each profile's law, in full on the first citation of a letter and short after (citations.Citer).
_FIRST_CITATION: dict[str, dict[str, str]] = {
    "appi": {
        LetterKind.DISCLOSURE_FULL: "個人情報の保護に関する法律第82条第1項の規定により",
        LetterKind.NOT_SUSPENSION: "個人情報の保護に関する法律第101条第2項の規定により",
        LetterKind.THIRD_PARTY_DECISION: "個人情報の保護に関する法律第86条第3項の規定により",
        LetterKind.EXTENSION: "個人情報の保護に関する法律第83条第2項の規定により",
    },
    "yamanashi-15": {
        LetterKind.DISCLOSURE_FULL: "山梨県立図書館の個人情報の保護に関する要綱第23条第1項の規定により",
        LetterKind.NOT_SUSPENSION: "山梨県立図書館の個人情報の保護に関する要綱第40条第2項の規定により",
        LetterKind.THIRD_PARTY_DECISION: "山梨県立図書館の個人情報の保護に関する要綱第26条第3項の規定により",
        LetterKind.EXTENSION: "山梨県立図書館の個人情報の保護に関する要綱第24条第2項の規定により",
    },
}


@pytest.mark.parametrize("profile_code", PROFILES)
@pytest.mark.parametrize("kind", list(LetterKind))
def test_citations_are_written_one_way_by_the_profiles_citer(kind: str, profile_code: str) -> None:
    text = _flat(_render(kind, profile_code))
    profile = RuleProfile.objects.get(code=profile_code)
    citer = profile.citer()

    first = _FIRST_CITATION[profile_code].get(kind)
    if first:
        assert first in text
    assert "要綱 第" not in text and "法 第" not in text  # never a space before 第
    if profile_code == "appi":
        assert "要綱" not in text
    else:
        assert "法第" not in text.replace("行政不服審査法", "").replace("行政事件訴訟法", "")
        # Every later mention is the Citer's short form, 「山梨県 要綱第N条」.
        for match in re.finditer("要綱第", text):
            law = text[: match.start() + len("要綱")]
            assert law.endswith((citer.short_name, citer.law_name)), text[match.start() - 20 : match.end()]
    if kind == LetterKind.DISCLOSURE_FULL:
        assert citer.short("method_choice") in text
        assert citer.short("fees") in text


def test_migration_0011_rewrote_the_default_wording_only() -> None:
    migration = importlib.import_module("disclosure_requests.migrations.0011_letter_layout_wording")
    for kind, old_body in migration.old_bodies().items():
        expected = migration.new_body(kind, old_body)
        assert LetterTemplate.objects.get(kind=kind).body == expected, kind
        letters.compile_body(expected)
