from django.urls import path

from . import views

app_name = "mypage"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("loans/<int:loan_id>/renew/", views.renew, name="renew"),
    path("search/", views.search, name="search"),
    path("reserve/", views.reserve, name="reserve"),
    path("reservations/<int:reservation_id>/cancel/", views.cancel_reservation, name="cancel_reservation"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.password, name="password"),
    path("history/", views.history_page, name="history"),
    path("requests/new/", views.online_request, name="online_request"),
]
