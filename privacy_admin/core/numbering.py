"""Record numbers: a prefix (the year, the kind) and a sequence within it, taken under a unique
constraint and drawn again when two clerks take the same number at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet

from privacy_admin.core.dates import era_year_code

T = TypeVar("T")

ATTEMPTS = 5


def next_number(queryset: QuerySet[Any], prefix: str, *, width: int, field: str = "number") -> str:
    """``prefix`` and one more than the highest sequence after it among ``queryset``'s numbers,
    zero-padded to ``width`` (事案-2026-001, R8-開示-0001)."""
    highest = 0
    for number in queryset.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True):
        tail = number.removeprefix(prefix)
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1:0{width}d}"


def record_prefix(day: dt.date, kind: str) -> str:
    """The one style of a record's number (issue 15): the 和暦 year of ``day`` as an era initial, the kind
    in Japanese, then the sequence — ``R8-開示-0008``, ``R8-苦情-001``, ``R8-事案-003``. Numbers given
    before (事案-2026-003) are kept; a new prefix starts its own sequence."""
    return f"{era_year_code(day)}-{kind}-"


def next_sequence(queryset: QuerySet[Any], field: str) -> int:
    """One more than the highest integer ``field`` among ``queryset`` (1 when there is none): for numbers
    whose sequence is kept in its own column, such as a letter's 文書番号 numbered per 年度."""
    highest = queryset.aggregate(highest=Max(field))["highest"]
    return (highest or 0) + 1


def format_number(template: str, *, n: int, **fields: object) -> str:
    """``template`` with ``{n}`` and the named ``fields`` filled in (「図書第{n}号」 → 「図書第123号」).
    A template with an unknown placeholder raises ``ValueError`` (the system check reports it first)."""
    try:
        return template.format(n=n, **fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"number format {template!r} is invalid: {exc}") from None


def create_numbered(
    create: Callable[[], T], *, exhausted: Callable[[], Exception], attempts: int = ATTEMPTS
) -> T:
    """Run ``create`` (which draws its number and saves) in its own transaction; when the unique number
    was taken meanwhile, draw again, up to ``attempts`` times, then raise ``exhausted()``."""
    for _attempt in range(attempts):
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            continue
    raise exhausted()
