"""register.targets: an entry as 「第N号」."""

from __future__ import annotations

import pytest

from privacy_admin.core import targets
from register.targets import entries_shown

from .factories import make_entry

pytestmark = pytest.mark.django_db


def test_entries_by_their_number() -> None:
    entry = make_entry()
    assert entries_shown({str(entry.pk), "987654"}) == {str(entry.pk): f"第{entry.number}号"}
    assert targets.TARGETS["register_entry"].resolver is entries_shown
