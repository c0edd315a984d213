"""django-csp's middleware, leaving PDFs alone (settings.CONTENT_SECURITY_POLICY; issue 14 §3).

Chrome shows a PDF served inline in a page of its own making, with inline styles and an embedded
viewer: a Content-Security-Policy on the PDF response applies to that page and leaves it blank or
cut short (https://crbug.com/271452). Our PDFs come from WeasyPrint and run nothing, so they are
sent without the header; every other answer carries it.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware as _CSPMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase


class CSPMiddleware(_CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.get("Content-Type", "").split(";")[0].strip().lower() == "application/pdf":
            response._csp_exempt = True  # type: ignore[attr-defined]  # django-csp's marker
            response._csp_exempt_ro = True  # type: ignore[attr-defined]
        return super().process_response(request, response)
