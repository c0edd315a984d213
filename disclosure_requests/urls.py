from django.urls import path

from . import online_views, views

app_name = "requests"

# Requests are addressed by id only: a requester's name never goes into a URL. Letters and complaints
# are mounted before this module (requests/letters/, requests/complaints/).
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("list/", views.request_list, name="list"),
    path("receive/", views.receive, name="receive"),
    path("online/<int:pk>/receive/", online_views.receive_online, name="online_receive"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/amendments/", views.amend, name="amend"),
    path(
        "<int:pk>/amendments/<int:amendment_pk>/complete/",
        views.amend_complete,
        name="amend_complete",
    ),
    path("<int:pk>/extension/", views.extend, name="extend"),
    path("<int:pk>/special-extension/", views.extend_special, name="extend_special"),
    path("<int:pk>/consultations/", views.consult, name="consult"),
    path(
        "<int:pk>/consultations/<int:consultation_pk>/opinion/",
        views.opinion,
        name="opinion",
    ),
    path("<int:pk>/decision/", views.decide, name="decide"),
    path("<int:pk>/disclosure/", views.disclose, name="disclose"),
    path("<int:pk>/correction/", views.correct, name="correct"),
    path("<int:pk>/suspension/", views.suspend, name="suspend"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
