"""How the access log shows a register entry (registered by ``RegisterConfig.ready``): 「第3号」."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext, gettext_noop

from privacy_admin.core import targets

from .models import RegisterEntry


def entries_shown(ids: Collection[str]) -> dict[str, str]:
    rows = RegisterEntry.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "number")
    return {str(pk): gettext("第%(number)s号") % {"number": number} for pk, number in rows}


def register() -> None:
    targets.register_target("register_entry", gettext_noop("個人情報取扱事務登録簿"), entries_shown)
    targets.register_target("register_print", gettext_noop("登録簿の印刷"))
    targets.register_detail(
        {
            "include_abolished": gettext_noop("廃止済みを含む"),
            "register_entry_ids": gettext_noop("登録"),
            "data_items": gettext_noop("個人情報の項目"),
            "pages": gettext_noop("ページ数"),
            "layout": gettext_noop("様式"),
        }
    )
