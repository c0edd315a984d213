from django.urls import path

from . import notice_urls, views

app_name = "loans"

# Barcodes and card numbers travel in POST bodies, never in these paths.
urlpatterns = [
    path("", views.counter, name="counter"),
    path("return/", views.return_items, name="return"),
    path("reserve/", views.reserve, name="reserve"),
    path("pickup/", views.pickup, name="pickup"),
    path("capture/", views.capture, name="capture"),
    path("cancel/", views.cancel, name="cancel"),
    path("items/", views.items, name="items"),
    path("items/import/", views.item_import, name="item_import"),
    path("damage-cases/", views.damage_cases, name="damage_cases"),
    path("damage-cases/<int:pk>/settle/", views.damage_case_settle, name="damage_case_settle"),
    # Notices, the circulation dashboard and offline returns (loans.notice_urls).
    *notice_urls.urlpatterns,
]
