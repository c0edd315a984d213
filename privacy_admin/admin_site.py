"""The Django admin, for master data only, and only for administrators.

Patron records are not registered here: every look at them must go through the audited pages.
Contractor operators never reach the admin, whatever flags their account carries.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .core.roles import Role, has_role, is_contractor_only


class PrivacyAdminSite(admin.AdminSite):
    site_header = "図書館利用者プライバシー管理 — マスタ管理"
    site_title = "マスタ管理"
    index_title = "マスタ管理"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and has_role(user, Role.ADMINISTRATOR)
            and not is_contractor_only(user)
        )
