"""Data-item sets and procedure wording taken from the seed documents (domain.md §3, §6)."""

from __future__ import annotations

from privacy_admin.core.dataitems import DataItem

# 練馬区 諮問 (002): the 17 items handed to the pickup-counter (受取窓口) contractor.
PICKUP_ITEMS: list[DataItem] = [
    DataItem.CARD_NUMBER, DataItem.NAME, DataItem.GENDER, DataItem.BIRTH_DATE, DataItem.ADDRESS,
    DataItem.PHONE, DataItem.CONTACT, DataItem.EMAIL, DataItem.LOAN_ITEM_NUMBER,
    DataItem.RESERVATION_ITEM_NUMBER, DataItem.LOAN_ITEM_TITLE, DataItem.RESERVATION_ITEM_TITLE,
    DataItem.DUE_DATE, DataItem.RESERVATION_DATE, DataItem.LOAN_CATEGORY, DataItem.REGISTERED_BRANCH,
    DataItem.PICKUP_BRANCH,
]  # fmt: skip

# 新宿区 報告 (004): the school-library contractor handles 氏名 and 学習内容（貸出記録に限定） only.
SCHOOL_ITEMS: list[DataItem] = [DataItem.NAME, DataItem.LEARNING_LOANS]

# 練馬区 審議会事前一括承認基準 別表4 類型10 (002), the category a pickup counter was matched to.
PRE_APPROVAL_CATEGORY_10 = (
    "類型10 区立施設等の利用者の受付、利用サービスの提供、使用料の収納・還付または施設の管理を行う。"
    "（事例: 図書館資料受取窓口管理業務）"
)
