"""The backup-media register in the admin, read only: media are recorded by ``manage.py backup`` and the
register page (/backups/), whose services validate and write the access log; the admin never writes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import BackupMedium


@admin.register(BackupMedium)
class BackupMediumAdmin(admin.ModelAdmin):
    list_display = ("medium", "kind", "taken_at", "retain_until", "destroyed_on", "destruction_method")
    list_filter = ("kind", "destruction_method")
    ordering = ("-taken_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
