from django.urls import path

from incidents import views

app_name = "incidents"

# Incidents are addressed by id only (mounted at /registry/incidents/).
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/facts/", views.incident_facts, name="facts"),
    path("<int:pk>/board-report/", views.incident_board_report, name="board_report"),
    path("<int:pk>/written-report/", views.incident_written_report, name="written_report"),
    path("<int:pk>/triggers/", views.incident_triggers, name="triggers"),
    path("<int:pk>/commission-first/", views.incident_commission_first, name="commission_first"),
    path("<int:pk>/commission-final/", views.incident_commission_final, name="commission_final"),
    path("<int:pk>/persons-notified/", views.incident_persons_notified, name="persons_notified"),
    path("<int:pk>/close/", views.incident_close, name="close"),
    path("<int:pk>/report.pdf", views.incident_pdf, name="pdf"),
]
