"""outsourcing.targets: a contract by its 契約番号, a contractor by its name."""

from __future__ import annotations

import pytest

from outsourcing.targets import contractors_shown, contracts_shown
from privacy_admin.core import targets

from .factories import make_contract

pytestmark = pytest.mark.django_db


def test_contracts_by_number_and_contractors_by_name(pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter])
    assert contracts_shown({str(contract.pk), "987654"}) == {str(contract.pk): contract.number}
    assert contractors_shown({str(contract.contractor_id)}) == {
        str(contract.contractor_id): contract.contractor.name
    }
    assert targets.TARGETS["contract"].resolver is contracts_shown
