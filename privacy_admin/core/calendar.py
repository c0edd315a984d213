"""The library's calendar: which days it is open, and the 年度 (fiscal year, April to March).

Closed days: Saturdays, Sundays, national holidays (jpholiday), 12/29–1/3 (地方自治法 第4条の2 第1項第3号)
and the library's own (entered in the admin; ``disclosure_requests.profiles.library_calendar`` reads them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import jpholiday
from django.utils.translation import gettext

from .dates import japanese_active, to_wareki_era_year

ONE_DAY = dt.timedelta(days=1)

# 地方自治法 第4条の2 第1項第3号: 12月29日から翌年1月3日までの日.
YEAR_END_DAYS = frozenset({(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)})

FISCAL_YEAR_START_MONTH = 4  # 年度: April to March


@dataclass(frozen=True)
class Calendar:
    """Which days the library is closed. ``library_closed`` are the days entered in the admin."""

    library_closed: frozenset[dt.date] = field(default_factory=frozenset)

    def is_closed(self, day: dt.date) -> bool:
        return bool(self.closed_reason(day))

    def closed_reason(self, day: dt.date) -> str:
        """'' for an open day; otherwise a Japanese label: 土曜日, 日曜日, the holiday's name, 年末年始, 休館日."""
        # 年末年始 first: 1/1 is also 元日, but the whole 12/29–1/3 run is one closure.
        if (day.month, day.day) in YEAR_END_DAYS:
            return "年末年始"
        holiday = jpholiday.is_holiday_name(day)
        if holiday:
            # jpholiday names a substitute holiday "憲法記念日 振替休日".
            if holiday.endswith("振替休日") and holiday != "振替休日":
                return f"振替休日（{holiday.removesuffix('振替休日').strip()}）"
            return str(holiday)
        if day.weekday() == 5:
            return "土曜日"
        if day.weekday() == 6:
            return "日曜日"
        if day in self.library_closed:
            return "休館日"
        return ""

    def next_open_day(self, day: dt.date) -> dt.date:
        """``day`` itself when open, else the first open day after it."""
        while self.is_closed(day):
            day += ONE_DAY
        return day

    def last_open_day_before(self, day: dt.date) -> dt.date:
        """The last open day strictly before ``day``."""
        day -= ONE_DAY
        while self.is_closed(day):
            day -= ONE_DAY
        return day


def fiscal_year_of(day: dt.date) -> int:
    """The 年度 a date belongs to, by its starting year (2027-03-31 → 2026)."""
    return day.year if day.month >= FISCAL_YEAR_START_MONTH else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """(first day, last day) of 年度 ``year``: April 1 to March 31 of the next year."""
    return dt.date(year, FISCAL_YEAR_START_MONTH, 1), dt.date(
        year + 1, FISCAL_YEAR_START_MONTH, 1
    ) - dt.timedelta(days=1)


def fiscal_year_label(year: int) -> str:
    """令和8年度 (元年度 for the first year of an era).

    Named by the era in force on May 1: 2019年度 is 令和元年度 in common use (令和 began 2019-05-01),
    and 1988年度 stays 昭和63年度.
    In another language than Japanese the year is written by its first calendar year (``FY2026``).
    """
    if not japanese_active():
        return gettext("%(year)s年度") % {"year": year}
    era, era_year = to_wareki_era_year(dt.date(year, 5, 1))
    return f"{era}{'元' if era_year == 1 else era_year}年度"
