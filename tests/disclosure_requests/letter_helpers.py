"""Helpers shared by the letter tests (letters, letter views, the letter admin, the letters panel)."""

from __future__ import annotations

import datetime as dt

import pypdf

from disclosure_requests.models import (
    LetterKind,
    Outcome,
    PrivacyRequest,
    RequestKind,
    ThirdPartyConsultation,
)

from . import factories as f


def letter_state(kind: str) -> tuple[PrivacyRequest, ThirdPartyConsultation | None]:
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


def pdf_text(pdf: bytes) -> str:
    import io

    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
