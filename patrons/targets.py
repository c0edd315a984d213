"""How the access log shows this app's records (registered by ``PatronsConfig.ready``): a patron by
the masked card number, a branch by its name. One query per kind and page."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_noop

from privacy_admin.core import targets
from privacy_admin.core.text import mask_card_number

from .models import Branch, Patron


def patrons_shown(ids: Collection[str]) -> dict[str, str]:
    rows = Patron.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "card_number")
    return {str(pk): mask_card_number(card) for pk, card in rows}


def branches_shown(codes: Collection[str]) -> dict[str, str]:
    return dict(Branch.objects.filter(code__in=list(codes)).values_list("code", "name"))


def register() -> None:
    targets.register_target("patron", gettext_noop("利用者"), patrons_shown)
    targets.register_target("branch", gettext_noop("館"), branches_shown)
    targets.register_target("paper_form", gettext_noop("紙の申請書"))
    targets.register_target("address", gettext_noop("接続元"))
    targets.register_detail(
        {
            "eligibility": gettext_noop("利用資格"),
            "category": gettext_noop("利用者区分"),
            "proxy": gettext_noop("代理申請"),
            "identity_checked": gettext_noop("本人確認"),
            "identity_by": gettext_noop("本人確認の方法"),
            "patron_ids": gettext_noop("対象の利用者"),
            "changed": gettext_noop("変更した項目"),
            "fields": gettext_noop("項目"),
        }
    )
