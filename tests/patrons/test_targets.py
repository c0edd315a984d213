"""patrons.targets: a patron shows as the masked card number, a branch by its name."""

from __future__ import annotations

import pytest

from patrons.targets import branches_shown, patrons_shown
from privacy_admin.core import targets
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


def test_patrons_by_masked_card_number_and_branches_by_name(central) -> None:
    patron = make_patron(registered_branch=central)
    assert patrons_shown({str(patron.pk), "987654", "x"}) == {
        str(patron.pk): "****" + patron.card_number[-4:]
    }
    assert branches_shown({"central", "gone"}) == {"central": "中央図書館"}
    assert targets.TARGETS["patron"].resolver is patrons_shown
