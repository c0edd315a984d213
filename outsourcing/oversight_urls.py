"""Oversight pages (mounted at /outsourcing/oversight/). Paths carry internal ids only."""

from django.urls import path

from . import oversight_views as views

app_name = "oversight"

urlpatterns = [
    # library side: privacy officers and administrators
    path("", views.overview, name="overview"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/trainings/new/", views.training_create, name="training_create"),
    path("contracts/<int:pk>/reports/", views.report_list, name="reports"),
    path("contracts/<int:pk>/audits/new/", views.audit_create, name="audit_create"),
    path("contracts/<int:pk>/reviews/new/", views.review_create, name="review_create"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("audits/<int:pk>/", views.audit_detail, name="audit"),
    path("audits/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    # operator side: a contractor's operator, their own contract only
    path("my/", views.my_reports, name="my_reports"),
    path("my/contracts/<int:pk>/reports/", views.operator_reports, name="operator_reports"),
    path("my/contracts/<int:pk>/reports/new/", views.report_submit, name="report_submit"),
    path("my/reports/<int:pk>/", views.operator_report, name="operator_report"),
]
