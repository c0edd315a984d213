from django.contrib import admin
from django.urls import include, path

from .api import api
from .views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("privacy_admin.accounts.urls")),
    path("patrons/", include("patrons.urls")),
    path("audit/", include("privacy_admin.audit.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
