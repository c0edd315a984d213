"""Factories for circulation tests. Loans and reservations are made through the services, as at the
counter, so that tests see the same rows, counts and events that production writes."""

from __future__ import annotations

from typing import Any, cast

import factory
from factory.django import DjangoModelFactory

from loans.models import Item
from patrons.models import Branch
from tests.factories import BranchFactory


class ItemFactory(DjangoModelFactory[Item]):
    class Meta:
        model = Item

    barcode = factory.Sequence(lambda n: f"1100{n:06d}")
    title = factory.Sequence(lambda n: f"武蔵野の森を歩く 第{n}巻")
    author = "山本 一郎"
    publisher = "あさひ書房"
    home_branch = factory.SubFactory(
        BranchFactory, code="central", name="中央図書館", kind=Branch.Kind.CENTRAL
    )
    current_branch = factory.LazyAttribute(lambda o: o.home_branch)


def make_item(**kwargs: Any) -> Item:
    return cast(Item, ItemFactory(**kwargs))
