"""Join the separately rendered parts of the whole register into one PDF, with pypdf.

The register is rendered in parts (several processes, see ``register_pdf``); pypdf — a maintained,
pure-Python PDF library — appends their pages in order and writes the title and language once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import NameObject, TextStringObject


class PdfMergeError(ValueError):
    """A part could not be read as a PDF (the message names no content)."""


def merge_pdfs(parts: Sequence[bytes], *, title: str = "", lang: str = "ja") -> bytes:
    """One PDF with the pages of ``parts`` in order."""
    if not parts:
        raise PdfMergeError("nothing to merge")
    writer = PdfWriter()
    try:
        for data in parts:
            writer.append(PdfReader(io.BytesIO(data)))
    except (PyPdfError, ValueError, KeyError) as exc:
        raise PdfMergeError(f"a part is not a readable PDF ({type(exc).__name__})") from None
    writer.add_metadata({"/Title": title, "/Producer": "WeasyPrint"})
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.compress_identical_objects()  # the parts share fonts and images
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
