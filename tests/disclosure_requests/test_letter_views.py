"""disclosure_requests.letter_views: issuing, previewing and downloading letters — audited, by id only,
refused to other roles, 404 for what is out of reach."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from disclosure_requests import letters
from disclosure_requests.models import (
    Letter,
    LetterKind,
    LetterTemplate,
)
from privacy_admin.audit.models import AuditEvent

from . import factories as f
from .letter_helpers import letter_state

pytestmark = pytest.mark.django_db


def test_broken_template_in_the_database_gives_a_message_not_a_500(login: Any, privacy_officer: Any) -> None:
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
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


def test_issue_view_creates_the_letter_and_returns_to_the_request(login: Any, privacy_officer: Any) -> None:
    request, _ = letter_state(LetterKind.DISCLOSURE_FULL)
    response = login(privacy_officer).post(
        reverse("letters:issue", args=[request.pk]), {"kind": LetterKind.DISCLOSURE_FULL}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[request.pk])
    letter = Letter.objects.get()
    assert letter.kind == LetterKind.DISCLOSURE_FULL
    assert letter.issued_on == f.today()


def test_issue_view_with_consultation(login: Any, privacy_officer: Any) -> None:
    request, consultation = letter_state(LetterKind.CONSULTATION)
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
    request, _ = letter_state(LetterKind.EXTENSION)
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
    request, _ = letter_state(LetterKind.DISCLOSURE_REFUSED)
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
    request, _ = letter_state(LetterKind.EXTENSION)
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
    request, _ = letter_state(LetterKind.EXTENSION)
    letter = letters.letter_issue(actor=privacy_officer, request=request, kind=LetterKind.EXTENSION)
    response = client.get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
