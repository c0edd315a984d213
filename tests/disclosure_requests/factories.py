"""Requests in a given state, built with plain ORM creates (no dependency on the request services).

The rule profile is the one migration 0002 makes current (山梨県 要綱: 15 days).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from disclosure_requests.models import (
    Amendment,
    Decision,
    Extension,
    Outcome,
    PrivacyRequest,
    RequestKind,
    RuleProfile,
    ThirdPartyConsultation,
    WithholdingReason,
)
from patrons.models import Patron

_numbers = itertools.count(1)

REQUESTER_NAME = "請求 花子"
THIRD_PARTY_NAME = "第三 太郎"


def today() -> dt.date:
    return timezone.localdate()


def make_request(
    *,
    kind: str = RequestKind.DISCLOSURE,
    patron: Patron | None = None,
    received_on: dt.date | None = None,
    **fields: Any,
) -> PrivacyRequest:
    received_on = received_on or today() - dt.timedelta(days=10)
    profile = RuleProfile.objects.get(is_current=True)
    short = {"disclosure": "開示", "correction": "訂正", "suspension": "利用停止"}[kind]
    values: dict[str, Any] = {
        "kind": kind,
        "number": f"R8-{short}-{next(_numbers):04d}",
        "profile": profile,
        "received_on": received_on,
        "requester_name": REQUESTER_NAME,
        "requester_address": "あさひ市中央1-2-3",
        "identity_document_type": "drivers_license",
        "information_requested": "図書館の利用登録に関する私の情報の一切",
        "patron": patron,
        "due_on": received_on + dt.timedelta(days=profile.disclosure_days),
    }
    if kind == RequestKind.CORRECTION:
        values |= {
            "correction_content": "住所を「あさひ市中央1-2-3」に訂正してください。",
            "disclosed_on": received_on,
        }
    if kind == RequestKind.SUSPENSION:
        values |= {"suspension_kind": "erase", "disclosed_on": received_on}
    values.update(fields)
    return PrivacyRequest.objects.create(**values)


def decide(
    request: PrivacyRequest,
    outcome: str,
    *,
    decided_on: dt.date | None = None,
    reasons: list[str] | None = None,
    reason_text: str = "",
    **fields: Any,
) -> Decision:
    if reasons is None and outcome in (Outcome.PARTIAL, Outcome.REFUSED):
        reasons = [WithholdingReason.THIRD_PERSON.value]
    if not reason_text and outcome not in (Outcome.FULL, Outcome.CORRECT, Outcome.SUSPEND, Outcome.NEITHER):
        reason_text = "請求に係る情報には開示請求者以外の個人に関する情報が含まれるため。"
    request.status = "decided"
    request.save(update_fields=["status"])
    return Decision.objects.create(
        request=request,
        decided_on=decided_on or today() - dt.timedelta(days=2),
        outcome=outcome,
        reasons=reasons or [],
        reason_text=reason_text,
        disclosed_content=fields.pop("disclosed_content", "利用者登録情報（氏名・住所・電話番号）"),
        **fields,
    )


def extend(request: PrivacyRequest, *, days: int = 10, notified_on: dt.date | None = None) -> Extension:
    return Extension.objects.create(
        request=request,
        kind=Extension.Kind.NORMAL,
        days=days,
        reason="請求に係る保有個人情報の確認に時間を要するため。",
        notified_on=notified_on or request.received_on + dt.timedelta(days=5),
    )


def extend_special(request: PrivacyRequest, *, remainder_due_on: dt.date | None = None) -> Extension:
    request.special_extension = True
    request.save(update_fields=["special_extension"])
    return Extension.objects.create(
        request=request,
        kind=Extension.Kind.SPECIAL,
        days=0,
        reason="請求に係る保有個人情報が著しく大量であるため。",
        notified_on=request.received_on + dt.timedelta(days=3),
        remainder_due_on=remainder_due_on or request.received_on + dt.timedelta(days=90),
    )


def ask_amendment(request: PrivacyRequest) -> Amendment:
    return Amendment.objects.create(
        request=request,
        requested_on=request.received_on + dt.timedelta(days=1),
        what_to_fix="請求する保有個人情報を特定できる事項（利用者番号又は登録した館）を記載してください。",
        reply_by=request.received_on + dt.timedelta(days=15),
    )


def consult(request: PrivacyRequest, *, objected: bool = False) -> ThirdPartyConsultation:
    sent_on = request.received_on + dt.timedelta(days=2)
    return ThirdPartyConsultation.objects.create(
        request=request,
        third_party_name=THIRD_PARTY_NAME,
        third_party_address="あさひ市北町4-5-6",
        information_concerned="第三者が提出した紹介状の記載内容",
        sent_on=sent_on,
        opinion_due_on=sent_on + dt.timedelta(days=14),
        opinion_received_on=sent_on + dt.timedelta(days=5) if objected else None,
        objected=objected,
    )
