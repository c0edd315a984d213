"""Circulation master data in the admin: items; damage cases and notices to look at.

Loan and Reservation are deliberately not registered (and have no history): who borrowed or reserved
what is seen only on the audited counter pages, and only while it lasts (市川市 方針 第3(2)(3)).
Lists never show the patron; changing a damage case or a notice goes through the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DamageCase, Item, Notice


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("barcode", "title", "author", "home_branch", "current_branch", "status")
    list_filter = ("status", "home_branch")
    search_fields = ("barcode", "title")
    ordering = ("barcode",)
    readonly_fields = ("last_returned_at", "created_at")
    list_select_related = ("home_branch", "current_branch")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The status follows lending and returns; setting it here would skip the services.
        if obj is not None:
            return (*self.readonly_fields, "status")
        return self.readonly_fields


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DamageCase)
class DamageCaseAdmin(_ReadOnlyAdmin):
    """Opened by a return, settled (deleted) on the 汚破損案件 page; the patron is not shown here."""

    list_display = ("pk", "item", "branch", "reported_on", "status")
    list_filter = ("branch", "status")
    fields = ("item", "branch", "reported_on", "description", "status")
    list_select_related = ("item", "branch")


@admin.register(Notice)
class NoticeAdmin(_ReadOnlyAdmin):
    list_display = ("pk", "kind", "channel", "created_on", "item_count", "status", "branch")
    list_filter = ("kind", "channel", "status")
    fields = ("kind", "channel", "created_on", "item_count", "status", "sent_at", "branch")
    list_select_related = ("branch",)
