"""``manage.py audit_seal``: seals what is committed."""

from __future__ import annotations

import pytest

from privacy_admin.audit.models import AuditSeal
from tests.audit.helpers import run_command

pytestmark = pytest.mark.django_db


def test_seal_command_seals_what_is_committed(record) -> None:
    events = record(3, seal=False)
    code, out, _ = run_command("audit_seal", "--timeout", "1")
    assert code == 0
    assert f"3 events sealed; sealed through event {events[-1].seq}" in out
    assert AuditSeal.objects.count() == 3
