"""incidents.validation — the checks every incident service shares: a moment must be aware and not in the
future, a day must be a date and not in the future, texts are bounded by the model, the facts of
要綱 第48条 are checked together (each bad field named at once), and the day of knowing is the
library's calendar day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from incidents import validation
from incidents.models import Incident
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.errors import FieldErrors
from tests.incidents.helpers import (
    NOW,
    TODAY,
    at,
    facts,
    frozen_now,  # noqa: F401
)
from tests.register.factories import make_entry

pytestmark = pytest.mark.usefixtures("frozen_now")


def _messages(errors: FieldErrors) -> dict[str, list[str]]:
    return errors.error().message_dict


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "発覚日時を入力してください。"),
        ("2026-06-15 09:00", "発覚日時を正しい日時で入力してください。"),
        (dt.datetime(2026, 6, 15, 9, 0), "発覚日時のタイムゾーンが不明です。"),
        (NOW + dt.timedelta(minutes=1), "発覚日時に未来の日時は入力できません。"),
    ],
)
def test_a_moment_must_be_given_aware_and_not_in_the_future(value: object, message: str) -> None:
    errors = FieldErrors()
    assert validation.check_moment(errors, "discovered_at", value, label="発覚日時") is None
    assert _messages(errors) == {"discovered_at": [message]}


def test_a_moment_up_to_now_is_kept_and_an_optional_one_may_be_blank() -> None:
    errors = FieldErrors()
    assert validation.check_moment(errors, "at", NOW, label="日時") == NOW
    assert validation.check_moment(errors, "at", "", label="日時", required=False) is None
    assert not errors


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "報告日を入力してください。"),
        (at(6, 1), "報告日を正しい日付で入力してください。"),
        (TODAY + dt.timedelta(days=1), "報告日に未来の日付は入力できません。"),
    ],
)
def test_a_day_must_be_a_date_not_a_datetime_and_not_in_the_future(value: object, message: str) -> None:
    errors = FieldErrors()
    assert validation.check_day(errors, "reported_on", value, label="報告日") is None
    assert _messages(errors) == {"reported_on": [message]}


def test_today_and_the_day_of_knowing_are_library_days() -> None:
    assert validation.now() == NOW and validation.today() == TODAY
    late_evening_utc = dt.datetime(2026, 6, 14, 20, 0, tzinfo=dt.UTC)  # 15 June 05:00 in Tokyo
    assert validation.local(late_evening_utc) == dt.date(2026, 6, 15)
    assert validation.known_on(Incident(discovered_at=late_evening_utc)) == dt.date(2026, 6, 15)


def test_the_written_report_marker_follows_the_setting(settings: Any) -> None:
    settings.INCIDENT_WRITTEN_REPORT_DAYS = 9
    assert validation.written_report_days() == 9


def test_text_is_bounded_by_the_models_length() -> None:
    limit = validation.field_of("title").max_length
    errors = FieldErrors()
    assert validation.check_text(errors, "title", "  宛先誤り  ", required=True) == "宛先誤り"
    validation.check_text(errors, "title", "あ" * (limit + 1), required=True)
    assert "title" in errors
    assert validation.label_of("title") == str(Incident._meta.get_field("title").verbose_name)


def _facts(**overrides: Any) -> tuple[dict[str, Any], FieldErrors]:
    errors = FieldErrors()
    return validation.facts(errors, **facts(**overrides)), errors


@pytest.mark.django_db
def test_good_facts_come_back_cleaned_with_items_in_vocabulary_order() -> None:
    entry = make_entry()
    values, errors = _facts(
        data_items=[DataItem.EMAIL, DataItem.NAME, DataItem.EMAIL], register_entries=[entry.pk]
    )
    assert not errors
    assert values["data_items"] == sorted({DataItem.NAME, DataItem.EMAIL}, key=DataItem.values.index)
    assert values["register_entries"] == [entry]


@pytest.mark.django_db
def test_every_bad_fact_is_named_at_once() -> None:
    _values, errors = _facts(
        kind="fire",
        occurred_at=at(6, 15, 10, 0),  # after the discovery at 9:40
        people_count=0,
        data_items=["favourite_colour"],
        register_entries=["1"],
        place="",
    )
    messages = _messages(errors)
    assert messages["kind"][0].startswith("種別を選んでください")
    assert messages["occurred_at"] == ["発生日時が発覚日時より後になっています。"]
    assert messages["people_count"][0].startswith("本人の数は1以上で入力してください")
    assert messages["data_items"] == ["個人情報の項目は一覧（データ項目の語彙）から選んでください。"]
    assert messages["register_entries"] == ["関係する登録簿の事務は一覧から選んでください。"]
    assert "place" in messages


@pytest.mark.django_db
def test_an_unknown_register_entry_is_not_found() -> None:
    _values, errors = _facts(register_entries=[999_999])
    assert _messages(errors) == {"register_entries": ["選んだ登録簿の事務が見つかりません。"]}
