"""privacy_admin.core.numbering: a record number is its prefix and one more than the highest sequence
after it; a number taken meanwhile by another clerk is drawn again, a few times, then refused."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from loans.models import Item
from privacy_admin.core.numbering import ATTEMPTS, create_numbered, next_number
from tests.loans.factories import make_item

pytestmark = pytest.mark.django_db


def test_the_first_number_of_a_prefix_starts_at_one(central) -> None:
    assert next_number(Item.objects.all(), "事案-2026-", width=3, field="barcode") == "事案-2026-001"


def test_the_next_number_follows_the_highest_and_ignores_other_prefixes_and_shapes(central) -> None:
    for barcode in ("事案-2026-002", "事案-2026-010", "事案-2025-099", "事案-2026-10a"):
        make_item(home_branch=central, barcode=barcode)
    assert next_number(Item.objects.all(), "事案-2026-", width=3, field="barcode") == "事案-2026-011"


def test_a_number_taken_meanwhile_is_drawn_again() -> None:
    tries: list[int] = []

    def create() -> str:
        tries.append(1)
        if len(tries) < 3:
            raise IntegrityError("duplicate key")
        return "R8-開示-0003"

    assert create_numbered(create, exhausted=lambda: RuntimeError("no number")) == "R8-開示-0003"
    assert len(tries) == 3


def test_after_every_attempt_fails_the_callers_error_is_raised() -> None:
    tries: list[int] = []

    def create() -> str:
        tries.append(1)
        raise IntegrityError("duplicate key")

    with pytest.raises(RuntimeError, match="番号を取得できません"):
        create_numbered(create, exhausted=lambda: RuntimeError("番号を取得できませんでした。"))
    assert len(tries) == ATTEMPTS


def test_every_kind_of_record_is_numbered_in_one_style() -> None:
    import datetime as dt

    from privacy_admin.core.numbering import record_prefix

    day = dt.date(2026, 6, 15)
    assert [record_prefix(day, kind) for kind in ("開示", "苦情", "事案")] == [
        "R8-開示-",
        "R8-苦情-",
        "R8-事案-",
    ]
    assert record_prefix(dt.date(2019, 5, 1), "事案") == "R1-事案-"


def test_numbers_in_the_old_style_are_kept_and_do_not_count(central) -> None:
    make_item(home_branch=central, barcode="事案-2026-007")
    assert next_number(Item.objects.all(), "R8-事案-", width=3, field="barcode") == "R8-事案-001"
