"""Notice pages and the circulation dashboard, appended to ``loans.urls`` (namespace "loans").

Paths carry internal notice ids only; card numbers, names and barcodes never appear in them.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from . import notice_views

urlpatterns: list[URLPattern] = [
    path("notices/", notice_views.notices_page, name="notices"),
    path("notices/postcards/", notice_views.postcards_pdf, name="postcards_pdf"),
    path("notices/phone/", notice_views.phone_sheet, name="phone_sheet"),
    path("notices/<int:pk>/called/", notice_views.notice_called, name="notice_called"),
    path("notices/<int:pk>/to-postcard/", notice_views.notice_to_postcard, name="notice_to_postcard"),
    path("dashboard/", notice_views.dashboard, name="dashboard"),
    path("offline-returns/", notice_views.offline_returns, name="offline_returns"),
]
