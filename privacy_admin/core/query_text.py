"""Query-string parameters (searches, filters, page numbers) are text a person or a program typed: one
place refuses control and invisible characters in them (``core.text.has_invisible``) before any view or
API filter reaches the database, where a NUL would be a server error (PostgreSQL refuses it in text).

A page answers 400 with a Japanese message naming what to fix; the API answers ``{"detail": ...}``.
Form posts are checked field by field by ``core.forms.VisibleTextMixin``; JSON bodies by the services'
``clean_text``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .text import has_invisible

QUERY_INVISIBLE = gettext_noop(
    "検索語や絞り込みの条件に、制御文字などの見えない文字が含まれています。取り除いてから、もう一度検索してください。"
)


def query_has_invisible(request: HttpRequest) -> bool:
    """True when any name or value in the query string holds an invisible character."""
    return any(
        has_invisible(key) or any(has_invisible(value) for value in values)
        for key, values in request.GET.lists()
    )


class RefuseInvisibleQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if query_has_invisible(request):
            message = _(QUERY_INVISIBLE)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
