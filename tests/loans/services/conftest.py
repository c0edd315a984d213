"""Fixtures of the circulation services' tests: a second branch, three patrons, an item, the counter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from loans.models import (
    Item,
)
from patrons.models import Branch, Patron
from tests.factories import make_branch, make_patron
from tests.loans.factories import make_item


@pytest.fixture
def kita(db) -> Branch:
    return make_branch(code="kita", name="北分館", kind=Branch.Kind.BRANCH)


@pytest.fixture
def patron(central, general_category) -> Patron:
    return make_patron(registered_branch=central, category=general_category, expires_on=dt.date(2029, 4, 1))


@pytest.fixture
def other(central, general_category) -> Patron:
    return make_patron(registered_branch=central, category=general_category, expires_on=dt.date(2029, 4, 1))


@pytest.fixture
def third(central, general_category) -> Patron:
    return make_patron(registered_branch=central, category=general_category, expires_on=dt.date(2029, 4, 1))


@pytest.fixture
def item(central) -> Item:
    return make_item(home_branch=central)


@pytest.fixture
def staff(counter_staff) -> Any:
    return counter_staff
