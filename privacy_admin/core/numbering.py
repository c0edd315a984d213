"""Record numbers: a prefix (the year, the kind) and a sequence within it, taken under a unique
constraint and drawn again when two clerks take the same number at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

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
