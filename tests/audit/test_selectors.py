"""privacy_admin.audit.selectors: the access-log page's reads — only a privacy officer reads the log; what
the officer typed is resolved to internal ids (a card number, or #id for an erased patron); a page holds
fifty events, newest first, with the cursor to the next; an exact action or a prefix."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from privacy_admin.audit import selectors
from privacy_admin.audit.selectors import EventFilters, events_for, resolve_actor, resolve_patron_ref
from tests.factories import make_patron

pytestmark = pytest.mark.django_db


def test_only_a_privacy_officer_reads_the_log(counter_staff, administrator) -> None:
    for actor in (counter_staff, administrator, None):
        with pytest.raises(PermissionDenied):
            events_for(actor, filters=EventFilters())


def test_what_the_officer_typed_is_resolved_to_internal_ids(counter_staff) -> None:
    patron = make_patron()
    assert resolve_actor(counter_staff.username) == counter_staff.pk
    assert resolve_actor("nobody") is None
    assert resolve_patron_ref(f" {patron.card_number} ") == patron.pk
    assert resolve_patron_ref("＃12") == 12  # an erased patron, by internal id (full-width typed)
    assert resolve_patron_ref("") is None
    assert resolve_patron_ref("2199999999") is None


def test_pages_of_fifty_newest_first_with_a_cursor(privacy_officer, record, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    events = record(5, seal=False)
    first = events_for(privacy_officer, filters=EventFilters())
    assert [e.seq for e in first.events] == [e.seq for e in reversed(events)][:3]
    second = events_for(privacy_officer, filters=EventFilters(before_seq=first.next_before_seq))
    assert [e.seq for e in second.events] == [events[1].seq, events[0].seq]
    assert second.next_before_seq is None


def test_an_exact_action_or_a_prefix(privacy_officer, record) -> None:
    record(1, seal=False, action="patron.view")
    record(1, seal=False, action="patron.register")
    record(1, seal=False, action="circulation.lend")
    exact = events_for(privacy_officer, filters=EventFilters(action="patron.view"))
    assert [e.action for e in exact.events] == ["patron.view"]
    prefix = events_for(privacy_officer, filters=EventFilters(action="patron."))
    assert sorted(e.action for e in prefix.events) == ["patron.register", "patron.view"]
    assert set(selectors.distinct_actions()) >= {"patron.view", "patron.register", "circulation.lend"}
