"""Register pages for staff (mounted at /registry/). Paths carry the entry's internal id only."""

from django.urls import path

from register.views import entries as views

app_name = "registry"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_create, name="create"),
    path("inventory/", views.field_inventory, name="inventory"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/change/", views.entry_change, name="change"),
    path("<int:pk>/abolish/", views.entry_abolish, name="abolish"),
]
