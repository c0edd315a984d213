"""Demo requests that make the request pages explorable: every kind, in every state the dashboard shows
(補正中, 延長, 期限超過, 部分開示の決定, 特例延長, 第三者照会中, 訂正の実施, 利用停止の受付), dated relative to
today. Made through the services, so each one has its history and access-log events.

Idempotent: when any request exists, nothing is added. ``seed_demo`` calls :func:`seed_requests` after
the patrons exist; requests are linked to the first demo patrons by card number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from patrons.models import Patron, PatronStatus
from privacy_admin.core.roles import Role

from . import services
from .models import DisclosureExecution, Outcome, PrivacyRequest, WithholdingReason

FALLBACK_NAMES = ["青木 美咲", "石川 健太", "上田 由美", "江藤 直樹", "岡本 里奈", "加藤 翔", "木村 千尋"]


def _officer() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PRIVACY_OFFICER)
        .order_by("pk")
        .first()
    )


def seed_requests(*, stdout: TextIO | None = None) -> int:
    """Create the demo requests unless some exist. Returns how many were created."""
    if PrivacyRequest.objects.exists():
        if stdout is not None:
            stdout.write(f"開示等請求: {PrivacyRequest.objects.count()}（今回追加 0）\n")
        return 0
    officer = _officer()
    patrons = list(Patron.objects.filter(status=PatronStatus.ACTIVE).order_by("pk")[:8]) if officer else []
    today = services.today()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def person(i: int) -> dict[str, Any]:
        if i < len(patrons):
            p = patrons[i]
            return {
                "requester_name": p.full_name,
                "requester_address": p.address,
                "requester_phone": p.phone,
                "card_number": p.card_number,
            }
        return {
            "requester_name": FALLBACK_NAMES[i % len(FALLBACK_NAMES)],
            "requester_address": "あさひ市中央1丁目2番3号",
            "requester_phone": "046-221-0000",
        }

    def receive(i: int, received_on: dt.date, **fields: Any) -> PrivacyRequest:
        values: dict[str, Any] = {
            "kind": "disclosure",
            "received_on": received_on,
            "channel": "counter",
            "requester_kind": "self",
            "principal_name": "",
            "identity_document_type": "drivers_license",
            "representation_document": "",
            "information_requested": "図書館が保有する私の利用者登録情報、現在の貸出・予約、送付された通知の記録",
            **person(i),
        }
        values.update(fields)
        return services.request_receive(actor=officer, **values)

    with transaction.atomic():
        # 1. 開示 → 全部開示 → 実施済み (the basis of the correction and the suspension below).
        base = receive(0, ago(60))
        services.request_decide(
            actor=officer,
            request=base,
            outcome=Outcome.FULL,
            decided_on=ago(50),
            disclosed_content="利用者登録情報（氏名・住所・電話番号・電子メールアドレス）",
        )
        services.disclosure_carry_out(
            actor=officer,
            request=base,
            method=DisclosureExecution.Method.COPY,
            method_requested_on=ago(48),
            carried_out_on=ago(45),
            fee_yen=20,
            fee_basis="写し 2枚×10円",
        )
        # 2. 訂正: corrected, the recipients told (第36条).
        correction = receive(
            0,
            ago(20),
            kind="correction",
            based_on=base,
            information_requested="開示を受けた利用者登録情報のうち住所",
            correction_content="住所を転居後の「あさひ市北町4丁目5番6号」に訂正してください。",
            reason_for_request="転居したため、登録されている住所が事実と異なる。",
        )
        services.request_decide(actor=officer, request=correction, outcome=Outcome.CORRECT, decided_on=ago(5))
        services.correction_carry_out(
            actor=officer,
            request=correction,
            corrected_on=ago(3),
            what_was_corrected="利用者登録情報の住所",
        )
        # 3. 利用停止 (消去), just received.
        receive(
            0,
            ago(3),
            kind="suspension",
            based_on=base,
            information_requested="開示を受けた利用者登録情報のうち電子メールアドレス",
            suspension_kind="erase",
            reason_for_request="電子メールでの通知を希望しておらず、収集に同意していないため。",
        )
        # 4. Overdue: no decision, the deadline has passed.
        receive(1, ago(40), channel="mail", information_requested="私の予約の記録と、予約の連絡に関する記録")
        # 5. 補正中: the clock is stopped.
        amending = receive(2, ago(8), requester_address="", channel="mail")
        services.amendment_request(
            actor=officer,
            request=amending,
            requested_on=ago(5),
            what_to_fix="請求者の住所の記載がありません。住所又は居所を記載してください。",
        )
        # 6. Extended by 10 days.
        extended = receive(3, ago(12))
        services.request_extend(
            actor=officer,
            request=extended,
            days=10,
            reason="請求に係る保有個人情報が複数の館の記録にわたり、その確認に時間を要するため。",
            notified_on=ago(2),
        )
        # 7. 部分開示: a third party's letter of introduction, the third party consulted.
        partial = receive(4, ago(30), information_requested="私が提出した紹介状と、それに関する記録")
        consultation = services.consultation_send(
            actor=officer,
            request=partial,
            third_party_name="あさひ市立第一中学校",
            third_party_address="あさひ市南町1丁目1番1号",
            information_concerned="紹介状に記載された担当教諭の氏名",
            sent_on=ago(28),
        )
        services.consultation_record_opinion(
            actor=officer, consultation=consultation, received_on=ago(22), objected=False
        )
        services.request_decide(
            actor=officer,
            request=partial,
            outcome=Outcome.PARTIAL,
            decided_on=ago(20),
            reasons=[WithholdingReason.THIRD_PERSON],
            reason_text="紹介状には開示請求者以外の個人（担当教諭）の氏名が記載されており、開示することにより"
            "その個人の権利利益を害するおそれがあるため。",
            disclosed_content="紹介状（担当教諭の氏名を除く）、受付の記録",
        )
        # 8. 特例延長: a very large volume.
        special = receive(
            5, ago(6), information_requested="過去10年間に私に関して図書館が作成・取得した記録のすべて"
        )
        services.request_extend_special(
            actor=officer,
            request=special,
            reason="請求に係る保有個人情報が著しく大量であり、30日以内にすべてを決定すると事務の遂行に著しい支障が生じるため。",
            notified_on=ago(4),
            remainder_due_on=today + dt.timedelta(days=60),
        )
        # 9. 第三者照会中.
        consulting = receive(6, ago(4), information_requested="私が申し込んだ複写の記録")
        services.consultation_send(
            actor=officer,
            request=consulting,
            third_party_name="株式会社あさひ資料サービス",
            third_party_address="あさひ市東町2丁目3番4号",
            information_concerned="複写申込書に記載された事業者の担当者名",
            sent_on=ago(2),
        )
    created = PrivacyRequest.objects.count()
    if stdout is not None:
        stdout.write(f"開示等請求: {created}（今回追加 {created}）\n")
    return created
