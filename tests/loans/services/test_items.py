"""loans.services.items: registering an item — barcode, ISBN, every problem reported at once."""

from __future__ import annotations

import pytest

from loans import services
from loans.models import (
    Item,
)
from privacy_admin.audit.models import AuditEvent
from tests.loans.services.helpers import unchanged_by

pytestmark = pytest.mark.django_db


# --- items ----------------------------------------------------------------------------------------


def test_item_create_registers_the_item_at_its_home_branch(staff, central) -> None:
    item = services.item_create(
        actor=staff,
        barcode="１１０００１２３４５",
        title="  日本の図書館史  ",
        branch_code="central",
        author="図書 館子",
        isbn="978-4-06-123456-7",
    )
    assert (item.barcode, item.title, item.isbn) == ("1100012345", "日本の図書館史", "9784061234567")
    assert (item.home_branch, item.current_branch, item.status) == (central, central, Item.Status.AVAILABLE)
    event = AuditEvent.objects.get(action="circulation.item_create")
    assert (event.target_type, event.target_id) == ("item", str(item.pk))


def test_item_create_refuses_a_registered_barcode(staff, item) -> None:
    messages = unchanged_by(
        lambda: services.item_create(actor=staff, barcode=item.barcode, title="別の本", branch_code="central")
    )
    assert messages == {"barcode": ["この資料番号は既に登録されています。"]}


@pytest.mark.parametrize("isbn", ["4-06-000000-1", "978-4-06-123456-8", "12345", "ISBN"])
def test_item_create_refuses_a_wrong_isbn(staff, central, isbn) -> None:
    messages = unchanged_by(
        lambda: services.item_create(
            actor=staff, barcode="200001", title="本", branch_code="central", isbn=isbn
        )
    )
    assert list(messages) == ["isbn"]


@pytest.mark.parametrize("isbn", ["4-06-000000-0", "4-06-000006-X", "9784000000000", "978-4-06-123456-7"])
def test_item_create_accepts_valid_isbn(staff, central, isbn) -> None:
    item = services.item_create(actor=staff, barcode="200002", title="本", branch_code="central", isbn=isbn)
    assert item.isbn == isbn.replace("-", "")


def test_item_create_reports_every_problem_at_once(staff, central, pickup_counter) -> None:
    messages = unchanged_by(
        lambda: services.item_create(actor=staff, barcode="バーコード", title="", branch_code="pickup-east")
    )
    assert set(messages) == {"barcode", "title", "branch"}
