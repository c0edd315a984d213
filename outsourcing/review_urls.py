"""Access review pages (mounted at /outsourcing/access-review/). Operators by internal id only."""

from django.urls import path

from . import review_views as views

app_name = "access_review"

urlpatterns = [
    path("", views.index, name="index"),
    path("operators/<int:pk>/", views.operator, name="operator"),
    path("pdf/", views.pdf, name="pdf"),
]
