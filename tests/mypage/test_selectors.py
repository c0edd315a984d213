"""マイページ selectors: only the patron's own rows, queue positions counted, the catalogue search."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from loans import services as loan_services
from loans.models import Item
from mypage import selectors
from tests.loans.factories import make_item

pytestmark = pytest.mark.django_db


def test_queue_position_counts_those_ahead(patron: Any, other_patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    loan_services.reservation_create(
        actor=None, card_number=other_patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    loan_services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    (row,) = selectors.my_reservations(patron)
    assert row.queue_position == 2 and row.pickup_place == "中央図書館"


def test_another_patrons_reservation_is_not_found(patron: Any, other_patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    theirs = loan_services.reservation_create(
        actor=None, card_number=other_patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    with pytest.raises(Http404):
        selectors.my_reservation(patron, theirs.pk)
    assert selectors.my_reservations(patron) == []


def test_search_finds_titles_by_every_word_and_skips_withdrawn(central: Any) -> None:
    make_item(title="相模原の歴史と文化", home_branch=central)
    make_item(title="相模原の歴史", home_branch=central, status=Item.Status.WITHDRAWN)
    assert [r.title for r in selectors.item_search("相模原 文化")] == ["相模原の歴史と文化"]
    assert selectors.item_search("   ") == []


def test_registration_rows_are_the_held_data_inventory(patron: Any) -> None:
    fields = [r.field for r in selectors.my_registration(patron)]
    assert {"card_number", "address", "phone", "email", "password"} <= set(fields)
