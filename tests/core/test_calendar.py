"""privacy_admin.core.calendar: the days the library is closed (weekends, national holidays, 年末年始 of
地方自治法 第4条の2, the library's own) and the 年度, April to March, named by its era."""

from __future__ import annotations

import datetime as dt

import pytest

from privacy_admin.core.calendar import Calendar, fiscal_year_bounds, fiscal_year_label, fiscal_year_of

D = dt.date


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 11, 20), ""),  # a Friday
        (D(2026, 11, 21), "土曜日"),
        (D(2026, 11, 22), "日曜日"),
        (D(2026, 11, 23), "勤労感謝の日"),
        (D(2026, 12, 29), "年末年始"),
        (D(2027, 1, 1), "年末年始"),  # also 元日: the year-end closure names it
        (D(2026, 5, 6), "振替休日（憲法記念日）"),
    ],
)
def test_why_a_day_is_closed(day: dt.date, reason: str) -> None:
    assert Calendar().closed_reason(day) == reason
    assert Calendar().is_closed(day) is bool(reason)


def test_the_librarys_own_closed_days() -> None:
    calendar = Calendar(library_closed=frozenset({D(2026, 11, 19)}))
    assert calendar.closed_reason(D(2026, 11, 19)) == "休館日"


def test_the_next_and_the_last_open_day() -> None:
    calendar = Calendar()
    assert calendar.next_open_day(D(2026, 11, 20)) == D(2026, 11, 20)
    assert calendar.next_open_day(D(2026, 11, 21)) == D(2026, 11, 24)  # Sat, Sun, 勤労感謝の日
    assert calendar.next_open_day(D(2026, 12, 29)) == D(2027, 1, 4)
    assert calendar.last_open_day_before(D(2027, 1, 4)) == D(2026, 12, 28)


@pytest.mark.parametrize(
    ("day", "year"), [(D(2026, 4, 1), 2026), (D(2027, 3, 31), 2026), (D(2026, 3, 31), 2025)]
)
def test_the_fiscal_year_of_a_day(day: dt.date, year: int) -> None:
    assert fiscal_year_of(day) == year


def test_fiscal_year_bounds_and_labels() -> None:
    assert fiscal_year_bounds(2026) == (D(2026, 4, 1), D(2027, 3, 31))
    assert fiscal_year_label(2026) == "令和8年度"
    assert fiscal_year_label(2019) == "令和元年度"
    assert fiscal_year_label(1988) == "昭和63年度"
