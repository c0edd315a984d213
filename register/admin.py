"""The register in the admin, read only: entries and their history (simple-history's history view).

Registration, change and abolition go through the register pages (/registry/), whose services validate
(山梨県 要綱 第16条第2項), keep the reason in the history and write the access log; the admin never writes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from register.models import RegisterEntry


@admin.register(RegisterEntry)
class RegisterEntryAdmin(SimpleHistoryAdmin):
    list_display = ("number", "name", "department", "status", "registered_on", "changed_on", "abolished_on")
    list_display_links = ("number", "name")
    list_filter = ("status", "outsourced", "online_connection", "sensitive")
    search_fields = ("code", "name", "purpose", "department")
    ordering = ("number",)
    history_list_display = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
