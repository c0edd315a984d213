"""Operator sessions: nothing stored on the terminal, no download, no Django admin (002; domain.md §6, §10).

``OperatorSessionMiddleware`` goes after ``AuthenticationMiddleware`` (it reads ``request.user``).
For a session whose only role is contractor operator it

- answers every request under the Django admin with 404, logged as ``operator.admin_denied``
  (the admin refuses them anyway; an operator need not even learn where it is);
- replaces any download (a ``Content-Disposition: attachment``, a PDF, CSV, spreadsheet or archive)
  with 404, logged as ``operator.export_denied`` — a second line behind the role checks, so that a
  page opened to operators by mistake still cannot hand out a file;
- marks every response ``Cache-Control: no-store`` (``NoStoreMiddleware`` covers pages with
  personal data for everyone; for an operator it is every response, whatever the path);
- on sign-out, asks the browser to drop its cache and storage (``Clear-Site-Data``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.roles import is_contractor_only

_DOWNLOAD_TYPES = (
    "application/pdf",
    "text/csv",
    "application/csv",
    "application/octet-stream",
    "application/zip",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats",
    "application/vnd.oasis.opendocument",
)


@lru_cache(maxsize=1)
def _admin_prefix() -> str:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return "/admin/"


@lru_cache(maxsize=1)
def _logout_path() -> str:
    try:
        return reverse("accounts:logout")
    except NoReverseMatch:
        return ""


def is_download(response: HttpResponse) -> bool:
    disposition = response.get("Content-Disposition", "").lower()
    if disposition.startswith("attachment"):
        return True
    content_type = response.get("Content-Type", "").lower()
    return content_type.startswith(_DOWNLOAD_TYPES)


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None and match.view_name else "unknown")[:64]


class OperatorSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        operator = user is not None and user.is_authenticated and is_contractor_only(user)
        if not operator:
            return self.get_response(request)
        if request.path.startswith(_admin_prefix()):
            audit_record(
                standalone=True,
                actor=user,
                action="operator.admin_denied",
                target_type="view",
                target_id="admin",
                outcome=Outcome.DENIED,
                detail={"method": request.method or ""},
            )
            raise Http404
        response = self.get_response(request)
        if is_download(response):
            audit_record(
                standalone=True,
                actor=user,
                action="operator.export_denied",
                target_type="view",
                target_id=_view_name(request),
                outcome=Outcome.DENIED,
                detail={"status": response.status_code},
            )
            raise Http404
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        response["Pragma"] = "no-cache"
        response["Expires"] = "0"
        if request.method == "POST" and _logout_path() and request.path == _logout_path():
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
