"""Staff accounts: the branch each person works at, and API tokens (revocable, never shown again)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from privacy_admin.core.roles import Role, has_role

from .lockout import lockout_clear_account
from .models import ApiToken, StaffProfile
from .services import api_token_revoke

User = get_user_model()


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    extra = 0


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ("username", "email", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "groups")
    actions = ["unlock"]

    @admin.action(description=gettext_lazy("選択したアカウントのロックを解除する"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        if not has_role(request.user, Role.ADMINISTRATOR):
            self.message_user(
                request, gettext("ロック解除はシステム管理者のみが行えます。"), level=messages.ERROR
            )
            return
        for user in queryset:
            lockout_clear_account(actor=request.user, user=user)
        self.message_user(
            request, gettext("%(count)s件のアカウントのロックを解除しました。") % {"count": queryset.count()}
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "user", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued with `manage.py create_api_token`, which shows them once

    @admin.action(description=gettext_lazy("選択したトークンを失効させる"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(actor=request.user, token=token)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
