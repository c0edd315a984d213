"""Contractors and contracts are managed on their own audited pages (/outsourcing/); the admin only
lists them read-only, for administrators who look for a record by number."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Contract, Contractor


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Contractor)
class ContractorAdmin(_ReadOnly):
    list_display = ("name", "privacy_mark", "privacy_mark_expires_on")
    search_fields = ("name",)


@admin.register(Contract)
class ContractAdmin(_ReadOnly):
    list_display = ("number", "title", "contractor", "starts_on", "ends_on", "status")
    list_filter = ("status",)
    search_fields = ("number", "title")
    exclude = ("data_items",)
