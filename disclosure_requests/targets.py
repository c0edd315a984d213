"""How the access log shows this app's records (registered by ``DisclosureRequestsConfig.ready``): a
request and a complaint by their 受付番号 (R8-開示-0008), never an internal id. One query per kind."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext_noop

from privacy_admin.core import targets

from .models import Complaint, PrivacyRequest, RuleProfile


def requests_shown(ids: Collection[str]) -> dict[str, str]:
    rows = PrivacyRequest.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "number")
    return {str(pk): number for pk, number in rows}


def complaints_shown(ids: Collection[str]) -> dict[str, str]:
    rows = Complaint.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "number")
    return {str(pk): number for pk, number in rows}


def profiles_shown(ids: Collection[str]) -> dict[str, str]:
    rows = RuleProfile.objects.filter(pk__in=targets.int_ids(ids)).values_list("pk", "name")
    return {str(pk): name for pk, name in rows}


def register() -> None:
    targets.register_target("privacy_request", gettext_noop("開示等の請求"), requests_shown)
    targets.register_target("complaint", gettext_noop("苦情"), complaints_shown)
    targets.register_target("rule_profile", gettext_noop("期限ルール"), profiles_shown)
    targets.register_target("online_application", gettext_noop("電子申請"))
    targets.register_detail(
        {
            "number": gettext_noop("番号"),
            "kind": gettext_noop("種別"),
            "requester_kind": gettext_noop("請求者の区分"),
            "suspension_kind": gettext_noop("利用停止の種類"),
            "outcome": gettext_noop("決定"),
            "days": gettext_noop("日数"),
            "days_not_counted": gettext_noop("算入しない日数"),
            "previous_due_on": gettext_noop("延長前の期限"),
            "remainder_due_on": gettext_noop("残りの部分の期限"),
            "opinion_due_on": gettext_noop("意見書の提出期限"),
            "reply_by": gettext_noop("回答期限"),
            "objected": gettext_noop("反対意見"),
            "method": gettext_noop("方法"),
            "fee_yen": gettext_noop("手数料（円）"),
            "carried_out_on": gettext_noop("実施日"),
            "corrected": gettext_noop("訂正"),
            "corrected_on": gettext_noop("訂正日"),
            "withdrawn_on": gettext_noop("取下げ日"),
            "reasons": gettext_noop("理由"),
            "stage": gettext_noop("段階"),
            "via": gettext_noop("受付方法"),
            "reprint": gettext_noop("再印刷"),
            "copied_from": gettext_noop("複製元"),
            "profile": gettext_noop("期限ルール"),
            "valid_link": gettext_noop("有効なリンク"),
            "known_account": gettext_noop("登録済みの利用者"),
            "recipients": gettext_noop("宛先の数"),
            "recipients_notified": gettext_noop("通知した宛先の数"),
        }
    )
