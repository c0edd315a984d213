"""disclosure_requests.templatetags.letter_panel: the letters panel of a request lists its letters and
offers the kinds and the held-data package its state allows."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from disclosure_requests import letters
from disclosure_requests.models import (
    LetterKind,
    PrivacyRequest,
    RequestKind,
)
from privacy_admin.core.dates import to_wareki

from .. import factories as f
from ..letter_helpers import letter_state

pytestmark = pytest.mark.django_db


def _panel(request: PrivacyRequest, user: Any) -> str:
    http_request = RequestFactory().get("/")
    http_request.user = user
    template = engines["django"].from_string('{% include "disclosure_requests/letters/_panel.html" %}')
    return template.render({"privacy_request": request}, http_request)


def test_panel_lists_letters_and_offers_available_kinds(privacy_officer: Any) -> None:
    request, _ = letter_state(LetterKind.EXTENSION)
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


def test_request_detail_page_shows_the_panel(login: Any, privacy_officer: Any) -> None:
    request, _ = letter_state(LetterKind.EXTENSION)
    letter = letters.letter_issue(actor=privacy_officer, request=request, kind=LetterKind.EXTENSION)
    response = login(privacy_officer).get(reverse("requests:detail", args=[request.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("letters:download", args=[letter.pk]) in body
    assert reverse("letters:issue", args=[request.pk]) in body
