"""苦情 pages (mounted at /requests/complaints/). Paths carry the complaint's internal id only."""

from django.urls import path

from . import complaint_views

app_name = "complaints"

urlpatterns = [
    path("", complaint_views.complaint_list, name="list"),
    path("new/", complaint_views.complaint_create, name="create"),
    path("<int:pk>/", complaint_views.complaint_detail, name="detail"),
    path("<int:pk>/assign/", complaint_views.complaint_assign, name="assign"),
    path("<int:pk>/answer/", complaint_views.complaint_answer, name="answer"),
    path("<int:pk>/close/", complaint_views.complaint_close, name="close"),
]
