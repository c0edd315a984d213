"""privacy_admin.core.pdf: WeasyPrint renders Japanese with the embedded IPAex font, and nothing is fetched
but files under static/."""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest

from privacy_admin.core import pdf

JAPANESE = "保有個人情報開示決定通知書"


def _streams(document: bytes) -> bytes:
    """Every stream of the PDF, inflated where it is compressed (fonts and object streams included)."""
    out = []
    for match in re.finditer(rb"stream\r?\n", document):
        start = match.end()
        end = document.find(b"endstream", start)
        raw = document[start:end]
        try:
            out.append(zlib.decompressobj().decompress(raw))
        except zlib.error:
            out.append(raw)
    return b"\n".join(out)


def _laid_out_text(html: str) -> str:
    from weasyprint import HTML

    rendered = HTML(string=html, url_fetcher=pdf._static_only_fetcher()).render()

    def walk(box: Any) -> Any:
        if getattr(box, "text", None):
            yield box.text
        for child in getattr(box, "children", []) or []:
            yield from walk(child)

    return "".join(text for page in rendered.pages for text in walk(page._page_box))


def _letter_context() -> dict[str, Any]:
    return {
        "title": JAPANESE,
        "body": "<p>令和8年11月21日付けで請求のありました保有個人情報について通知します。</p>",
        "request_number": "R8-開示-0001",
        "issued_on": "2026-11-21",
        "addressee_name": "山田 太郎",
        "library_head": "あさひ市立図書館長",
        "library_office": "管理係",
        "library_name": "あさひ市立図書館",
    }


def test_render_pdf_produces_a_pdf_with_japanese_text() -> None:
    document = pdf.render_pdf("disclosure_requests/pdf/letter.html", _letter_context())
    assert document.startswith(b"%PDF")
    assert document.rstrip().endswith(b"%%EOF")
    # The Japanese font is embedded (a subset), so the text prints without the reader's fonts.
    assert b"IPAexMincho" in _streams(document)


def test_japanese_text_is_laid_out_in_japanese() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("disclosure_requests/pdf/letter.html", _letter_context())
    text = _laid_out_text(html)
    assert JAPANESE in text
    assert "令和8年11月21日" in text  # the wareki filter ran in the PDF template
    assert "山田 太郎　様" in text


def test_render_html_to_pdf_paginates() -> None:
    html = "<html><body>" + "<p>あいうえお</p>" * 400 + "</body></html>"
    document = pdf.render_html_to_pdf(html)
    assert document.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", _streams(document) + document)) > 1


def _requested_urls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL WeasyPrint opens (both its old and new fetchers go through OpenerDirector.open)."""
    import urllib.request

    opened: list[str] = []
    real = urllib.request.OpenerDirector.open

    def spy(self: Any, url: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(url.full_url if isinstance(url, urllib.request.Request) else str(url))
        return real(self, url, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy)
    return opened


def test_non_static_urls_are_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = _requested_urls(monkeypatch)
    html = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body>'
        '<img src="https://example.com/tracker.png"><img src="file:///etc/passwd">'
        '<img src="ftp://example.com/x.png"><p>日本語</p></body></html>'
    )
    document = pdf.render_html_to_pdf(html)
    assert document.startswith(b"%PDF")
    assert opened == []


def test_static_files_may_be_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = _requested_urls(monkeypatch)
    document = pdf.render_html_to_pdf(
        '<html><head><link rel="stylesheet" href="css/app.css"></head><body><p>日本語</p></body></html>'
    )
    assert document.startswith(b"%PDF")
    assert opened and all(url.startswith(pdf._STATIC_ROOT.as_uri() + "/") for url in opened)


def test_a_path_climbing_out_of_static_is_not_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = _requested_urls(monkeypatch)
    document = pdf.render_html_to_pdf(
        '<html><head><link rel="stylesheet" href="../privacy_admin/settings.py"></head><body><p>日本語</p></body></html>'
    )
    assert document.startswith(b"%PDF")
    assert opened == []


def test_a_pdf_is_rendered_in_the_librarys_language_whatever_the_reader_chose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Letters, sheets and reports are official documents: an officer reading the site in English still
    # issues them in Japanese (citations included: disclosure_requests.citations follows the language).
    from django.conf import settings
    from django.utils import translation

    seen: list[str | None] = []

    def capture(name: str, context: dict[str, object]) -> str:
        seen.append(translation.get_language())
        return "<html><body>x</body></html>"

    monkeypatch.setattr(pdf, "render_to_string", capture)
    with translation.override("en"):
        pdf.render_pdf("any.html", {})
        assert translation.get_language() == "en"
    assert seen == [settings.LANGUAGE_CODE]
