"""privacy_admin.core.dates: 和暦 / 西暦 formatting."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from privacy_admin.core.dates import (
    EARLIEST_DATE,
    ERAS,
    PLANNING_YEARS,
    era_year_code,
    format_date,
    format_japanese_date,
    latest_date,
    to_seireki,
    to_wareki,
    to_wareki_era_year,
    today,
)

D = datetime.date

# Worked examples at every era boundary: the last day of the old era and the first of the new.
BOUNDARIES = [
    (D(1873, 1, 1), "明治6年1月1日"),
    (D(1900, 2, 28), "明治33年2月28日"),
    (D(1912, 7, 29), "明治45年7月29日"),
    (D(1912, 7, 30), "大正元年7月30日"),
    (D(1912, 12, 31), "大正元年12月31日"),
    (D(1913, 1, 1), "大正2年1月1日"),
    (D(1926, 12, 24), "大正15年12月24日"),
    (D(1926, 12, 25), "昭和元年12月25日"),
    (D(1927, 1, 1), "昭和2年1月1日"),
    (D(1989, 1, 7), "昭和64年1月7日"),
    (D(1989, 1, 8), "平成元年1月8日"),
    (D(1990, 1, 1), "平成2年1月1日"),
    (D(2019, 4, 30), "平成31年4月30日"),
    (D(2019, 5, 1), "令和元年5月1日"),
    (D(2019, 12, 31), "令和元年12月31日"),
    (D(2020, 1, 1), "令和2年1月1日"),
    (D(2026, 11, 21), "令和8年11月21日"),
]


@pytest.mark.parametrize(("d", "expected"), BOUNDARIES)
def test_wareki_at_era_boundaries(d: D, expected: str) -> None:
    assert to_wareki(d) == expected


@pytest.mark.parametrize(
    ("d", "era_year"),
    [
        (D(2026, 11, 21), ("令和", 8)),
        (D(2019, 5, 1), ("令和", 1)),
        (D(1989, 1, 7), ("昭和", 64)),
        (D(1989, 1, 8), ("平成", 1)),
        (D(1912, 7, 29), ("明治", 45)),
    ],
)
def test_era_and_year(d: D, era_year: tuple[str, int]) -> None:
    assert to_wareki_era_year(d) == era_year


@pytest.mark.parametrize("d", [D(1872, 12, 31), D(1868, 1, 25), D(1, 1, 1)])
def test_era_of_a_date_before_the_gregorian_calendar_was_adopted_is_refused(d: D) -> None:
    with pytest.raises(ValueError, match="和暦に変換できません"):
        to_wareki_era_year(d)


@pytest.mark.parametrize(
    ("d", "expected"),
    [(D(1872, 12, 31), "1872年12月31日"), (D(1868, 1, 1), "1868年1月1日"), (D(1, 1, 1), "1年1月1日")],
)
def test_a_date_before_1873_is_written_in_seireki_rather_than_refused(d: D, expected: str) -> None:
    assert to_wareki(d) == expected
    assert format_japanese_date(d) == expected
    assert era_year_code(d) == str(d.year)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (D(1873, 1, 1), "M6"),
        (D(1912, 7, 30), "T1"),
        (D(1926, 12, 25), "S1"),
        (D(1989, 1, 8), "H1"),
        (D(2019, 5, 1), "R1"),
    ],
)
def test_era_year_code_at_the_first_day_of_each_era(d: D, expected: str) -> None:
    assert era_year_code(d) == expected


def test_the_accepted_range_runs_from_1873_to_the_planning_horizon() -> None:
    assert D(1873, 1, 1) == EARLIEST_DATE
    assert latest_date() == D(today().year + PLANNING_YEARS, 12, 31)
    assert to_wareki(latest_date()).startswith("令和")


@given(st.dates())
def test_formatting_never_raises_for_any_date(d: D) -> None:
    for style in ("wareki", "seireki"):
        assert format_japanese_date(d, style=style).endswith(f"{d.month}月{d.day}日")
    assert era_year_code(d)


@given(st.dates(min_value=D(1873, 1, 1), max_value=D(9999, 12, 31)))
def test_format_date_is_total_over_the_accepted_range_and_beyond(d: D) -> None:
    with translation.override("ja"):
        assert format_date(d).endswith(f"{d.month}月{d.day}日")


def test_seireki() -> None:
    assert to_seireki(D(2026, 11, 21)) == "2026年11月21日"
    assert to_seireki(D(2026, 1, 5)) == "2026年1月5日"


def test_format_uses_wareki_by_default() -> None:
    assert format_japanese_date(D(2026, 11, 21)) == "令和8年11月21日"


def test_format_seireki_style() -> None:
    assert format_japanese_date(D(2026, 11, 21), style="seireki") == "2026年11月21日"


def test_datetime_is_formatted_by_its_date() -> None:
    moment = datetime.datetime(2019, 4, 30, 23, 59, 59)
    assert format_japanese_date(moment) == "平成31年4月30日"
    assert format_japanese_date(moment, style="seireki") == "2019年4月30日"
    assert to_wareki_era_year(moment) == ("平成", 31)


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="表記方法"):
        format_japanese_date(D(2026, 11, 21), style="iso")


@given(st.dates(min_value=D(1873, 1, 1)))
def test_era_year_maps_back_to_the_gregorian_year(d: D) -> None:
    era, year = to_wareki_era_year(d)
    start = dict(ERAS)[era]
    assert year >= 1
    assert start.year + year - 1 == d.year
    assert d >= start
    later = [s for _, s in ERAS if s > start]
    assert all(d < s for s in later)


@given(st.dates(min_value=D(1873, 1, 1)))
def test_wareki_text_carries_the_month_and_day(d: D) -> None:
    text = to_wareki(d)
    assert text.endswith(f"年{d.month}月{d.day}日")
    era, year = to_wareki_era_year(d)
    assert text.startswith(era + ("元" if year == 1 else str(year)) + "年")


@given(st.dates(min_value=D(1873, 1, 1)), st.dates(min_value=D(1873, 1, 1)))
def test_eras_are_in_date_order(a: D, b: D) -> None:
    order = [name for name, _ in reversed(ERAS)]
    if a <= b:
        assert order.index(to_wareki_era_year(a)[0]) <= order.index(to_wareki_era_year(b)[0])


@pytest.mark.parametrize(
    ("day", "style", "expected"),
    [
        (datetime.date(2026, 12, 6), "wareki", "令和8年12月"),
        (datetime.date(2019, 5, 1), "wareki", "令和元年5月"),
        (datetime.date(2019, 4, 30), "wareki", "平成31年4月"),
        (datetime.date(2026, 6, 1), "seireki", "2026年6月"),
        (datetime.date(1868, 3, 1), "wareki", "1868年3月"),  # before 1873: 西暦, never refused
    ],
)
def test_a_month_is_written_in_japanese_never_as_yyyy_mm(day, style, expected) -> None:
    from privacy_admin.core.dates import format_japanese_month

    assert format_japanese_month(day, style=style) == expected


def test_format_month_follows_the_setting_and_the_language(settings) -> None:
    from privacy_admin.core.dates import format_month

    with translation.override("ja"):
        assert format_month(datetime.date(2026, 12, 1)) == "令和8年12月"
        settings.DATE_ERA_STYLE = "seireki"
        assert format_month(datetime.date(2026, 12, 1)) == "2026年12月"
    with translation.override("en"):
        assert format_month(datetime.date(2026, 12, 1)) == "December 2026"
