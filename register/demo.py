"""Demo register: realistic entries from the seeds, so that the register pages and PDFs look real.

* 第1号 図書館資料の館内および館外利用等に関する業務 (002) is the core entry of the data migration; the
  demo registers a change to it (the pickup counters of 002, outsourced and connected online), so the
  change history and the annual report have a change with its reason;
* one entry per application-form group of 市川市 方針 別表1 (000), with the forms' items from the vocabulary;
* 学校図書館の運営及び活用に係る支援業務 (004): outsourced, names and 学習内容（貸出記録に限定）only;
* 図書館サービスに関するアンケート調査 (000 別表1 その他), registered a year earlier and abolished.

Made through the services, so each entry has its history and access-log events. Idempotent: an entry
whose code exists is left alone; the change and the abolition are made once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from privacy_admin.core import register_entries as entries
from privacy_admin.core.dataitems import DataItem as D
from privacy_admin.core.roles import Role
from register.models import CollectionSource as S
from register.models import RegisterEntry
from register.services import entries as services

LIBRARY = "中央図書館"
OFFICE = "中央図書館 管理係"
SURVEY_CODE = "user-survey"
SCHOOL_CODE = "school-library-support"

LIBRARY_USE_CHANGE_REASON = (
    "受取窓口の開設に伴う管理業務の委託とオンライン結合の登録（練馬区 審議会 諮問第23号の例による）"
)
LIBRARY_USE_CHANGE: dict[str, Any] = {
    "outsourced": True,
    "outsourcing_note": "予約資料受取窓口の管理業務（東口受取窓口ほか。委託先: 株式会社図書館流通センター）、"
    "学校図書館支援業務",
    "online_connection": True,
    "online_connection_note": "受取窓口の端末と図書館情報システム（操作員ごとの個人ID・パスワード、操作履歴の自動保存、"
    "データはサーバのみに保存）",
}
SURVEY_ABOLITION_REASON = "利用者アンケート調査の終了（調査票は集計後に裁断済み）"

# 000 別表1: 種別 / 申請書のタイトル / 利用目的. Each entry is one group of forms with one purpose.
FORM_ENTRIES: list[dict[str, Any]] = [
    {
        "code": "disability-services",
        "name": "図書館における障害者サービスに関する事務",
        "purpose": "特別貸出（郵送貸出・対面朗読等）及び代理人による貸出など、図書館における障害者サービスを提供するため"
        "（特別貸出利用申込書、代理人貸出利用申込書）",
        "subjects": "障害者サービスの利用を申し込んだ者及びその代理人",
        "extra_items": [D.CARD_NUMBER, D.NAME, D.KANA, D.BIRTH_DATE, D.ADDRESS, D.PHONE, D.CONTACT],
        "free_items": "障害の状況（サービスの提供に必要な範囲に限る）\n代理人の氏名及び連絡先",
        "collection_sources": [S.PERSON, S.REPRESENTATIVE],
        "collection_method": "特別貸出利用申込書、代理人貸出利用申込書",
        "sensitive": True,
        "retention_period": "利用登録の取消し後、速やかに消去",
    },
    {
        "code": "group-lending",
        "name": "団体貸出に関する事務",
        "purpose": "団体への貸出しに当たり団体の代表者と連絡し、団体構成員数を確認するため（団体貸出申込書、団体構成員名簿）",
        "subjects": "団体貸出を申し込んだ団体の代表者及び構成員",
        "extra_items": [D.NAME, D.ADDRESS, D.PHONE],
        "free_items": "団体の名称及び所在地\n構成員数",
        "collection_sources": [S.PERSON],
        "collection_method": "団体貸出申込書、団体構成員名簿",
        "retention_period": "団体登録の有効期間の満了後1年",
    },
    {
        "code": "book-requests",
        "name": "資料のリクエストに関する事務",
        "purpose": "所蔵していない資料のリクエスト（購入・相互貸借）について、書誌情報の追跡確認の際に連絡するため"
        "（本のリクエストカード、AVリクエストカード。ホームページからも受付）",
        "subjects": "資料のリクエストをした利用者",
        "extra_items": [D.REQUEST_CARD, D.CARD_NUMBER, D.NAME, D.PHONE, D.CONTACT],
        "free_items": "リクエストされた資料の書誌事項",
        "collection_sources": [S.PERSON],
        "collection_method": "リクエストカード、図書館ホームページ（ID・パスワードによる所蔵予約）",
        "retention_period": "提供又は謝絶の連絡の後、速やかに消去",
    },
    {
        "code": "reference",
        "name": "レファレンスサービスに関する事務",
        "purpose": "調査・相談の問い合わせについて、後日回答する際に連絡するため（レファレンス受付・記録票）",
        "subjects": "レファレンスの問い合わせをした者のうち後日の回答を希望した者",
        "extra_items": [D.NAME, D.CONTACT],
        "free_items": "問い合わせの内容（事例集には個人を識別できない形でのみ利用）",
        "collection_sources": [S.PERSON],
        "collection_method": "レファレンス受付・記録票、電話、図書館ホームページ",
        "retention_period": "回答の後、連絡先を消去（事例は個人を識別できない形で保存）",
    },
    {
        "code": "referrals",
        "name": "類縁機関への紹介状の発行に関する事務",
        "purpose": "他の図書館・類縁機関の資料を利用するための紹介状を発行するため（紹介状発行申込書）",
        "subjects": "紹介状の発行を申し込んだ利用者",
        "extra_items": [D.REFERRAL, D.CARD_NUMBER, D.NAME, D.ADDRESS, D.PHONE],
        "free_items": "紹介先の機関名及び利用したい資料",
        "collection_sources": [S.PERSON],
        "collection_method": "紹介状発行申込書",
        "regular_recipients": "紹介先の図書館・類縁機関（紹介状に記載した事項に限る）",
        "retention_period": "発行の日から1年",
    },
    {
        "code": "copying",
        "name": "図書館資料の複写サービスに関する事務",
        "purpose": "著作権法第31条に基づく複製の目的と範囲を把握するため（複製申込書、市外図書館資料複製申込書、"
        "図書館間協力における現物貸借で借り受けた図書の複製申込書）",
        "subjects": "資料の複写を申し込んだ者",
        "extra_items": [D.COPY_REQUEST, D.NAME],
        "free_items": "複製する資料名及び範囲\n複製の目的",
        "collection_sources": [S.PERSON],
        "collection_method": "複製申込書",
        "retention_period": "申込みの日から1年",
    },
    {
        "code": "in-library-services",
        "name": "館内サービス（インターネットブース・書庫資料の閲覧）に関する事務",
        "purpose": "インターネットブースの機器利用者を把握し不正利用を防止するため、及び書庫資料の閲覧で資料のき損、"
        "無断持出し等があった場合に連絡するため（インターネットブース利用申請書、書庫出納・館内閲覧カード）",
        "subjects": "インターネットブースを利用した者及び書庫資料を閲覧した者",
        "extra_items": [D.INTERNET_BOOTH, D.CARD_NUMBER, D.NAME],
        "free_items": "利用日時及びブース番号\n閲覧した書庫資料",
        "collection_sources": [S.PERSON],
        "collection_method": "インターネットブース利用申請書、書庫出納・館内閲覧カード",
        "retention_period": "利用の日から3か月",
    },
    {
        "code": "ticketless-loans-and-accidents",
        "name": "無券貸出及び図書館資料の事故に関する事務",
        "purpose": "利用券を持参しなかった者への当日の貸出しの申請事実を確認するため、及び資料の汚破損・紛失の届出について"
        "本人と連絡するため（無券貸出申込書、図書館資料事故届）",
        "subjects": "無券貸出を申し込んだ利用者及び資料の事故を届け出た利用者",
        "extra_items": [D.CARD_NUMBER, D.NAME, D.ADDRESS, D.PHONE],
        "free_items": "事故の内容及び弁償の状況",
        "collection_sources": [S.PERSON],
        "collection_method": "無券貸出申込書、図書館資料事故届",
        "retention_period": "無券貸出申込書は返却時、資料事故届は処理の完了後1年",
    },
]

SCHOOL_ENTRY: dict[str, Any] = {
    "code": SCHOOL_CODE,
    "name": "学校図書館の運営及び活用に係る支援業務",
    "purpose": "学校図書館の学習・情報センター機能及び読書センター機能の強化を図るとともに、学校における学校図書館"
    "活用を支援するため（カウンター業務、ユーザデータ管理業務、児童・生徒への学習支援、読書指導支援）",
    "department": "教育支援課（学校図書館支援）",
    "subjects": "市立学校の児童、生徒及び教職員",
    "record_range": "市立学校の児童、生徒及び教職員",
    # 004: the contractor handles names, and the pupils' learning limited to their loan records.
    "extra_items": [D.NAME, D.LEARNING_LOANS],
    "free_items": "",
    "collection_sources": [S.PERSON, S.OTHER_AGENCY],
    "collection_source_note": "市立学校（児童・生徒及び教職員の名簿）",
    "collection_method": "学校図書館システムへの登録（学校イントラネット）",
    "outsourced": True,
    "outsourcing_note": "株式会社図書館流通センター（学校図書館支援員・学校図書館活用推進員。システム上、氏名と貸出記録のみ"
    "取り扱える。契約終了時に個人情報を返却）",
    "online_connection": True,
    "online_connection_note": "学校イントラネットシステム（受託者の端末は氏名・貸出記録の画面に限定）",
    "retention_period": "貸出記録は返却時に消去。児童・生徒の登録は卒業・転出時に消去",
    "regular_recipients": "なし",
}

SURVEY_ENTRY: dict[str, Any] = {
    "code": SURVEY_CODE,
    "name": "図書館サービスに関するアンケート調査",
    "purpose": "図書館サービスの改善のため、利用者アンケートを実施し集計及び分析するため（個人を識別できない範囲で集計）",
    "subjects": "アンケートに回答した利用者",
    "extra_items": [],
    "free_items": "年齢層\n居住地区（町名まで）\n利用頻度及び意見",
    "collection_sources": [S.PERSON],
    "collection_method": "アンケート調査票",
    "retention_period": "集計の完了まで（調査票は集計後に裁断）",
}


def _administrator() -> Any:
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR)
        .order_by("pk")
        .first()
    )


def _defaults(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "department": f"{LIBRARY} 利用者サービス係",
        "request_office": OFFICE,
        "regular_recipients": "なし",
        **values,
        "extra_items": [str(i) for i in values.get("extra_items", [])],
        "collection_sources": [str(s) for s in values.get("collection_sources", [])],
    }


def seed_register(*, today: dt.date, stdout: TextIO | None = None) -> int:
    """Add the demo entries that are missing, the change to 第1号 and the abolished survey.

    Dates are relative to ``today``: the form entries are registered at the start of the fiscal year (or
    today, early in April), the school support later in the year, the survey a year before its abolition.
    Returns the number of entries created.
    """
    actor = _administrator()
    fiscal_start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    created = 0
    with transaction.atomic():
        existing = set(RegisterEntry.objects.values_list("code", flat=True))

        def register(values: dict[str, Any], *, registered_on: dt.date, starts_on: dt.date) -> None:
            nonlocal created
            if values["code"] in existing:
                return
            services.register_entry_create(
                actor=actor, registered_on=registered_on, starts_on=starts_on, **_defaults(values)
            )
            existing.add(values["code"])
            created += 1

        for values in FORM_ENTRIES:
            register(values, registered_on=min(fiscal_start, today), starts_on=min(fiscal_start, today))
        school_on = max(fiscal_start, today - dt.timedelta(days=45))
        register(
            SCHOOL_ENTRY, registered_on=school_on, starts_on=min(today, school_on + dt.timedelta(days=14))
        )
        survey_on = fiscal_start - dt.timedelta(days=365)
        register(SURVEY_ENTRY, registered_on=survey_on, starts_on=survey_on)

        survey = RegisterEntry.objects.get(code=SURVEY_CODE)
        if survey.is_active:
            services.register_entry_abolish(
                actor=actor,
                entry=survey,
                abolished_on=max(survey.registered_on, min(today, fiscal_start + dt.timedelta(days=30))),
                reason=SURVEY_ABOLITION_REASON,
            )

        library_use = RegisterEntry.objects.filter(code=entries.LIBRARY_USE).first()
        changed_on = max(library_use.registered_on, today - dt.timedelta(days=20)) if library_use else None
        if (
            library_use is not None
            and library_use.is_active
            and changed_on is not None
            and changed_on <= today
            and not library_use.history.filter(history_change_reason=LIBRARY_USE_CHANGE_REASON).exists()
            and any(getattr(library_use, k) != v for k, v in LIBRARY_USE_CHANGE.items())
        ):
            services.register_entry_change(
                actor=actor,
                entry=library_use,
                reason=LIBRARY_USE_CHANGE_REASON,
                changed_on=changed_on,
                **LIBRARY_USE_CHANGE,
            )
    if stdout is not None:
        stdout.write(f"登録簿の事務: {RegisterEntry.objects.count()}（今回追加 {created}）\n")
    return created
