"""The vocabulary of personal-data items (domain.md §3; 市川市 方針 第1, 練馬区 諮問第23号, 新宿区 報告).

Contracts name the items an operator may process, the register names the items an activity records,
and every model field holding personal data declares the item it is (``declare_personal_fields``), so
the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataItem(models.TextChoices):
    # 利用者情報 (000 第1(1))
    CARD_NUMBER = "card_number", _("利用者番号")
    NAME = "name", _("氏名")
    KANA = "kana", _("フリガナ")
    BIRTH_DATE = "birth_date", _("生年月日")
    GENDER = "gender", _("男女の別")
    ADDRESS = "address", _("住所")
    PHONE = "phone", _("電話番号")
    CONTACT = "contact", _("連絡先")
    EMAIL = "email", _("電子メールアドレス")
    GUARDIAN_NAME = "guardian_name", _("保護者名")
    PATRON_CATEGORY = "patron_category", _("利用者区分")
    REGISTERED_BRANCH = "registered_branch", _("利用登録館名")
    EXPIRY = "expiry", _("有効期限")
    PASSWORD = "password", _("パスワード")
    ELIGIBILITY = "eligibility", _("登録資格（在住・在勤・在学）")
    IDENTITY_DOCUMENT_TYPE = "identity_document_type", _("本人確認書類の種類")
    # 利用情報 (000 第1(2))
    LOAN_ITEM_NUMBER = "loan_item_number", _("貸出資料番号")
    LOAN_ITEM_TITLE = "loan_item_title", _("貸出資料名")
    DUE_DATE = "due_date", _("返却期限年月日")
    RESERVATION_ITEM_NUMBER = "reservation_item_number", _("予約資料番号")
    RESERVATION_ITEM_TITLE = "reservation_item_title", _("予約資料名")
    RESERVATION_DATE = "reservation_date", _("予約登録年月日")
    PICKUP_BRANCH = "pickup_branch", _("予約資料の受取館名")
    LOAN_CATEGORY = "loan_category", _("利用者貸出区分")
    REQUEST_CARD = "request_card", _("リクエストカード")
    COPY_REQUEST = "copy_request", _("複製申込書")
    INTERNET_BOOTH = "internet_booth", _("インターネットブース利用申請書")
    REFERRAL = "referral", _("紹介状")
    # 新宿区 学校図書館支援業務 (004): 学習内容（貸出記録に限定）
    LEARNING_LOANS = "learning_loans", _("学習内容（貸出記録に限定）")
    ACCESS_LOG = "access_log", _("アクセスログ（操作履歴）")
    # 開示等請求 (003 第17条第2項): the request is made by the person or a representative.
    REQUESTER_KIND = "requester_kind", _("請求者の区分（本人・代理人）")
    # 受託者の取扱者 (004 特記事項; 002): who attended which privacy training.
    TRAINING_RECORD = "training_record", _("研修の受講記録")


@dataclass(frozen=True)
class PersonalField:
    model_label: str
    field_name: str
    item: DataItem
    register_entry: str


PERSONAL_FIELDS: dict[tuple[str, str], PersonalField] = {}


def declare_personal_fields(model_label: str, *, register_entry: str, **fields: DataItem) -> None:
    """Declare, next to a model, which of its fields hold personal data and which register entry they serve."""
    for name, item in fields.items():
        key = (model_label, name)
        if key in PERSONAL_FIELDS:
            raise ValueError(f"{model_label}.{name} is declared twice")
        PERSONAL_FIELDS[key] = PersonalField(model_label, name, item, register_entry)


# Fields whose names look personal but are not (a branch's name, a contractor company's address): the
# inventory check (``manage.py privacy_inventory --check``) accepts them only when excused here, with
# the reason, next to the model.
NOT_PERSONAL_FIELDS: dict[tuple[str, str], str] = {}


def declare_not_personal(model_label: str, *, reason: str, fields: tuple[str, ...]) -> None:
    for name in fields:
        key = (model_label, name)
        if key in NOT_PERSONAL_FIELDS or key in PERSONAL_FIELDS:
            raise ValueError(f"{model_label}.{name} is declared twice")
        NOT_PERSONAL_FIELDS[key] = reason
