"""How the access log shows contracts and contractors (registered by ``OutsourcingConfig.ready``):
a contract by its 契約番号, a contractor by its name (a company, not a person)."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_noop

from privacy_admin.core import targets

from .models import Contract, Contractor


def contracts_shown(ids: Collection[str]) -> dict[str, str]:
    rows = Contract.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "number")
    return {str(pk): number for pk, number in rows}


def contractors_shown(ids: Collection[str]) -> dict[str, str]:
    rows = Contractor.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


def register() -> None:
    targets.register_target("contract", gettext_noop("委託契約"), contracts_shown)
    targets.register_target("contractor", gettext_noop("委託先"), contractors_shown)
    targets.register_target("corrective_action", gettext_noop("是正措置"))
    targets.register_target("onsite_audit", gettext_noop("実地監査"))
    targets.register_target("training_session", gettext_noop("研修"))
    targets.register_target("business_report", gettext_noop("業務報告"))
    targets.register_detail(
        {
            "scope": gettext_noop("範囲"),
            "partial_scope": gettext_noop("一部の範囲"),
            "clauses_cleared": gettext_noop("解除した条項"),
            "agreed": gettext_noop("合意"),
            "attendees": gettext_noop("出席者数"),
            "operators": gettext_noop("操作員数"),
            "devices": gettext_noop("端末数"),
            "disposition": gettext_noop("処置"),
            "destroyed_on": gettext_noop("廃棄日"),
            "next_review_on": gettext_noop("次回の点検日"),
            "reviews": gettext_noop("点検"),
            "reviews_overdue": gettext_noop("期限を過ぎた点検"),
            "actions_overdue": gettext_noop("期限を過ぎた是正措置"),
            "ng": gettext_noop("不適合"),
            "in_charge": gettext_noop("担当"),
            "accounts_closed": gettext_noop("停止したアカウント数"),
        }
    )
