"""Contractor and contract pages (mounted at /outsourcing/). Paths carry internal ids only."""

from django.urls import path

from . import views

app_name = "outsourcing"

urlpatterns = [
    path("", views.contract_list, name="contracts"),
    path("contracts/new/", views.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/procedure/", views.contract_procedure, name="contract_procedure"),
    path("contracts/<int:pk>/clauses/", views.contract_clauses, name="contract_clauses"),
    path("contracts/<int:pk>/handlers/", views.handler_add, name="handler_add"),
    path(
        "contracts/<int:pk>/handlers/<int:handler_pk>/in-charge/",
        views.handler_in_charge,
        name="handler_in_charge",
    ),
    path("contracts/<int:pk>/contractor-change/", views.contractor_change, name="contractor_change"),
    path("contracts/<int:pk>/end/", views.contract_end, name="contract_end"),
    path("contracts/<int:pk>/operators/new/", views.operator_create, name="operator_create"),
    path(
        "contracts/<int:pk>/handlers/<int:handler_pk>/close-account/",
        views.operator_close,
        name="operator_close",
    ),
    path("contractors/", views.contractor_list, name="contractors"),
    path("contractors/new/", views.contractor_create, name="contractor_create"),
    path("contractors/<int:pk>/edit/", views.contractor_edit, name="contractor_edit"),
]
