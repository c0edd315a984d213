"""Master data in the admin: branches and patron categories. Patrons themselves are not here."""

from django.contrib import admin

from .models import Branch, PatronCategory


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "accepts_registration", "is_active", "sort_order")
    list_filter = ("kind", "is_active", "accepts_registration")
    search_fields = ("code", "name")
    ordering = ("sort_order", "code")


@admin.register(PatronCategory)
class PatronCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_child", "is_group", "sort_order")
    ordering = ("sort_order", "code")
