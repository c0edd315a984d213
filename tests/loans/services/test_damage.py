"""loans.services.damage: settling a damage case (opened by a damaged return), and the patron it keeps."""

from __future__ import annotations

import pytest

from loans import services
from loans.models import (
    DamageCase,
)
from privacy_admin.audit.models import AuditEvent
from tests.loans.services.helpers import give_back, lend, unchanged_by

pytestmark = pytest.mark.django_db


# --- damage cases ---------------------------------------------------------------------------------


def test_settling_a_damage_case_deletes_it(staff, patron, item) -> None:
    lend(staff, patron, item)
    give_back(staff, item, damaged=True, damage_description="ページの破れ")
    case = DamageCase.objects.get()
    services.damage_case_settle(actor=staff, case=case)
    assert not DamageCase.objects.exists()
    event = AuditEvent.objects.get(action="circulation.damage_settle")
    assert (event.target_type, event.target_id, event.patron_id) == ("item", str(item.pk), None)
    messages = unchanged_by(lambda: services.damage_case_settle(actor=staff, case=case))
    assert messages == {"__all__": ["この汚破損案件は既に処理済みです。"]}
