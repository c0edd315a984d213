"""loans.targets: an item shows as its barcode, never its title."""

from __future__ import annotations

import pytest

from loans.targets import items_shown
from privacy_admin.core import targets

from .factories import make_item

pytestmark = pytest.mark.django_db


def test_items_by_barcode(central) -> None:
    item = make_item(home_branch=central, title="川べりの四季")
    assert items_shown({str(item.pk), "987654"}) == {str(item.pk): item.barcode}
    assert targets.TARGETS["item"].resolver is items_shown
