from django.contrib import admin
from django.urls import include, path

from outsourcing.print_guard import print_attempt

from .api import api
from .views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("privacy_admin.accounts.urls")),
    path("patrons/", include("patrons.urls")),
    path("audit/", include("privacy_admin.audit.urls")),
    path("circulation/", include("loans.urls")),
    path("requests/letters/", include("disclosure_requests.letter_urls")),
    path("requests/complaints/", include("disclosure_requests.complaint_urls")),
    path("requests/", include("disclosure_requests.urls")),
    path("registry/print/", include("register.urls.printing")),
    path("registry/incidents/", include("incidents.urls")),
    path("registry/reports/", include("reports.urls")),
    path("registry/", include("register.urls.entries")),
    path("public/register/", include("register.urls.public")),
    path("outsourcing/oversight/", include("outsourcing.oversight_urls")),
    path("outsourcing/access-review/", include("outsourcing.review_urls")),
    path("outsourcing/print-attempt/", print_attempt, name="operator_print_attempt"),
    path("outsourcing/", include("outsourcing.urls")),
    path("backups/", include("backups.urls")),
    path("system/outbox/", include("privacy_admin.devmail.urls")),
    path("my/", include("mypage.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
