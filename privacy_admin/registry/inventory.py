"""The field inventory read for the register: which data items each entry's code processes.

The register's 記録項目 are the items declared next to the models for the entry's code
(``privacy_admin.dataitems.PERSONAL_FIELDS``), plus the vocabulary items the entry adds for processing
outside the system (``extra_items``), plus its free items — so the printed register cannot drift from
the code.
"""

from __future__ import annotations

from privacy_admin.dataitems import PERSONAL_FIELDS, DataItem

from .models import RegisterEntry

_ORDER = {value: i for i, value in enumerate(DataItem.values)}


def inventory_items(code: str) -> list[DataItem]:
    """The data items the code declares for the entry ``code``, in vocabulary order."""
    found = {f.item for f in PERSONAL_FIELDS.values() if f.register_entry == code}
    return sorted(found, key=lambda i: _ORDER[i.value])


def entry_items(entry: RegisterEntry) -> list[DataItem]:
    """Vocabulary items of the entry: from the inventory and the entry's own additions."""
    found = set(inventory_items(entry.code))
    for value in entry.extra_items or []:
        if value in _ORDER:
            found.add(DataItem(value))
    return sorted(found, key=lambda i: _ORDER[i.value])


def entry_record_items(entry: RegisterEntry) -> list[str]:
    """The 記録項目 as printed: vocabulary labels, then the free items one per line."""
    labels = [str(item.label) for item in entry_items(entry)]
    labels += [line.strip() for line in (entry.free_items or "").splitlines() if line.strip()]
    return labels
