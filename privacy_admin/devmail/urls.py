"""The development outbox, under the administrators' system pages. Paths carry message ids only."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "devmail"

urlpatterns: list[URLPattern] = [
    path("", views.outbox, name="outbox"),
    path("<str:message_id>/", views.message, name="message"),
]
