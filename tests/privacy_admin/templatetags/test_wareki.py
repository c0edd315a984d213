"""The wareki / seireki / mask_card template filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template

from privacy_admin.templatetags.wareki import mask_card, seireki, wareki

JST = dt.timezone(dt.timedelta(hours=9))


def render(source: str, **context: Any) -> str:
    return Template("{% load wareki %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 21), "令和8年11月21日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        ("2026-11-21", "令和8年11月21日"),
        (None, ""),
        ("", ""),
        ("not a date", ""),
        (42, ""),
    ],
)
def test_wareki(value: Any, expected: str) -> None:
    assert wareki(value) == expected


def test_wareki_uses_the_local_day_of_an_aware_datetime() -> None:
    # 15:30 UTC on 20 November is already 21 November in Tokyo.
    assert wareki(dt.datetime(2026, 11, 20, 15, 30, tzinfo=dt.UTC)) == "令和8年11月21日"


def test_wareki_follows_the_setting(settings: Any) -> None:
    settings.DATE_ERA_STYLE = "seireki"
    assert render("{{ d|wareki }}", d=dt.date(2026, 11, 21)) == "2026年11月21日"


def test_wareki_argument_overrides_the_setting() -> None:
    assert render('{{ d|wareki:"seireki" }}', d=dt.date(2026, 11, 21)) == "2026年11月21日"
    assert wareki(dt.date(2026, 11, 21), "bogus") == "令和8年11月21日"


def test_wareki_falls_back_to_seireki_before_the_gregorian_calendar() -> None:
    assert wareki(dt.date(1872, 12, 31)) == "1872年12月31日"


def test_seireki() -> None:
    assert seireki(dt.date(2026, 11, 21)) == "2026年11月21日"
    assert seireki(dt.datetime(2026, 11, 21, 8, 0, tzinfo=JST)) == "2026年11月21日"
    assert seireki(None) == ""


def test_filters_in_a_template() -> None:
    html = render(
        "{{ d|wareki }} / {{ d|seireki }} / {{ c|mask_card }} / [{{ missing|wareki }}]",
        d=dt.date(2026, 11, 21),
        c="2100000018",
    )
    assert html == "令和8年11月21日 / 2026年11月21日 / ****0018 / []"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2100000018", "****0018"), ("1234", "****"), ("", ""), (None, ""), (2100000018, "****0018")],
)
def test_mask_card(value: Any, expected: str) -> None:
    assert mask_card(value) == expected


def test_wareki_month_writes_the_month_in_the_configured_style(settings) -> None:
    assert render("{{ d|wareki_month }}", d=dt.date(2026, 12, 1)) == "令和8年12月"
    assert render("{{ d|wareki_month }}", d="2026-06-01") == "令和8年6月"
    assert render("{{ d|wareki_month }}", d=None) == ""
    settings.DATE_ERA_STYLE = "seireki"
    assert render("{{ d|wareki_month }}", d=dt.date(2026, 12, 1)) == "2026年12月"


@pytest.mark.parametrize("text", ["2101011498", "20260401", "2026-W14-3", "2026-4-1"])
def test_a_string_that_is_not_an_extended_iso_date_is_not_a_date(text: str) -> None:
    """A card number such as 「2101011498」 must never print as 令和83年1月14日."""
    assert wareki(text) == "" and seireki(text) == ""
    assert wareki("2026-04-01") == "令和8年4月1日"
