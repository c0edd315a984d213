from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("export.csv", views.export, name="export"),
    path("checkpoint/", views.checkpoint, name="checkpoint"),
    path("checkpoint.pdf", views.checkpoint_pdf, name="checkpoint_pdf"),
]
