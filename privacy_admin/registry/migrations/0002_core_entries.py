"""Register the processing the product's own code performs (要綱 第16条第2項: before it starts).

Every personal-data field in the inventory names one of these codes (privacy_admin.core.register_entries),
so ``manage.py privacy_inventory --check`` passes on a fresh database. Administrators edit the wording
in the register pages afterwards (changes are kept in its history).
"""

import datetime

from django.db import migrations

START = datetime.date(2026, 4, 1)

CORE = [
    {
        "code": "library-use",
        "number": 1,
        "name": "図書館資料の館内および館外利用等に関する業務",
        "purpose": "図書館資料の貸出し、返却、予約、リクエスト、複写等の図書館サービスを提供するため"
        "（利用者登録、利用者への連絡、延滞資料の督促を含む。）",
        "department": "中央図書館 利用者サービス係",
        "subjects": "図書館の利用登録をした者（在住・在勤・在学者）及びその保護者",
        "record_range": "利用登録をした者",
        "collection_sources": ["person", "representative"],
        "collection_method": "利用申込書、カウンターでの申出、オンライン予約",
        "outsourced": True,
        "outsourcing_note": "予約資料受取窓口の管理業務、学校図書館支援業務",
        "online_connection": False,
        "sensitive": False,
        "regular_recipients": "なし",
        "retention_period": "貸出記録は返却時、予約記録は貸出・取消時に消去。利用登録は有効期限後、定めた期間の経過後に消去",
        "request_office": "中央図書館 利用者サービス係",
    },
    {
        "code": "privacy-requests",
        "number": 2,
        "name": "保有個人情報の開示・訂正・利用停止請求に関する事務",
        "purpose": "保有個人情報の開示、訂正及び利用停止の請求並びに苦情の申出を受け付け、決定し、実施するため"
        "（要綱 第17条から第45条まで）",
        "department": "中央図書館 管理係（個人情報保護責任者）",
        "subjects": "開示等の請求をした者、その法定代理人及び意見照会を受けた第三者、苦情の申出をした者",
        "record_range": "請求者及び申出者",
        "collection_sources": ["person", "representative", "third_party"],
        "collection_method": "開示等請求書、意見書、苦情の申出",
        "regular_recipients": "なし",
        "retention_period": "決定の日から5年",
        "request_office": "中央図書館 管理係",
    },
    {
        "code": "contractor-oversight",
        "number": 3,
        "name": "個人情報を取り扱う業務の委託の管理に関する事務",
        "purpose": "個人情報を取り扱う業務の委託について、取扱者の指名、研修、業務報告及び監査を管理するため"
        "（要綱 第11条）",
        "department": "中央図書館 管理係",
        "subjects": "受託者の取扱責任者及び取扱者",
        "record_range": "受託者の取扱者",
        "collection_sources": ["third_party"],
        "collection_method": "受託者からの届出",
        "regular_recipients": "なし",
        "retention_period": "契約終了後5年",
        "request_office": "中央図書館 管理係",
    },
]


def register(apps, schema_editor):
    RegisterEntry = apps.get_model("registry", "RegisterEntry")
    for values in CORE:
        RegisterEntry.objects.get_or_create(
            code=values["code"],
            defaults=values | {"starts_on": START, "registered_on": START},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(register, migrations.RunPython.noop)]
