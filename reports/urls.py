from django.urls import path

from reports import views

app_name = "annual_reports"

# Mounted at /registry/reports/. The 年度 is chosen with ?fy=2025 (not personal data).
urlpatterns = [
    path("", views.report_index, name="index"),
    path("register-status/", views.register_status, name="register_status"),
    path("register-status.pdf", views.register_status_pdf, name="register_status_pdf"),
    path("enforcement/", views.enforcement, name="enforcement"),
    path("enforcement.pdf", views.enforcement_pdf, name="enforcement_pdf"),
]
