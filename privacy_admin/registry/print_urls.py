from django.urls import path  # noqa: F401

app_name = "register_print"

urlpatterns: list = []
