"""Date and card-number filters for templates.

``{% load wareki %}`` then ``{{ d|wareki }}`` (令和8年11月21日, or 2026年11月21日 when
settings.DATE_ERA_STYLE = "seireki"; in another language than Japanese, that language's date format), ``{{ d|seireki }}``, ``{{ d|wareki_month }}`` (令和8年11月) and ``{{ card|mask_card }}`` (****1234).
A filter never raises: a template must not turn a bad value into a 500.
"""

from __future__ import annotations

import datetime
import re

from django import template
from django.conf import settings
from django.utils import timezone

from privacy_admin.core.dates import (
    STYLES,
    format_japanese_date,
    format_local_date,
    format_month,
    japanese_active,
)
from privacy_admin.core.text import mask_card_number

register = template.Library()


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        # An aware datetime is shown on the library's calendar day, not UTC's.
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    # Only the extended form 2026-04-01: Python 3.11 also reads basic forms such as 20260401, so a card
    # number (「2101011498」) would otherwise come out as a date.
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _format(value: object, style: str) -> str:
    d = _as_date(value)
    if d is None:
        return ""
    if not japanese_active():
        # An English page writes dates in English; 和暦 and 年月日 are Japanese text.
        return format_local_date(d)
    if style not in STYLES:
        style = "wareki"
    try:
        return format_japanese_date(d, style=style)
    except ValueError:
        # Before 1873 there is no truthful 和暦 rendering of a Gregorian date.
        return format_japanese_date(d, style="seireki")


@register.filter(name="wareki")
def wareki(value: object, style: str | None = None) -> str:
    """The date in the configured era style; ``{{ d|wareki:"seireki" }}`` forces one."""
    return _format(value, style or settings.DATE_ERA_STYLE)


@register.filter(name="seireki")
def seireki(value: object) -> str:
    return _format(value, "seireki")


@register.filter(name="wareki_month")
def wareki_month(value: object) -> str:
    """The month in the configured era style: 令和8年12月 (2026年12月 in 西暦), never 2026-12."""
    d = _as_date(value)
    if d is None:
        return ""
    return format_month(d)


@register.filter(name="mask_card")
def mask_card(value: object) -> str:
    """000 第3(5): a card number on screen shows its last four digits only."""
    if value is None or value == "":
        return ""
    return mask_card_number(str(value))
