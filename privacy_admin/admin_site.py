"""The Django admin, for master data only, and only for administrators.

Patron records are not registered here: every look at them must go through the audited pages.
Contractor operators never reach the admin, whatever flags their account carries.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from .core.roles import Role, has_role, is_contractor_only


def may_use_admin(user: Any) -> bool:
    """An active staff account in the administrator role, and no contractor's."""
    return bool(
        user.is_active
        and user.is_staff
        and has_role(user, Role.ADMINISTRATOR)
        and not is_contractor_only(user)
    )


class PrivacyAdminSite(admin.AdminSite):
    site_header = "図書館利用者プライバシー管理 — マスタ管理"
    site_title = "マスタ管理"
    index_title = "マスタ管理"

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)


class AdministratorRoleBackend(BaseBackend):
    """The administrator role is what lets an account edit the master data, not a superuser flag or
    per-model permissions someone must remember to grant: without this, an administrator who is not a
    superuser (the demo's ``admin``, every account made on the staff pages) reached the admin's index and
    got 403 on every list — rule profiles, closed days, letter wording. Each ModelAdmin's own limits
    (read-only history, seeded profiles locked, nothing to delete) still apply on top. Authenticates
    nobody; the product gates nothing else by ``has_perm``."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return may_use_admin(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return may_use_admin(user_obj)
