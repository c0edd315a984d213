"""What a history entry holds in the clear: a random id and the patron, nothing else."""

from __future__ import annotations

from mypage.models import HistoryEntry, random_entry_id


def test_entry_ids_are_random_not_a_sequence() -> None:
    ids = {random_entry_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(0 < i < 2**63 for i in ids)


def test_an_entry_has_no_item_and_no_date_in_the_clear() -> None:
    assert {f.name for f in HistoryEntry._meta.fields} == {"id", "patron", "sealed"}
