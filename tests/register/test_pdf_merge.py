"""register.pdf_merge — joining the parts of a register print into one PDF (pages in order, the title
and language written once), and refusing what it cannot read without quoting it."""

from __future__ import annotations

import io

import pypdf
import pytest

from register.pdf_merge import PdfMergeError, merge_pdfs


def _pdf(*widths: int) -> bytes:
    """A blank PDF whose pages are told apart by their width."""
    writer = pypdf.PdfWriter()
    for width in widths:
        writer.add_blank_page(width=width, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_parts_pages_are_joined_in_order_with_the_title_and_language() -> None:
    merged = merge_pdfs([_pdf(500, 501), _pdf(502), _pdf(503)], title="個人情報取扱事務登録簿")

    reader = pypdf.PdfReader(io.BytesIO(merged))
    assert [int(page.mediabox.width) for page in reader.pages] == [500, 501, 502, 503]
    assert reader.metadata is not None and reader.metadata.title == "個人情報取扱事務登録簿"
    assert reader.root_object["/Lang"] == "ja"


def test_merging_refuses_what_it_cannot_read() -> None:
    with pytest.raises(PdfMergeError) as info:
        merge_pdfs([_pdf(500), b"not a pdf: secret"])
    assert "secret" not in str(info.value)
    with pytest.raises(PdfMergeError):
        merge_pdfs([])
