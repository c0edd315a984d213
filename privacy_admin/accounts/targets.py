"""How the access log shows staff accounts (registered by ``AccountsConfig.ready``): by the staff
member's name (the sign-in ID when no name is recorded)."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_noop

from privacy_admin.core import targets


def staff_shown(ids: Collection[str]) -> dict[str, str]:
    rows = (
        get_user_model()
        ._default_manager.filter(pk__in=targets.int_ids(ids))
        .values_list("pk", "last_name", "first_name", "username")
    )
    return {str(pk): f"{last} {first}".strip() or username for pk, last, first, username in rows}


def register() -> None:
    targets.register_target("user", gettext_noop("職員アカウント"), staff_shown)
    targets.register_target("api_token", gettext_noop("APIトークン"))
    targets.register_detail(
        {
            "attempts": gettext_noop("試行回数"),
            "user_id": gettext_noop("アカウント"),
            "provider": gettext_noop("認証方式"),
        }
    )
