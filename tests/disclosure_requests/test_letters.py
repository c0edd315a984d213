"""Notice letters: every kind renders a real PDF with the 和暦 date, title and request number; kinds that
do not fit the request's state are refused; a broken template gives a clear message, never a 500;
downloads are audited; only privacy officers and administrators reach the pages."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from disclosure_requests import letters
from disclosure_requests.models import (
    Letter,
    LetterKind,
    LetterTemplate,
    Outcome,
    RequestKind,
    RuleProfile,
    WithholdingReason,
)
from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.dates import to_wareki

from . import factories as f
from .letter_helpers import letter_state, pdf_text

pytestmark = pytest.mark.django_db


# --- every kind ------------------------------------------------------------------------------------


def test_every_kind_has_a_seeded_template() -> None:
    assert set(LetterTemplate.objects.values_list("kind", flat=True)) == set(LetterKind.values)
    for template in LetterTemplate.objects.all():
        assert template.title == str(LetterKind(template.kind).label)
        # The seeded wording compiles and renders with the documented context.
        letters.render_body(template.body, letters.sample_context())


@pytest.mark.parametrize("kind", LetterKind.values)
def test_every_kind_issues_a_pdf_with_date_title_and_number(kind: str, privacy_officer: Any) -> None:
    request, consultation = letter_state(kind)
    issued_on = f.today()

    assert kind in letters.letter_kinds_available(request)
    letter = letters.letter_issue(
        actor=privacy_officer, request=request, kind=kind, consultation=consultation, issued_on=issued_on
    )

    pdf = bytes(letter.pdf)
    assert pdf.startswith(b"%PDF")
    assert letter.sha256 == hashlib.sha256(pdf).hexdigest()
    assert letter.issued_by == privacy_officer
    assert letter.consultation == consultation
    title = str(LetterKind(kind).label)
    text = pdf_text(pdf)  # the PDF's own text, read back with pypdf
    assert to_wareki(issued_on) in text  # 令和8年11月21日
    assert title in text.replace(" ", "")  # the title is letter-spaced
    assert request.number in text
    assert "様" in text
    event = AuditEvent.objects.get(action="letter.issue")
    assert event.target_type == "privacy_request"
    assert event.target_id == str(request.pk)
    assert event.detail == {"kind": kind, "letter_id": letter.pk, "document_number": letter.document_number}


def test_decision_letter_states_reasons_lapse_date_and_appeal(privacy_officer: Any) -> None:
    request, _ = letter_state(LetterKind.DISCLOSURE_PARTIAL)
    html = letters.render_letter_html(
        request=request, kind=LetterKind.DISCLOSURE_PARTIAL, issued_on=f.today()
    )
    decision = request.decisions.get()
    assert str(WithholdingReason.THIRD_PERSON.label) in html  # 第19条第3号
    assert decision.reason_text in html
    assert decision.reason_lapses_on is not None
    assert to_wareki(decision.reason_lapses_on) in html
    assert "開示しない部分及び<br>開示しない理由" in html  # the label breaks between phrases
    # Received under the 山梨県 要綱 (a designated manager's decision, no 審査請求): where to complain.
    assert request.profile.code == "yamanashi-15"
    assert "苦情を申し出ることができます（山梨県 要綱第45条）" in html
    assert "審査請求" not in html and "行政不服審査法" not in html
    assert "あさひ市教育委員会" in html


def test_decision_letter_under_the_act_carries_the_appeal_notice(privacy_officer: Any) -> None:
    RuleProfile.objects.update(is_current=False)
    RuleProfile.objects.filter(code="appi").update(is_current=True)
    request, _ = letter_state(LetterKind.NOT_SUSPENSION)
    assert request.profile.code == "appi"
    html = letters.render_letter_html(request=request, kind=LetterKind.NOT_SUSPENSION, issued_on=f.today())
    assert "行政不服審査法" in html and "審査請求" in html and "取消しの訴え" in html  # 教示
    assert "苦情を申し出る" not in html
    assert "あさひ市教育委員会" in html


def test_full_disclosure_letter_names_method_and_place_but_no_appeal() -> None:
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
    html = letters.render_letter_html(request=request, kind=LetterKind.DISCLOSURE_FULL, issued_on=f.today())
    assert "開示する保有個人情報" in html
    assert "開示の実施の方法" in html
    assert "開示の実施の日時・場所" in html
    assert "30日以内" in html  # 第27条第3項
    assert "教　示" not in html


def test_extension_letter_gives_new_period_and_reason() -> None:
    request = f.make_request(received_on=dt.date(2026, 11, 2))
    f.extend(request, days=10, notified_on=dt.date(2026, 11, 10))
    html = letters.render_letter_html(request=request, kind=LetterKind.EXTENSION, issued_on=f.today())
    # 15 days from 11/2 (初日不算入) → 11/17; +10 → 11/27.
    assert "令和8年11月17日" in html
    assert "10日間延長し、令和8年11月27日までとします。" in html
    assert "請求に係る保有個人情報の確認に時間を要するため。" in html
    assert "第24条第2項" in html


def test_extension_letter_of_a_correction_request_speaks_of_correction() -> None:
    request = f.make_request(kind=RequestKind.CORRECTION)
    f.extend(request)
    html = letters.render_letter_html(request=request, kind=LetterKind.EXTENSION, issued_on=f.today())
    assert "訂正決定等期限延長通知書" in html
    assert "第34条第2項" in html


def test_special_extension_letter_gives_reason_and_remainder_date() -> None:
    request = f.make_request(received_on=dt.date(2026, 11, 2))
    f.extend_special(request, remainder_due_on=dt.date(2027, 2, 26))
    html = letters.render_letter_html(request=request, kind=LetterKind.SPECIAL_EXTENSION, issued_on=f.today())
    assert "請求に係る保有個人情報が著しく大量であるため。" in html
    assert "令和8年12月2日" in html  # 相当の部分: 30 days from 11/2
    assert "令和9年2月26日" in html  # 残りの部分


def test_amendment_letter_gives_items_and_reply_date() -> None:
    request, _ = letter_state(LetterKind.AMENDMENT)
    amendment = request.amendments.get()
    html = letters.render_letter_html(request=request, kind=LetterKind.AMENDMENT, issued_on=f.today())
    assert amendment.what_to_fix in html
    assert to_wareki(amendment.reply_by) in html
    assert "第18条第3項" in html


def test_letters_to_a_third_party_never_name_the_requester() -> None:
    for kind in (LetterKind.CONSULTATION, LetterKind.THIRD_PARTY_DECISION):
        request, consultation = letter_state(kind)
        html = letters.render_letter_html(
            request=request, kind=kind, consultation=consultation, issued_on=f.today()
        )
        assert f.THIRD_PARTY_NAME in html
        assert f.REQUESTER_NAME not in html
        assert request.requester_address not in html
        assert request.information_requested not in html


def test_consultation_letter_gives_opinion_deadline() -> None:
    request, consultation = letter_state(LetterKind.CONSULTATION)
    assert consultation is not None
    html = letters.render_letter_html(
        request=request, kind=LetterKind.CONSULTATION, consultation=consultation, issued_on=f.today()
    )
    assert "意見書の提出期限" in html
    assert to_wareki(consultation.opinion_due_on) in html


def test_third_party_decision_letter_gives_decision_date_reason_and_disclosure_date() -> None:
    request, consultation = letter_state(LetterKind.THIRD_PARTY_DECISION)
    decision = request.decisions.get()
    html = letters.render_letter_html(
        request=request, kind=LetterKind.THIRD_PARTY_DECISION, consultation=consultation, issued_on=f.today()
    )
    assert to_wareki(decision.decided_on) in html
    assert decision.reason_text in html
    # 第26条第3項: at least 2 weeks between the decision and carrying it out.
    assert to_wareki(decision.decided_on + dt.timedelta(days=15)) in html


# --- refused ---------------------------------------------------------------------------------------


def test_kinds_available_follow_the_state() -> None:
    request = f.make_request()
    assert letters.letter_kinds_available(request) == []
    f.extend(request)
    assert letters.letter_kinds_available(request) == [LetterKind.EXTENSION]
    f.decide(request, Outcome.PARTIAL)
    assert letters.letter_kinds_available(request) == [LetterKind.DISCLOSURE_PARTIAL, LetterKind.EXTENSION]


@pytest.mark.parametrize(
    ("kind", "setup"),
    [
        (LetterKind.DISCLOSURE_PARTIAL, "full_decision"),
        (LetterKind.DISCLOSURE_FULL, "nothing"),
        (LetterKind.EXTENSION, "nothing"),
        (LetterKind.SPECIAL_EXTENSION, "normal_extension"),
        (LetterKind.AMENDMENT, "nothing"),
        (LetterKind.CONSULTATION, "nothing"),
        (LetterKind.THIRD_PARTY_DECISION, "consultation_no_objection"),
        (LetterKind.THIRD_PARTY_DECISION, "objection_no_decision"),
        (LetterKind.THIRD_PARTY_DECISION, "objection_refused"),
        (LetterKind.CORRECTION, "full_decision"),
        (LetterKind.NOT_SUSPENSION, "nothing"),
    ],
)
def test_kinds_that_do_not_fit_are_refused(kind: str, setup: str, privacy_officer: Any) -> None:
    request = f.make_request()
    consultation = None
    if setup == "full_decision":
        f.decide(request, Outcome.FULL)
    elif setup == "normal_extension":
        f.extend(request)
    elif setup == "consultation_no_objection":
        consultation = f.consult(request, objected=False)
        f.decide(request, Outcome.FULL)
    elif setup == "objection_no_decision":
        consultation = f.consult(request, objected=True)
    elif setup == "objection_refused":
        consultation = f.consult(request, objected=True)
        f.decide(request, Outcome.REFUSED)
    assert kind not in letters.letter_kinds_available(request)
    with pytest.raises(letters.LetterNotAvailable) as exc:
        letters.letter_issue(actor=privacy_officer, request=request, kind=kind, consultation=consultation)
    assert exc.value.message
    assert f.REQUESTER_NAME not in exc.value.message
    assert not Letter.objects.exists()
    assert not AuditEvent.objects.filter(action="letter.issue").exists()


def test_withdrawn_request_gets_no_letter(privacy_officer: Any) -> None:
    request = f.make_request(status="withdrawn")
    f.extend(request)
    assert letters.letter_kinds_available(request) == []


def test_partial_decision_without_reason_is_refused(privacy_officer: Any) -> None:
    request = f.make_request()
    f.decide(request, Outcome.PARTIAL, reasons=[], reason_text=" ")
    reason = letters.letter_unavailable_reason(request, LetterKind.DISCLOSURE_PARTIAL)
    assert "理由" in reason


def test_issue_date_in_the_future_or_before_receipt_is_refused(privacy_officer: Any) -> None:
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
    with pytest.raises(letters.LetterNotAvailable):
        letters.letter_issue(
            actor=privacy_officer,
            request=request,
            kind=LetterKind.DISCLOSURE_FULL,
            issued_on=f.today() + dt.timedelta(days=1),
        )
    with pytest.raises(letters.LetterNotAvailable):
        letters.letter_issue(
            actor=privacy_officer,
            request=request,
            kind=LetterKind.DISCLOSURE_FULL,
            issued_on=request.received_on - dt.timedelta(days=1),
        )


def test_consultation_of_another_request_is_refused(privacy_officer: Any) -> None:
    request = f.make_request()
    other = f.make_request()
    consultation = f.consult(other)
    with pytest.raises(letters.LetterNotAvailable):
        letters.letter_issue(
            actor=privacy_officer, request=request, kind=LetterKind.CONSULTATION, consultation=consultation
        )


def test_template_filter_failure_at_render_is_caught() -> None:
    with pytest.raises(letters.LetterTemplateError):
        letters.render_body('{% include "pdf/base.html" %}', letters.sample_context())


def test_body_cannot_reach_models() -> None:
    # Only plain values are in the context: no model instance to walk from (e.g. to a password).
    context = letters.build_letter_context(
        request=f.make_request(), kind=LetterKind.DISCLOSURE_FULL, issued_on=f.today()
    )
    from django.db.models import Model

    assert not any(isinstance(value, Model) for value in context.values())


def test_letter_actions_have_labels() -> None:
    for action in ("letter.issue", "letter.download", "letter.preview", "privacy_request.package"):
        assert ACTION_LABELS[action]
    assert "letter." in ACTION_GROUP_LABELS
