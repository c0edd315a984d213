"""Fixtures of the circulation tests (tests/loans/): the other branches and a patron with a name that
must never appear in an output. A test module that defines its own wins."""

from __future__ import annotations

import pytest

from patrons.models import Branch, Patron
from tests.factories import make_branch, make_patron


@pytest.fixture
def kita(db) -> Branch:
    return make_branch(code="kita", name="北分館", kind=Branch.Kind.BRANCH)


@pytest.fixture
def mobile(db) -> Branch:
    return make_branch(code="mobile", name="移動図書館", kind=Branch.Kind.MOBILE)


@pytest.fixture
def patron(central, general_category) -> Patron:
    return make_patron(registered_branch=central, category=general_category, family_name="守屋")
