from django.urls import path

from . import views

app_name = "patrons"

# No URL carries a card number: lookups by card number are POSTed to ``find`` and answered with a
# redirect to the patron's random public_id (000 第3; architecture "privacy invariant").
urlpatterns = [
    path("", views.find, name="find"),
    path("register/", views.register, name="register"),
    path("import/", views.import_csv, name="import"),
    path("paper-forms/", views.paper_forms, name="paper_forms"),
    path("paper-forms/<int:pk>/destroy/", views.paper_form_destroy, name="paper_form_destroy"),
    path("password-reset/", views.password_reset, name="password_reset"),
    # The link mailed to the registered address: an opaque token, never a card number or e-mail.
    path("password-reset/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/renew/", views.renew, name="renew"),
    path("<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("<uuid:public_id>/password/", views.password, name="password"),
]
