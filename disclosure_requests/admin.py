"""Master data of 開示等請求 in the admin: the rule profiles (期限ルール) and the library's closed days.

Requests, letters and complaints are not here: they hold personal data and go through the audited pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .citations import RULES
from .models import ClosedDay, PrivacyRequest, RuleProfile
from .profiles import (
    DAY_FIELDS,
    SEEDED_PROFILE_CODES,
    ProfileNotApplicable,
    rule_profile_copy,
    rule_profile_make_current,
)


@admin.register(RuleProfile)
class RuleProfileAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "is_current",
        "disclosure_days",
        "disclosure_extension_days",
        "correction_days",
        "suspension_days",
        "request_window_days",
    )
    list_display_links = ("name",)
    ordering = ("-is_current", "code")
    search_fields = ("code", "name")
    actions = ("copy_profiles", "make_current")
    fieldsets = (
        (None, {"fields": ("code", "name", "source", "is_current")}),
        (
            "開示",
            {
                "fields": (
                    "disclosure_days",
                    "disclosure_extension_days",
                    "disclosure_special_notice_days",
                    "disclosure_special_substantial_days",
                )
            },
        ),
        (
            "訂正",
            {"fields": ("correction_days", "correction_extension_days", "correction_special_notice_days")},
        ),
        (
            "利用停止",
            {"fields": ("suspension_days", "suspension_extension_days", "suspension_special_notice_days")},
        ),
        (
            "請求者・第三者の期間",
            {
                "fields": (
                    "request_window_days",
                    "method_choice_days",
                    "third_party_wait_days",
                    "third_party_opinion_days",
                    "amendment_reply_days",
                )
            },
        ),
        (
            "適用する法令と条項",
            {
                "fields": (
                    "law_name",
                    "law_short_name",
                    "citations",
                    "appointed_agent_specific_only",
                    "is_template",
                ),
                "description": "条項は規則のキーごとに「第82条第1項」のように入力します（法令に条項がない規則は空欄）。"
                "キーの一覧: " + "、".join(f"{key}（{label}）" for key, label in RULES),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: RuleProfile | None = None) -> tuple[str, ...]:
        # The current profile is switched with the action, so that exactly one stays current.
        locked: tuple[str, ...] = ("is_current",)
        if obj is not None and (obj.code in SEEDED_PROFILE_CODES or _in_use(obj)):
            # The seeded rules are the law's; a profile in use is what requests were received under.
            # Copy it to change the periods.
            locked += ("code", *DAY_FIELDS)
        return locked

    def has_delete_permission(self, request: HttpRequest, obj: RuleProfile | None = None) -> bool:
        if obj is not None and (obj.is_current or obj.code in SEEDED_PROFILE_CODES):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="選択した期限ルールを複製")
    def copy_profiles(self, request: HttpRequest, queryset: QuerySet[RuleProfile]) -> None:
        copies = [
            rule_profile_copy(actor=request.user, profile=profile) for profile in queryset.order_by("code")
        ]
        names = "、".join(copy.name for copy in copies)
        self.message_user(request, f"複製しました: {names}（適用はしていません）。", messages.SUCCESS)

    @admin.action(description="選択した期限ルールをこの図書館で適用")
    def make_current(self, request: HttpRequest, queryset: QuerySet[RuleProfile]) -> None:
        profiles = list(queryset[:2])
        if len(profiles) != 1:
            self.message_user(request, "適用する期限ルールを1つだけ選んでください。", messages.ERROR)
            return
        try:
            profile = rule_profile_make_current(actor=request.user, profile=profiles[0])
        except ProfileNotApplicable as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            f"「{profile.name}」をこの図書館で適用します。受付済みの請求は受付時の期限ルールのままです。",
            messages.SUCCESS,
        )


def _in_use(profile: RuleProfile) -> bool:
    return PrivacyRequest.objects.filter(profile=profile).exists()


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "reason")
    ordering = ("date",)
    date_hierarchy = "date"
    search_fields = ("reason",)

    @admin.display(description="曜日", ordering="date")
    def weekday(self, obj: ClosedDay) -> str:
        return "月火水木金土日"[obj.date.weekday()]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"reason": "休館日", **super().get_changeform_initial_data(request)}
