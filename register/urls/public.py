"""Public pages, no login (mounted at /public/register/): the register and the 山梨県 要綱 第49条 publication."""

from django.urls import path

from register.views import public as public_views

app_name = "public_register"

urlpatterns = [
    path("", public_views.public_list, name="list"),
    path("<int:pk>/", public_views.public_detail, name="detail"),
    path("how-to-request/", public_views.publication, name="publication"),
    path("forms/<slug:kind>.pdf", public_views.request_form_pdf, name="form_pdf"),
]
