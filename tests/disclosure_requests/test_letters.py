"""Notice letters: every kind renders a real PDF with the 和暦 date, title and request number; kinds that
do not fit the request's state are refused; a broken template gives a clear message, never a 500;
downloads are audited; only privacy officers and administrators reach the pages."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pypdf
import pytest
from django.contrib import admin
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from disclosure_requests import letters
from disclosure_requests.letter_admin import LetterTemplateForm
from disclosure_requests.models import (
    Letter,
    LetterKind,
    LetterTemplate,
    Outcome,
    PrivacyRequest,
    RequestKind,
    ThirdPartyConsultation,
    WithholdingReason,
)
from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.dates import to_wareki

from . import factories as f

pytestmark = pytest.mark.django_db


def _state(kind: str) -> tuple[PrivacyRequest, ThirdPartyConsultation | None]:
    """A request in the state the letter ``kind`` needs."""
    consultation = None
    if kind == LetterKind.DISCLOSURE_FULL:
        request = f.make_request()
        f.decide(request, Outcome.FULL)
    elif kind == LetterKind.DISCLOSURE_PARTIAL:
        request = f.make_request()
        f.decide(request, Outcome.PARTIAL, reason_lapses_on=f.today() + dt.timedelta(days=365))
    elif kind == LetterKind.DISCLOSURE_REFUSED:
        request = f.make_request()
        f.decide(request, Outcome.REFUSED)
    elif kind == LetterKind.EXTENSION:
        request = f.make_request()
        f.extend(request)
    elif kind == LetterKind.SPECIAL_EXTENSION:
        request = f.make_request()
        f.extend_special(request)
    elif kind == LetterKind.AMENDMENT:
        request = f.make_request()
        f.ask_amendment(request)
    elif kind == LetterKind.CONSULTATION:
        request = f.make_request()
        consultation = f.consult(request)
    elif kind == LetterKind.THIRD_PARTY_DECISION:
        request = f.make_request()
        consultation = f.consult(request, objected=True)
        f.decide(request, Outcome.PARTIAL)
    elif kind == LetterKind.CORRECTION:
        request = f.make_request(kind=RequestKind.CORRECTION)
        f.decide(request, Outcome.CORRECT)
    elif kind == LetterKind.NOT_CORRECTION:
        request = f.make_request(kind=RequestKind.CORRECTION)
        f.decide(request, Outcome.NOT_CORRECT)
    elif kind == LetterKind.SUSPENSION:
        request = f.make_request(kind=RequestKind.SUSPENSION)
        f.decide(request, Outcome.SUSPEND)
    else:
        request = f.make_request(kind=RequestKind.SUSPENSION)
        f.decide(request, Outcome.NOT_SUSPEND)
    return request, consultation


def _pdf_text(pdf: bytes) -> str:
    import io

    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


# --- every kind ------------------------------------------------------------------------------------


def test_every_kind_has_a_seeded_template() -> None:
    assert set(LetterTemplate.objects.values_list("kind", flat=True)) == set(LetterKind.values)
    for template in LetterTemplate.objects.all():
        assert template.title == str(LetterKind(template.kind).label)
        # The seeded wording compiles and renders with the documented context.
        letters.render_body(template.body, letters.sample_context())


@pytest.mark.parametrize("kind", LetterKind.values)
def test_every_kind_issues_a_pdf_with_date_title_and_number(kind: str, privacy_officer: Any) -> None:
    request, consultation = _state(kind)
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
    text = _pdf_text(pdf)  # the PDF's own text, read back with pypdf
    assert to_wareki(issued_on) in text  # 令和8年11月21日
    assert title in text.replace(" ", "")  # the title is letter-spaced
    assert request.number in text
    assert "様" in text
    event = AuditEvent.objects.get(action="letter.issue")
    assert event.target_type == "privacy_request"
    assert event.target_id == str(request.pk)
    assert event.detail == {"kind": kind, "letter_id": letter.pk}


def test_decision_letter_states_reasons_lapse_date_and_appeal(privacy_officer: Any) -> None:
    request, _ = _state(LetterKind.DISCLOSURE_PARTIAL)
    html = letters.render_letter_html(
        request=request, kind=LetterKind.DISCLOSURE_PARTIAL, issued_on=f.today()
    )
    decision = request.decisions.get()
    assert str(WithholdingReason.THIRD_PERSON.label) in html  # 第19条第3号
    assert decision.reason_text in html
    assert decision.reason_lapses_on is not None
    assert to_wareki(decision.reason_lapses_on) in html
    assert "開示しない部分及び開示しない理由" in html
    assert "審査請求" in html and "取消しの訴え" in html  # 教示
    assert "あさひ市教育委員会" in html


def test_full_disclosure_letter_names_method_and_place_but_no_appeal() -> None:
    request, _ = _state(LetterKind.DISCLOSURE_FULL)
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
    request, _ = _state(LetterKind.AMENDMENT)
    amendment = request.amendments.get()
    html = letters.render_letter_html(request=request, kind=LetterKind.AMENDMENT, issued_on=f.today())
    assert amendment.what_to_fix in html
    assert to_wareki(amendment.reply_by) in html
    assert "第18条第3項" in html


def test_letters_to_a_third_party_never_name_the_requester() -> None:
    for kind in (LetterKind.CONSULTATION, LetterKind.THIRD_PARTY_DECISION):
        request, consultation = _state(kind)
        html = letters.render_letter_html(
            request=request, kind=kind, consultation=consultation, issued_on=f.today()
        )
        assert f.THIRD_PARTY_NAME in html
        assert f.REQUESTER_NAME not in html
        assert request.requester_address not in html
        assert request.information_requested not in html


def test_consultation_letter_gives_opinion_deadline() -> None:
    request, consultation = _state(LetterKind.CONSULTATION)
    assert consultation is not None
    html = letters.render_letter_html(
        request=request, kind=LetterKind.CONSULTATION, consultation=consultation, issued_on=f.today()
    )
    assert "意見書の提出期限" in html
    assert to_wareki(consultation.opinion_due_on) in html


def test_third_party_decision_letter_gives_decision_date_reason_and_disclosure_date() -> None:
    request, consultation = _state(LetterKind.THIRD_PARTY_DECISION)
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
    request, _ = _state(LetterKind.DISCLOSURE_FULL)
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


# --- the administrator's wording --------------------------------------------------------------------


def test_admin_form_refuses_a_template_syntax_error() -> None:
    template = LetterTemplate.objects.get(kind=LetterKind.EXTENSION)
    form = LetterTemplateForm(
        data={"kind": template.kind, "title": template.title, "body": "<p>{% if %}延長します</p>"},
        instance=template,
    )
    assert not form.is_valid()
    assert "本文のテンプレートに誤りがあります" in str(form.errors["body"])


def test_admin_form_refuses_a_template_that_fails_when_rendered() -> None:
    template = LetterTemplate.objects.get(kind=LetterKind.EXTENSION)
    form = LetterTemplateForm(
        data={"kind": template.kind, "title": template.title, "body": '{% include "base.html" %}'},
        instance=template,
    )
    assert not form.is_valid()
    assert "差し込みできませんでした" in str(form.errors["body"])


def test_admin_form_refuses_a_library_outside_the_sandbox() -> None:
    template = LetterTemplate.objects.get(kind=LetterKind.EXTENSION)
    form = LetterTemplateForm(
        data={"kind": template.kind, "title": template.title, "body": "{% load static %}{% static 'x' %}"},
        instance=template,
    )
    assert not form.is_valid()


def test_admin_form_accepts_an_edit() -> None:
    template = LetterTemplate.objects.get(kind=LetterKind.EXTENSION)
    form = LetterTemplateForm(
        data={
            "kind": template.kind,
            "title": "期限延長のお知らせ",
            "body": "<p>{{ extended_due_on|wareki }}まで延長します。</p>",
        },
        instance=template,
    )
    assert form.is_valid(), form.errors
    form.save()
    assert template.history.count() == 2  # the seeded wording and this edit  # type: ignore[attr-defined]


def test_broken_template_in_the_database_gives_a_message_not_a_500(login: Any, privacy_officer: Any) -> None:
    request, _ = _state(LetterKind.DISCLOSURE_FULL)
    LetterTemplate.objects.filter(kind=LetterKind.DISCLOSURE_FULL).update(body="{% for %}")
    client = login(privacy_officer)

    response = client.post(
        reverse("letters:issue", args=[request.pk]), {"kind": LetterKind.DISCLOSURE_FULL}, follow=True
    )
    assert response.status_code == 200
    assert "本文のテンプレートに誤りがあります" in response.content.decode()
    assert not Letter.objects.exists()

    response = client.post(
        reverse("letters:preview", args=[request.pk]), {"kind": LetterKind.DISCLOSURE_FULL}
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="letter.preview").exists()


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


def test_letter_template_admin_pages(client: Any, administrator: Any) -> None:
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    template = LetterTemplate.objects.get(kind=LetterKind.AMENDMENT)
    url = f"/admin/disclosure_requests/lettertemplate/{template.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "amendment_what_to_fix" in body  # the variables are listed
    response = client.post(url, {"title": template.title, "body": "{% if %}"})
    assert response.status_code == 200
    assert "本文のテンプレートに誤りがあります" in response.content.decode()
    template.refresh_from_db()
    assert template.body != "{% if %}"
    history = client.get(f"/admin/disclosure_requests/lettertemplate/{template.pk}/history/")
    assert history.status_code == 200
    assert "既定の文面" in history.content.decode()
    assert client.post(f"/admin/disclosure_requests/lettertemplate/{template.pk}/delete/").status_code == 403
    assert admin.site.is_registered(LetterTemplate)


# --- views -----------------------------------------------------------------------------------------


def test_issue_view_creates_the_letter_and_returns_to_the_request(login: Any, privacy_officer: Any) -> None:
    request, _ = _state(LetterKind.DISCLOSURE_FULL)
    response = login(privacy_officer).post(
        reverse("letters:issue", args=[request.pk]), {"kind": LetterKind.DISCLOSURE_FULL}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[request.pk])
    letter = Letter.objects.get()
    assert letter.kind == LetterKind.DISCLOSURE_FULL
    assert letter.issued_on == f.today()


def test_issue_view_with_consultation(login: Any, privacy_officer: Any) -> None:
    request, consultation = _state(LetterKind.CONSULTATION)
    assert consultation is not None
    response = login(privacy_officer).post(
        reverse("letters:issue", args=[request.pk]),
        {"kind": LetterKind.CONSULTATION, "consultation": consultation.pk},
    )
    assert response.status_code == 302
    assert Letter.objects.get().consultation == consultation


def test_issue_view_refuses_unavailable_kind_with_message(login: Any, privacy_officer: Any) -> None:
    request = f.make_request()
    response = login(privacy_officer).post(
        reverse("letters:issue", args=[request.pk]), {"kind": LetterKind.DISCLOSURE_PARTIAL}, follow=True
    )
    assert "部分開示の決定をした後に発行できます" in response.content.decode()
    assert not Letter.objects.exists()


def test_issue_view_with_another_requests_consultation_is_404(login: Any, privacy_officer: Any) -> None:
    request = f.make_request()
    consultation = f.consult(f.make_request())
    response = login(privacy_officer).post(
        reverse("letters:issue", args=[request.pk]),
        {"kind": LetterKind.CONSULTATION, "consultation": consultation.pk},
    )
    assert response.status_code == 404


def test_preview_returns_the_pdf_without_storing(login: Any, administrator: Any) -> None:
    request, _ = _state(LetterKind.EXTENSION)
    response = login(administrator).post(
        reverse("letters:preview", args=[request.pk]), {"kind": LetterKind.EXTENSION}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="letter-preview.pdf"'
    assert response.content.startswith(b"%PDF")
    assert not Letter.objects.exists()
    event = AuditEvent.objects.get(action="letter.preview")
    assert event.detail == {"kind": LetterKind.EXTENSION}


def test_download_is_audited_and_named_by_id_only(
    login: Any, privacy_officer: Any, administrator: Any
) -> None:
    request, _ = _state(LetterKind.DISCLOSURE_REFUSED)
    letter = letters.letter_issue(actor=privacy_officer, request=request, kind=LetterKind.DISCLOSURE_REFUSED)
    response = login(administrator).get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="letter-{letter.pk}.pdf"'
    assert response.content == bytes(letter.pdf)
    event = AuditEvent.objects.get(action="letter.download")
    assert event.actor == administrator
    assert event.target_id == str(request.pk)
    assert event.detail == {"kind": LetterKind.DISCLOSURE_REFUSED, "letter_id": letter.pk}


def test_download_of_unknown_letter_is_404(login: Any, privacy_officer: Any) -> None:
    assert login(privacy_officer).get(reverse("letters:download", args=[999999])).status_code == 404


def test_issue_of_unknown_request_is_404(login: Any, privacy_officer: Any) -> None:
    response = login(privacy_officer).post(reverse("letters:issue", args=[999999]), {"kind": "extension"})
    assert response.status_code == 404


def test_get_is_not_allowed_to_issue(login: Any, privacy_officer: Any) -> None:
    request = f.make_request()
    assert login(privacy_officer).get(reverse("letters:issue", args=[request.pk])).status_code == 405


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_other_roles_are_refused_403(persona: Any, login: Any, privacy_officer: Any) -> None:
    request, _ = _state(LetterKind.EXTENSION)
    letter = letters.letter_issue(actor=privacy_officer, request=request, kind=LetterKind.EXTENSION)
    client = login(persona)
    data = {"kind": LetterKind.EXTENSION}
    assert client.post(reverse("letters:issue", args=[request.pk]), data).status_code == 403
    assert client.post(reverse("letters:preview", args=[request.pk]), data).status_code == 403
    assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 403
    assert Letter.objects.count() == 1
    assert not AuditEvent.objects.filter(action__in=["letter.download", "letter.preview"]).exists()
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == 3


def test_anonymous_is_sent_to_login(client: Any, privacy_officer: Any) -> None:
    request, _ = _state(LetterKind.EXTENSION)
    letter = letters.letter_issue(actor=privacy_officer, request=request, kind=LetterKind.EXTENSION)
    response = client.get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the panel -------------------------------------------------------------------------------------


def _panel(request: PrivacyRequest, user: Any) -> str:
    http_request = RequestFactory().get("/")
    http_request.user = user
    template = engines["django"].from_string('{% include "disclosure_requests/letters/_panel.html" %}')
    return template.render({"privacy_request": request}, http_request)


def test_panel_lists_letters_and_offers_available_kinds(privacy_officer: Any) -> None:
    request, _ = _state(LetterKind.EXTENSION)
    letter = letters.letter_issue(actor=privacy_officer, request=request, kind=LetterKind.EXTENSION)
    consultation = f.consult(request)
    html = _panel(request, privacy_officer)
    assert reverse("letters:download", args=[letter.pk]) in html
    assert to_wareki(letter.issued_on) in html
    assert reverse("letters:issue", args=[request.pk]) in html
    assert 'value="extension"' in html
    assert f'name="consultation" value="{consultation.pk}"' in html
    assert 'value="disclosure_partial"' not in html
    # Held-data package: the request has no patron yet.
    assert "結び付けられていない" in html
    assert reverse("letters:package_pdf", args=[request.pk]) not in html


def test_panel_offers_the_package_for_a_disclosure_request_with_a_patron(
    privacy_officer: Any, central: Any, general_category: Any
) -> None:
    from tests.factories import make_patron

    request = f.make_request(patron=make_patron())
    html = _panel(request, privacy_officer)
    assert reverse("letters:package_pdf", args=[request.pk]) in html
    assert reverse("letters:package_json", args=[request.pk]) in html


def test_panel_of_a_correction_request_has_no_package(privacy_officer: Any) -> None:
    html = _panel(f.make_request(kind=RequestKind.CORRECTION), privacy_officer)
    assert "保有個人情報の一覧" not in html


def test_letter_actions_have_labels() -> None:
    for action in ("letter.issue", "letter.download", "letter.preview", "privacy_request.package"):
        assert ACTION_LABELS[action]
    assert "letter." in ACTION_GROUP_LABELS


def test_request_detail_page_shows_the_panel(login: Any, privacy_officer: Any) -> None:
    request, _ = _state(LetterKind.EXTENSION)
    letter = letters.letter_issue(actor=privacy_officer, request=request, kind=LetterKind.EXTENSION)
    response = login(privacy_officer).get(reverse("requests:detail", args=[request.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("letters:download", args=[letter.pk]) in body
    assert reverse("letters:issue", args=[request.pk]) in body
