"""The backup-media register (mounted at /backups/). Paths carry the medium's internal id only."""

from django.urls import path

from . import views

app_name = "backups"

urlpatterns = [
    path("", views.media_list, name="list"),
    path("new/", views.medium_record, name="record"),
    path("<int:pk>/destroy/", views.medium_destroy, name="destroy"),
]
