"""How the access log shows this app's records (registered by ``LoansConfig.ready``): an item by its
資料番号 (barcode; never its title). One query per kind and page."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_noop

from privacy_admin.core import targets

from .models import Item


def items_shown(ids: Collection[str]) -> dict[str, str]:
    return {
        str(pk): code
        for pk, code in Item.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "barcode")
    }


def register() -> None:
    targets.register_target("item", gettext_noop("資料"), items_shown)
    targets.register_target("notice", gettext_noop("通知"))
    targets.register_target("damage_case", gettext_noop("汚破損案件"))
    targets.register_target("safety_net", gettext_noop("安全網ジョブ"))
    targets.register_target("erasure_ledger", gettext_noop("削除台帳"))
    targets.register_target("search", gettext_noop("検索"))
    targets.register_target("import", gettext_noop("取込み"))
    targets.register_detail(
        {
            "loans": gettext_noop("貸出"),
            "reservations": gettext_noop("予約"),
            "notices": gettext_noop("通知"),
            "items": gettext_noop("資料"),
            "erased": gettext_noop("削除した件数"),
            "late": gettext_noop("延滞"),
            "due_on": gettext_noop("返却期限"),
            "same_day": gettext_noop("当日"),
            "interrupted_runs": gettext_noop("中断した実行"),
            "ledger_rows": gettext_noop("台帳の行数"),
            "lookup": gettext_noop("検索方法"),
            "matched": gettext_noop("該当件数"),
            "route": gettext_noop("経路"),
            "routed_expiries": gettext_noop("振り分けた期限切れ"),
            "rows": gettext_noop("行数"),
            "rejected": gettext_noop("取り込まなかった行"),
            "created": gettext_noop("作成した件数"),
            "waiting": gettext_noop("待ち"),
            "channel": gettext_noop("経路"),
        }
    )
