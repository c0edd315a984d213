"""Test-only root URLconf: the project's, with ``loans.notice_urls`` in the "loans" namespace.

The lead appends ``loans.notice_urls.urlpatterns`` to ``loans/urls.py``; until then the notice and
dashboard tests use this (and keep working after, as names already present are not added twice).
"""

from __future__ import annotations

from django.urls import include, path

from loans import notice_urls
from loans import urls as loans_urls
from privacy_admin import urls as root

_present = {getattr(p, "name", None) for p in loans_urls.urlpatterns}
_loans = [*loans_urls.urlpatterns, *(p for p in notice_urls.urlpatterns if p.name not in _present)]

urlpatterns = [
    path("circulation/", include((_loans, "loans"))),
    *(p for p in root.urlpatterns if getattr(p, "namespace", None) != "loans"),
]
