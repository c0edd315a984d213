"""PDF rendering (architecture rule 7): ``render_pdf(template, context) -> bytes`` with WeasyPrint.

Every PDF extends ``templates/pdf/base.html``: A4, IPAex Mincho (Debian ``fonts-ipaexfont``; the
system check privacy_admin.W001 warns when no Japanese font is installed), page numbers in the footer.
Templates are rendered with Django's engine, so the ``wareki`` filters work in them. Nothing is fetched
over the network: the base URL is the static directory, and any other URL is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

_STATIC_ROOT = Path(settings.BASE_DIR) / "static"


def _static_only_fetcher() -> Any:
    # Only files under static/ (e.g. a logo) may be embedded; a template must never reach the network.
    from weasyprint.urls import URLFetcher

    prefix = _STATIC_ROOT.as_uri() + "/"

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(prefix):
                raise ValueError("PDF resources are limited to static files")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols={"file"})


def html_document(html: str, *, document_class: Any = None) -> Any:
    """A WeasyPrint ``HTML`` (or ``document_class``, a subclass) for ``html`` that may load static
    files only — for callers that lay out and write in separate steps, like the register's parts."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    cls = document_class or HTML
    return cls(string=html, base_url=_STATIC_ROOT.as_uri() + "/", url_fetcher=_static_only_fetcher())


def render_html_to_pdf(html: str) -> bytes:
    return bytes(html_document(html).write_pdf())


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """Render ``template_name`` (which extends pdf/base.html) to PDF bytes, in the library's language
    whatever the reader chose: letters, sheets and reports are official documents in Japanese."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_html_to_pdf(render_to_string(template_name, context or {}))
