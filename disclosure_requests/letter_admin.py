"""Admin for the wording of notice letters (通知書テンプレート) and a read-only list of complaints.

Imported from ``DisclosureRequestsConfig.ready`` (admin.py is the rule profiles' and closed days').
Administrators edit the letter wording — names and wording vary by municipality (domain.md §7) — with
every change kept by simple-history, so an earlier (or the seeded) wording can be restored. A body that
does not compile, or does not render with example values, is refused with a Japanese message: a broken
template must never reach the officer who issues a letter.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from privacy_admin.core import forms as core_forms

from .letter_variables import CONTEXT_VARIABLES
from .letters import LetterTemplateError, render_body, sample_context
from .models import Complaint, LetterTemplate

_BODY_HELP = (
    "通知書の本文です。Djangoテンプレートとして差し込みます（変数は {{ 変数名 }}、日付は "
    "{{ issued_on|wareki }} のように wareki フィルタで和暦にします）。HTMLの &lt;p&gt;・&lt;table&gt; "
    "などが使えます。文書番号・日付・宛名・差出人・表題・担当は共通の書式で印字されます。"
    "使える変数は下の一覧のとおりです。"
)


def _variables_help() -> str:
    rows = format_html_join("", "<tr><td><code>{}</code></td><td>{}</td></tr>", CONTEXT_VARIABLES)
    return format_html(
        '<details><summary>差し込みできる変数</summary><table class="letter-variables">{}</table></details>',
        rows,
    )


class LetterTemplateForm(core_forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ("kind", "title", "body")
        widgets = {
            "body": forms.Textarea(attrs={"rows": 30, "cols": 110, "style": "font-family: monospace;"})
        }

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        try:
            # Compile and render with example values: both syntax errors and failures at render time
            # are caught here rather than when a letter is issued.
            render_body(body, sample_context())
        except LetterTemplateError as exc:
            raise forms.ValidationError(exc.message) from None
        return body


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    form = LetterTemplateForm
    list_display = ("title", "kind", "updated_at")
    ordering = ("pk",)
    search_fields = ("title", "body")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return (
            (None, {"fields": ("kind", "title")}),
            (
                "本文",
                {"fields": ("body",), "description": format_html("{}<br>{}", _BODY_HELP, _variables_help())},
            ),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # One template per kind: the kind of an existing template does not change.
        return ("kind",) if obj is not None else ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The twelve are seeded (migration 0003); a missing one may be added back.
        existing = set(LetterTemplate.objects.values_list("kind", flat=True))
        return super().has_add_permission(request) and len(existing) < len(
            LetterTemplate._meta.get_field("kind").choices or ()
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Without its template a kind of letter could not be issued; edit or revert it instead.
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only, without the complainant's name, contact, complaint or answer: those are read on the
    audited complaint pages, not in the admin, which is not logged per view."""

    list_display = ("number", "received_on", "channel", "status", "assigned_to", "answered_on", "closed_on")
    list_filter = ("status", "channel")
    date_hierarchy = "received_on"
    search_fields = ("number",)
    ordering = ("-received_on", "-pk")
    fields = ("number", "received_on", "channel", "status", "assigned_to", "answered_on", "closed_on")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
