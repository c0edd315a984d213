"""privacy_admin.core.register_entries: the register entries the product's own code serves are there on a
fresh database (registered by a data migration), so every field in the inventory points at one."""

from __future__ import annotations

import pytest

from privacy_admin.core import register_entries
from register.models import RegisterEntry

pytestmark = pytest.mark.django_db


def test_every_core_entry_is_registered_by_the_migrations() -> None:
    codes = {
        register_entries.LIBRARY_USE,
        register_entries.PRIVACY_REQUESTS,
        register_entries.CONTRACTOR_OVERSIGHT,
    }
    assert set(RegisterEntry.objects.filter(code__in=codes).values_list("code", flat=True)) == codes
