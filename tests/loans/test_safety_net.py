"""The safety net erases every loan or reservation that should no longer exist, and nothing else
(方針 第3(2)(3)(4)): each kind, dry runs and batches, interrupted runs. Its command, its task and the
offline returns it backs up are tested in test_loans_safety_net.py, test_tasks.py and test_offline_returns.py."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from loans import erasure, safety_net
from loans.models import CirculationDailyStat, Item, ItemCirculationStat, Loan, Reservation, SafetyNetRun
from patrons import services as patron_services
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron
from tests.loans.stale_rows import NOW, lend, reserve, stale_returned_loan, stat, today

from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def healthy(central, general_category, patron) -> dict[str, Any]:
    """Records that must survive every run."""
    other = make_patron(registered_branch=central, category=general_category)
    returned_before = make_item(home_branch=central)
    Item.objects.filter(pk=returned_before.pk).update(last_returned_at=NOW() - dt.timedelta(days=30))
    return {
        "loans": [
            lend(patron, make_item(home_branch=central), central),  # never returned before
            lend(other, returned_before, central),  # returned before this loan began
        ],
        "reservations": [
            reserve(patron, make_item(home_branch=central), central),
            reserve(
                other,
                make_item(home_branch=central),
                central,
                status=Reservation.Status.READY,
                hold_until=today(),
            ),
            reserve(other, make_item(home_branch=central), central, status=Reservation.Status.IN_TRANSIT),
        ],
    }


def assert_untouched(healthy: dict[str, Any]) -> None:
    assert Loan.objects.filter(pk__in=[x.pk for x in healthy["loans"]]).count() == len(healthy["loans"])
    assert Reservation.objects.filter(pk__in=[x.pk for x in healthy["reservations"]]).count() == len(
        healthy["reservations"]
    )


# --- each kind ---------------------------------------------------------------------------------


def test_expired_holds_go_through_the_regular_expiry_first(central, patron, healthy) -> None:
    item = make_item(home_branch=central)
    Item.objects.filter(pk=item.pk).update(status=Item.Status.ON_HOLD, current_branch=central)
    expired = reserve(
        patron, item, central, status=Reservation.Status.READY, hold_until=today() - dt.timedelta(days=1)
    )
    result = safety_net.safety_net_run()
    assert not Reservation.objects.filter(pk=expired.pk).exists()
    assert result.routed_expiries == 1 and result.erased[safety_net.EXPIRED] == 0
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE  # routed back to its shelf by loans.services
    assert_untouched(healthy)


def test_a_large_backlog_of_expired_holds_is_swept_set_based(
    central, kita, patron, healthy, monkeypatch
) -> None:
    monkeypatch.setattr(safety_net, "ROUTED_EXPIRY_LIMIT", 0)
    expired = reserve(
        patron,
        make_item(home_branch=central),
        kita,
        status=Reservation.Status.READY,
        hold_until=today() - dt.timedelta(days=2),
    )
    result = safety_net.safety_net_run()
    assert not Reservation.objects.filter(pk=expired.pk).exists()
    assert result.erased[safety_net.EXPIRED] == 1 and result.reservations_erased == 1
    assert stat("reservation_expired", day=today(), branch=kita, category=patron.category) == 1
    assert_untouched(healthy)


def test_a_failing_regular_expiry_does_not_stop_the_net(central, patron, monkeypatch, caplog) -> None:
    from loans import services

    def broken(**kwargs: Any) -> int:
        raise RuntimeError(f"bug mentioning {patron.family_name}")

    monkeypatch.setattr(services, "reservations_expire", broken)
    expired = reserve(
        patron,
        make_item(home_branch=central),
        central,
        status=Reservation.Status.READY,
        hold_until=today() - dt.timedelta(days=1),
    )
    with caplog.at_level(logging.ERROR, logger="loans.safety_net"):
        result = safety_net.safety_net_run()
    assert not Reservation.objects.filter(pk=expired.pk).exists()
    assert result.erased[safety_net.EXPIRED] == 1
    assert "regular expiry failed error=RuntimeError" in caplog.text
    assert patron.family_name not in caplog.text


def test_loans_of_items_that_came_back_are_erased_and_counted_as_returns(
    central, mobile, patron, healthy
) -> None:
    loan = stale_returned_loan(patron, central, at=mobile)
    result = safety_net.safety_net_run()
    assert not Loan.objects.filter(pk=loan.pk).exists()
    assert result.loans_erased == 1 and result.erased[safety_net.RETURNED] == 1
    returned_on = timezone.localdate(Item.objects.get(pk=loan.item_id).last_returned_at)
    assert stat("return", day=returned_on, branch=mobile, category=patron.category) == 1
    # 貸出回数 per item is left to the import (SWEEP_COUNTS_ITEM_LOANS: speed; the gap is this run's count).
    assert not ItemCirculationStat.objects.filter(item_id=loan.item_id).exists()
    assert_untouched(healthy)


@pytest.mark.parametrize("deferred", [True, False])
def test_the_sweep_can_count_item_loans_too(central, kita, patron, monkeypatch, deferred: bool) -> None:
    monkeypatch.setattr(safety_net, "SWEEP_COUNTS_ITEM_LOANS", True)
    if not deferred:
        monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    loans = [stale_returned_loan(patron, central, at=kita) for _ in range(3)]
    ItemCirculationStat.objects.create(item_id=loans[0].item_id, loans=4, reservations=2)
    safety_net.safety_net_run(batch_size=2)
    counts = dict(ItemCirculationStat.objects.values_list("item_id", "loans"))
    assert counts == {loans[0].item_id: 5, loans[1].item_id: 1, loans[2].item_id: 1}
    assert stat("return", branch=kita, category=patron.category) == 3


def test_reservations_of_cancelled_patrons_are_erased_so_the_patron_can_be(
    central, counter_staff, healthy
) -> None:
    leaving = make_patron(registered_branch=central)
    gone = reserve(leaving, make_item(home_branch=central), central)
    patron_services.patron_cancel(actor=counter_staff, patron=leaving, reason="moved")
    assert patron_services.patrons_purge_cancelled() == 0  # the reservation protects the patron
    result = safety_net.safety_net_run()
    assert not Reservation.objects.filter(pk=gone.pk).exists()
    assert result.erased[safety_net.CANCELLED] == 1
    assert stat("reservation_cancelled", day=today(), branch=central) == 1
    assert patron_services.patrons_purge_cancelled() == 1  # 方針 第3(4): now erased promptly
    assert_untouched(healthy)


def test_reservations_of_withdrawn_items_are_erased(central, patron, healthy) -> None:
    item = make_item(home_branch=central)
    gone = reserve(patron, item, central)
    Item.objects.filter(pk=item.pk).update(status=Item.Status.WITHDRAWN)
    result = safety_net.safety_net_run()
    assert not Reservation.objects.filter(pk=gone.pk).exists()
    assert result.erased[safety_net.WITHDRAWN] == 1
    assert Item.objects.filter(pk=item.pk).exists()  # the item itself is not the net's business
    assert_untouched(healthy)


def test_a_healthy_database_is_left_alone(healthy) -> None:
    stats_before = list(CirculationDailyStat.objects.values_list("action", "count"))
    result = safety_net.safety_net_run()
    assert result.total == 0 and result.batches == 0
    assert_untouched(healthy)
    assert list(CirculationDailyStat.objects.values_list("action", "count")) == stats_before
    assert safety_net.safety_net_oldest_overdue_age() == dt.timedelta(0)


# --- dry run, batches, records --------------------------------------------------------------------


def test_dry_run_counts_and_changes_nothing(central, patron, healthy) -> None:
    loans = [stale_returned_loan(patron, central) for _ in range(3)]
    result = safety_net.safety_net_run(dry_run=True)
    assert result.dry_run and result.loans_erased == 3
    assert Loan.objects.filter(pk__in=[x.pk for x in loans]).count() == 3
    assert not CirculationDailyStat.objects.exists()
    run = SafetyNetRun.objects.get()
    assert run.dry_run and run.loans_erased == 3 and run.finished_at is not None
    assert safety_net.safety_net_last_run() is None  # a dry run does not count as the job having run


@pytest.mark.parametrize("statement_rows", [5000, 3])
def test_keyset_batches_cover_every_stale_row_between_healthy_ones(
    central, patron, general_category, monkeypatch, statement_rows: int
) -> None:
    # A batch is one transaction, run as statements of at most _STATEMENT_ROWS rows.
    monkeypatch.setattr(erasure, "_STATEMENT_ROWS", statement_rows)
    other = make_patron(registered_branch=central, category=general_category)
    stale: list[Loan] = []
    kept: list[Loan] = []
    for n in range(25):
        stale.append(stale_returned_loan(patron, central))
        if n % 4 == 0:
            kept.append(lend(other, make_item(home_branch=central), central))
    calls: list[tuple[str, int, int]] = []
    result = safety_net.safety_net_run(batch_size=10, progress=lambda *args: calls.append(args))
    assert calls == [
        (safety_net.RETURNED, 10, 10),
        (safety_net.RETURNED, 10, 20),
        (safety_net.RETURNED, 5, 25),
    ]
    assert result.loans_erased == 25 and result.batches == 3
    assert not Loan.objects.filter(pk__in=[x.pk for x in stale]).exists()
    assert Loan.objects.filter(pk__in=[x.pk for x in kept]).count() == len(kept)
    assert stat("return", category=patron.category) == 25


def test_each_batch_counts_itself_without_a_session_of_its_own(central, kita, patron, monkeypatch) -> None:
    """Behind a transaction-pooling proxy the temporary table cannot span batches (PostgreSQL)."""
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    for _ in range(5):
        stale_returned_loan(patron, central, at=kita)
    result = safety_net.safety_net_run(batch_size=2)
    assert result.loans_erased == 5 and result.batches == 3
    assert stat("return", branch=kita, category=patron.category) == 5


def test_queries_do_not_grow_with_the_number_of_rows(central, patron) -> None:
    def queries_for(n: int) -> int:
        for _ in range(n):
            stale_returned_loan(patron, central)
        with CaptureQueriesContext(connection) as ctx:
            safety_net.safety_net_run(batch_size=1000)
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(40)


def test_run_is_recorded_with_counts_only(central, patron, caplog) -> None:
    loan = stale_returned_loan(patron, central)
    item = Item.objects.get(pk=loan.item_id)
    with caplog.at_level(logging.INFO, logger="loans"):
        result = safety_net.safety_net_run()
    assert result.run_id is not None
    run = SafetyNetRun.objects.get(pk=result.run_id)
    assert not run.dry_run and run.loans_erased == 1 and run.reservations_erased == 0 and run.finished_at
    event = AuditEvent.objects.get(action="circulation.safety_net")
    assert event.patron_id is None and event.target_type == "safety_net" and event.target_id == str(run.pk)
    assert (
        event.detail["loans"] == 1 and event.detail[safety_net.RETURNED] == 1 and not event.detail["dry_run"]
    )
    for secret in (item.barcode, item.title, patron.card_number, patron.family_name, "patron=", "item="):
        assert secret not in caplog.text
    assert "safety net finished" in caplog.text


def test_oldest_age_measures_what_should_already_be_gone(central, counter_staff, patron, monkeypatch) -> None:
    monkeypatch.setattr(safety_net, "ROUTED_EXPIRY_LIMIT", 0)
    now = NOW()
    assert safety_net.safety_net_oldest_overdue_age(now) == dt.timedelta(0)
    stale_returned_loan(patron, central, returned_hours_ago=3)
    age = safety_net.safety_net_oldest_overdue_age(now)
    assert dt.timedelta(hours=2, minutes=59) < age < dt.timedelta(hours=3, minutes=1)
    # (a) a hold that ended yesterday should be gone since midnight
    reserve(
        patron,
        make_item(home_branch=central),
        central,
        status=Reservation.Status.READY,
        hold_until=today() - dt.timedelta(days=1),
    )
    midnight = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    assert safety_net.safety_net_oldest_overdue_age(now) == max(now - midnight, dt.timedelta(hours=3))
    # (c) a cancellation two days ago
    leaving = make_patron(registered_branch=central)
    reserve(leaving, make_item(home_branch=central), central)
    patron_services.patron_cancel(
        actor=counter_staff, patron=leaving, reason="moved", on=today() - dt.timedelta(days=2)
    )
    assert safety_net.safety_net_oldest_overdue_age(now) >= dt.timedelta(days=2)
    safety_net.safety_net_run()
    assert safety_net.safety_net_oldest_overdue_age() == dt.timedelta(0)


# --- interrupted runs -------------------------------------------------------------------------------


class Killed(BaseException):
    """Stands for kill -9: nothing after it runs (not even an except Exception)."""


def test_a_killed_run_has_recorded_its_committed_batches_and_the_next_run_marks_it_interrupted(
    central, patron, login, counter_staff
) -> None:
    for _ in range(5):
        stale_returned_loan(patron, central)
    seen: list[int] = []

    def die_in_the_second_batch(kind: str, in_batch: int, so_far: int) -> None:
        seen.append(in_batch)
        if len(seen) == 2:
            raise Killed

    with pytest.raises(Killed):
        safety_net.safety_net_run(batch_size=2, progress=die_in_the_second_batch)
    run = SafetyNetRun.objects.get()
    assert run.finished_at is None and run.interrupted_at is None
    assert (
        run.erased == {**dict.fromkeys(safety_net.KIND_LABELS, 0), safety_net.RETURNED: 2}
        and run.batches == 1
    )
    assert Loan.objects.count() == 3  # the first batch stays erased; the second rolled back
    batch_events = AuditEvent.objects.filter(action="circulation.safety_net_batch")
    assert [e.detail for e in batch_events] == [{"kind": safety_net.RETURNED, "erased": 2}]
    assert batch_events.get().patron_id is None

    result = safety_net.safety_net_run()
    assert result.interrupted_runs == 1 and result.loans_erased == 3
    run.refresh_from_db()
    assert run.interrupted_at is not None and run.finished_at is None
    # The dashboard shows the interruption only until a run has completed after it.
    assert safety_net.safety_net_last_interrupted() is None
    SafetyNetRun.objects.filter(pk=result.run_id).update(started_at=run.started_at - dt.timedelta(minutes=1))
    page = login(counter_staff).get(reverse("loans:dashboard")).content.decode()
    assert "途中で止まりました（中断）" in page and "貸出記録 2件" in page


def test_a_second_run_while_one_holds_the_lock_does_nothing(central, patron, monkeypatch) -> None:
    from contextlib import contextmanager

    @contextmanager
    def busy():
        yield False

    stale_returned_loan(patron, central)
    monkeypatch.setattr(safety_net, "_single_run", busy)
    result = safety_net.safety_net_run()
    assert result.skipped and not SafetyNetRun.objects.exists() and Loan.objects.count() == 1
