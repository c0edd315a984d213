"""The library's day and its Japanese calendar (和暦) and Gregorian (西暦) formatting.

Japan adopted the Gregorian calendar on 明治6年1月1日 (1873-01-01); earlier 明治 dates were lunisolar,
so a Gregorian date before it has no truthful 和暦 form. ``to_wareki_era_year`` refuses such a date;
the formatters never raise and write it in 西暦 instead (a record must never turn a page into a 500).
Every date a form or the API accepts lies within ``EARLIEST_DATE`` and ``latest_date()``: the one
place the bounds are set (``privacy_admin.core.forms.date_field``, ``core.api_schemas.ApiDate``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import formats, timezone, translation

__all__ = [
    "EARLIEST_DATE",
    "ERAS",
    "ERA_INITIALS",
    "PLANNING_YEARS",
    "era_year_code",
    "format_date",
    "format_japanese_date",
    "format_japanese_month",
    "format_local_date",
    "format_month",
    "japanese_active",
    "latest_date",
    "to_seireki",
    "to_wareki",
    "to_wareki_era_year",
    "today",
]

# (name, first day in the Gregorian calendar). A day before a start belongs to the previous era
# (1989-01-07 is 昭和64年1月7日).
ERAS: tuple[tuple[str, datetime.date], ...] = (
    ("令和", datetime.date(2019, 5, 1)),
    ("平成", datetime.date(1989, 1, 8)),
    ("昭和", datetime.date(1926, 12, 25)),
    ("大正", datetime.date(1912, 7, 30)),
    ("明治", datetime.date(1868, 1, 25)),
)

GREGORIAN_ADOPTED = datetime.date(1873, 1, 1)

# The earliest date any form or API field accepts: the first day 和暦 formatting renders truthfully.
EARLIEST_DATE = GREGORIAN_ADOPTED
# How far ahead a planned date (a contract's end, a retention period, a review) may lie.
PLANNING_YEARS = 50

# The era's initial, as record numbers write the year (R8-開示-0001).
ERA_INITIALS: dict[str, str] = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}

STYLES = ("wareki", "seireki")


def to_wareki_era_year(d: datetime.date) -> tuple[str, int]:
    """Era name and year within it, e.g. ``("令和", 8)`` for 2026-11-21; 元年 is year 1."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    if d < GREGORIAN_ADOPTED:
        raise ValueError(
            f"{d.isoformat()} は和暦に変換できません（グレゴリオ暦採用の1873年1月1日以降のみ）。"
        )
    for name, start in ERAS:
        if d >= start:
            return name, d.year - start.year + 1
    raise AssertionError("unreachable: every date from 1873 falls in an era")  # pragma: no cover


def to_wareki(d: datetime.date) -> str:
    """``令和8年11月21日``; the first year of an era is written 元年 (``令和元年5月1日``). A date before
    1873-01-01 has no 和暦 form and is written in 西暦 (``1868年1月1日``) rather than refused."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    if d < GREGORIAN_ADOPTED:
        return to_seireki(d)
    era, year = to_wareki_era_year(d)
    year_text = "元" if year == 1 else str(year)
    return f"{era}{year_text}年{d.month}月{d.day}日"


def to_seireki(d: datetime.date) -> str:
    """``2026年11月21日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def format_japanese_date(d: datetime.date | datetime.datetime, *, style: str = "wareki") -> str:
    """Format a date, or a datetime by its own date (convert aware datetimes to local time first)."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    if style == "wareki":
        return to_wareki(d)
    if style == "seireki":
        return to_seireki(d)
    raise ValueError(f"日付の表記方法が不正です: {style!r}（'wareki' または 'seireki'）")


def format_japanese_month(d: datetime.date | datetime.datetime, *, style: str = "wareki") -> str:
    """The month of ``d``: ``令和8年12月`` (``令和元年5月``), or ``2026年12月`` in 西暦 — never ``2026-12``.
    A month before 1873 is written in 西暦, like ``to_wareki``."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    if style == "seireki" or (style == "wareki" and d < GREGORIAN_ADOPTED):
        return f"{d.year}年{d.month}月"
    if style != "wareki":
        raise ValueError(f"日付の表記方法が不正です: {style!r}（'wareki' または 'seireki'）")
    era, year = to_wareki_era_year(d)
    return f"{era}{'元' if year == 1 else year}年{d.month}月"


def japanese_active() -> bool:
    """Whether text is being produced in Japanese (the default when no language is active)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0] == "ja"


def format_local_date(d: datetime.date | datetime.datetime) -> str:
    """``d`` for a reader of another language: the active locale's date format (``Nov. 21, 2026``)."""
    if isinstance(d, datetime.datetime):
        d = d.date()
    return formats.date_format(d, "DATE_FORMAT")


def format_date(d: datetime.date | datetime.datetime) -> str:
    """``d`` in the library's configured style (setting DATE_ERA_STYLE: 和暦 or 西暦), for messages.

    In another language than Japanese the date is written in that language's format instead.
    """
    if not japanese_active():
        return format_local_date(d)
    return format_japanese_date(d, style=settings.DATE_ERA_STYLE)


def format_month(d: datetime.date | datetime.datetime) -> str:
    """The month of ``d`` in the library's configured style (令和8年12月), or the active language's
    year-and-month format (``December 2026``) in another language than Japanese."""
    if not japanese_active():
        return formats.date_format(d, "YEAR_MONTH_FORMAT")
    return format_japanese_month(d, style=settings.DATE_ERA_STYLE)


def era_year_code(d: datetime.date) -> str:
    """``R8`` for 2026-11-21: the era's initial and the year within it (元年 is 1); the 西暦 year
    (``1872``) for a date before 1873, which forms and the API do not accept."""
    if d < GREGORIAN_ADOPTED:
        return str(d.year)
    era, year = to_wareki_era_year(d)
    return f"{ERA_INITIALS.get(era, era)}{year}"


def today() -> datetime.date:
    """The library's calendar day (TIME_ZONE, Asia/Tokyo)."""
    return timezone.localdate()


def latest_date() -> datetime.date:
    """The latest date a form or the API accepts: ``PLANNING_YEARS`` from today (31 December)."""
    return datetime.date(today().year + PLANNING_YEARS, 12, 31)
