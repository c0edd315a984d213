"""Printing the register (mounted at /registry/print/): staff pages and the public PDFs (第16条第5項)."""

from django.urls import path

from register.views import printing as print_views

app_name = "register_print"

urlpatterns = [
    path("", print_views.index, name="index"),
    path("<int:pk>/", print_views.progress, name="progress"),
    path("<int:pk>/status/", print_views.status, name="status"),
    path("<int:pk>/download/", print_views.download, name="download"),
    path("entries/<int:pk>.pdf", print_views.entry_pdf, name="entry_pdf"),
    path("public.pdf", print_views.public_register_pdf, name="public_register_pdf"),
]
