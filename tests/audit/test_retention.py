from __future__ import annotations

import datetime as dt

import pytest

from privacy_admin.audit.context import get_context
from privacy_admin.audit.models import AuditEvent, AuditSeal, Outcome
from privacy_admin.audit.retention import (
    AuditChainBrokenError,
    audit_count_expired,
    audit_purge_expired,
    retention_cutoff,
)
from privacy_admin.audit.sealer import audit_seal_committed
from privacy_admin.audit.tasks import purge_expired_events
from privacy_admin.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

JST = dt.timezone(dt.timedelta(hours=9))
# The database's trigger compares with the real clock, so the purge's "now" is the real one too.
NOW = dt.datetime.now(JST).replace(microsecond=0)
CUTOFF = retention_cutoff(NOW, 5)


@pytest.mark.parametrize(
    ("now", "years", "cutoff"),
    [
        (dt.datetime(2031, 4, 1, 3, 40, tzinfo=JST), 5, dt.datetime(2026, 4, 1, 3, 40, tzinfo=JST)),
        (dt.datetime(2028, 2, 29, 12, 0, tzinfo=JST), 5, dt.datetime(2023, 2, 28, 12, 0, tzinfo=JST)),
        (dt.datetime(2028, 2, 29, 12, 0, tzinfo=JST), 4, dt.datetime(2024, 2, 29, 12, 0, tzinfo=JST)),
        # 2026-12-31 20:00 UTC is already 2027-01-01 in Tokyo: calendar years count in Tokyo.
        (dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC), 1, dt.datetime(2026, 1, 1, 5, 0, tzinfo=JST)),
    ],
)
def test_cutoff_counts_calendar_years_in_tokyo(now: dt.datetime, years: int, cutoff: dt.datetime) -> None:
    assert retention_cutoff(now, years) == cutoff


def _events_at(clock, record, *whens: dt.datetime) -> list[AuditEvent]:
    events = []
    for when in whens:
        clock.set(when)
        events.extend(record(1))
    clock.set(NOW)
    return events


def _old(days: int) -> dt.datetime:
    """``days`` days before the five-year cutoff of NOW (negative: after it)."""
    return CUTOFF - dt.timedelta(days=days)


def _verified() -> bool:
    audit_seal_committed()
    result = verify_chain()
    assert result.ok, result.problem
    return True


def test_purge_deletes_expired_events_and_records_itself_in_the_chain(clock, record) -> None:
    events = _events_at(clock, record, _old(400), _old(30), _old(-1), _old(-30))
    through_hash = AuditSeal.objects.get(seq=events[1].seq).hash
    assert audit_purge_expired(now=NOW) == 2
    remaining = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in remaining[:2]] == [events[2].seq, events[3].seq]
    assert not AuditSeal.objects.filter(seq__lte=events[1].seq).exists()
    purge = remaining[-1]
    assert (purge.action, purge.role, purge.outcome) == ("audit.purge", "system", Outcome.SUCCESS)
    assert purge.detail["count"] == 2
    assert (purge.detail["through_seq"], purge.detail["through_hash"]) == (events[1].seq, through_hash)
    assert _verified()


def test_event_exactly_at_the_cutoff_is_kept(clock, record) -> None:
    _events_at(clock, record, _old(1), _old(0))
    assert audit_purge_expired(now=NOW) == 1


def test_purge_is_idempotent(clock, record) -> None:
    _events_at(clock, record, _old(10), _old(-10))
    assert audit_purge_expired(now=NOW) == 1
    events_after_first = AuditEvent.objects.count()
    assert audit_purge_expired(now=NOW) == 0
    assert AuditEvent.objects.count() == events_after_first
    assert _verified()


def test_nothing_expired_deletes_and_records_nothing(clock, record) -> None:
    _events_at(clock, record, _old(-10), _old(-20))
    assert audit_purge_expired(now=NOW) == 0
    assert not AuditEvent.objects.filter(action="audit.purge").exists()


def test_purge_works_in_batches_each_recorded_in_the_chain(clock, record) -> None:
    _events_at(clock, record, *[_old(100 - i) for i in range(7)], _old(-5))
    assert audit_purge_expired(now=NOW, batch_size=2) == 7
    purges = list(AuditEvent.objects.filter(action="audit.purge").order_by("seq"))
    assert [p.detail["count"] for p in purges] == [2, 2, 2, 1]
    assert _verified()


def test_purge_with_a_batch_that_ends_exactly_on_the_last_expired_event(clock, record) -> None:
    _events_at(clock, record, _old(9), _old(8), _old(7), _old(6))
    assert audit_purge_expired(now=NOW, batch_size=2) == 4
    assert [p.detail["count"] for p in AuditEvent.objects.filter(action="audit.purge")] == [2, 2]
    assert _verified()


def test_purge_only_removes_a_contiguous_prefix(clock, record) -> None:
    # A server whose clock stepped back wrote an "older" event after a newer one: it stays, no hole.
    events = _events_at(clock, record, _old(50), _old(-1), _old(40))
    assert audit_count_expired(now=NOW) == 1
    assert audit_purge_expired(now=NOW) == 1
    assert AuditEvent.objects.filter(seq=events[2].seq).exists()
    assert _verified()


def test_retention_years_is_a_setting(clock, record, settings) -> None:
    settings.AUDIT_RETENTION_YEARS = 7
    _events_at(clock, record, _old(600), _old(30))
    assert audit_purge_expired(now=NOW) == 0
    settings.AUDIT_RETENTION_YEARS = 5
    assert audit_purge_expired(now=NOW) == 2


def test_purge_refuses_to_delete_across_a_broken_chain(clock, record, tamper) -> None:
    events = _events_at(clock, record, _old(50), _old(40), _old(30))
    with tamper():
        AuditEvent.objects.filter(seq=events[1].seq).update(action="patron.search")
    with pytest.raises(AuditChainBrokenError, match=f"event {events[1].seq}"):
        audit_purge_expired(now=NOW)
    assert AuditEvent.objects.filter(seq__in=[e.seq for e in events]).count() == 3
    failure = AuditEvent.objects.get(action="audit.purge")
    assert failure.outcome == Outcome.FAILURE


def test_dry_run_count_deletes_nothing(clock, record) -> None:
    _events_at(clock, record, _old(50), _old(40), _old(-1))
    assert audit_count_expired(now=NOW, batch_size=1) == 2
    assert AuditEvent.objects.count() == 3


def test_nightly_task_purges_as_the_system(clock, record, monkeypatch) -> None:
    _events_at(clock, record, dt.datetime(2001, 1, 1, tzinfo=JST))
    channels = []

    def fake_purge(**kwargs: object) -> int:
        channels.append(get_context().channel)
        return 0

    monkeypatch.setattr("privacy_admin.audit.tasks.audit_purge_expired", fake_purge)
    purge_expired_events.delay()
    assert channels == ["task"]


def test_nightly_task_deletes_events_older_than_the_retention(clock, record) -> None:
    _events_at(clock, record, dt.datetime(2001, 1, 1, tzinfo=JST))
    purge_expired_events()
    assert AuditEvent.objects.get().action == "audit.purge"


def test_unsealed_events_are_never_purged(clock, record) -> None:
    _events_at(clock, record, _old(50))
    clock.set(_old(40))
    record(1, seal=False)
    assert audit_purge_expired(now=NOW) == 1
    assert AuditEvent.objects.filter(action="patron.view").count() == 1
