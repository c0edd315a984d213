"""outsourcing.presets: the data-item sets taken from the seed documents (002: 17 items for the pickup
counter; 004: name and learning loans only for the school library) and the pre-approval category."""

from __future__ import annotations

from outsourcing.presets import PICKUP_ITEMS, PRE_APPROVAL_CATEGORY_10, SCHOOL_ITEMS
from privacy_admin.core.dataitems import DataItem


def test_the_pickup_counter_handles_the_seventeen_items_of_002_once_each() -> None:
    assert len(PICKUP_ITEMS) == 17 == len(set(PICKUP_ITEMS))
    assert all(isinstance(item, DataItem) for item in PICKUP_ITEMS)
    assert {DataItem.CARD_NUMBER, DataItem.NAME, DataItem.PICKUP_BRANCH} <= set(PICKUP_ITEMS)
    assert DataItem.LEARNING_LOANS not in PICKUP_ITEMS


def test_the_school_library_handles_the_name_and_learning_loans_only() -> None:
    assert SCHOOL_ITEMS == [DataItem.NAME, DataItem.LEARNING_LOANS]


def test_the_pre_approval_category_is_type_10_of_table_4() -> None:
    assert PRE_APPROVAL_CATEGORY_10.startswith("類型10 ")
    assert "図書館資料受取窓口管理業務" in PRE_APPROVAL_CATEGORY_10
