"""loans.services.reservations: create, capture, mark ready, hand over, cancel, expire.

Each refusal is checked to change nothing; each operation to leave one access-log event that names
the patron or the item, never both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from loans import services
from loans.models import (
    CirculationDailyStat,
    Item,
    ItemCirculationStat,
    Notice,
    Reservation,
)
from patrons.models import Patron, PatronStatus
from privacy_admin.audit.models import AuditEvent
from tests.factories import BranchFactory
from tests.loans.factories import make_item
from tests.loans.services.helpers import (
    TODAY,
    assert_never_both,
    give_back,
    lend,
    reserve,
    snapshot,
    unchanged_by,
)

pytestmark = pytest.mark.django_db


# --- reservations ---------------------------------------------------------------------------------


def test_reserve_creates_a_waiting_reservation(staff, patron, item, pickup_counter) -> None:
    reservation = reserve(staff, patron, item, pickup="pickup-east")
    assert (reservation.status, reservation.pickup_branch, reservation.hold_until) == (
        Reservation.Status.WAITING,
        pickup_counter,
        None,
    )
    # 予約回数 is counted when a copy is set aside, in an item transaction (see loans.services).
    assert not ItemCirculationStat.objects.filter(item=item).exists()
    event = AuditEvent.objects.get(action="circulation.reserve")
    assert (event.target_type, event.patron_id) == ("patron", patron.pk)
    assert_never_both()


def test_reserve_refuses_a_second_reservation_of_the_same_item(staff, patron, item) -> None:
    reserve(staff, patron, item)
    messages = unchanged_by(lambda: reserve(staff, patron, item))
    assert messages == {"barcode": ["この資料は既に予約されています。"]}


def test_reserve_refuses_an_item_the_patron_has_on_loan(staff, patron, item) -> None:
    lend(staff, patron, item)
    messages = unchanged_by(lambda: reserve(staff, patron, item))
    assert "貸出中です。予約できません" in messages["barcode"][0]


def test_reserve_refuses_expired_card(staff, patron, item) -> None:
    patron.expires_on = TODAY - dt.timedelta(days=30)
    patron.save()
    messages = unchanged_by(lambda: reserve(staff, patron, item))
    assert "有効期限が切れています" in messages["card_number"][0]


def test_reserve_refuses_cancelled_card(staff, patron, item) -> None:
    patron.status = PatronStatus.CANCELLED
    patron.save()
    messages = unchanged_by(lambda: reserve(staff, patron, item))
    assert "取り消されています" in messages["card_number"][0]


def test_reserve_refuses_beyond_the_reservation_limit(staff, patron, central, settings) -> None:
    settings.LOANS_MAX_RESERVATIONS = 1
    reserve(staff, patron, make_item(home_branch=central))
    second = make_item(home_branch=central)
    messages = unchanged_by(lambda: reserve(staff, patron, second))
    assert messages == {"card_number": ["予約できる点数（1点）に達しています。"]}


def test_reserve_refuses_an_inactive_pickup_place(staff, patron, item) -> None:
    BranchFactory(code="closed", name="閉館中の分館", is_active=False)
    messages = unchanged_by(lambda: reserve(staff, patron, item, pickup="closed"))
    assert messages == {"pickup_branch": ["受取館を一覧から選んでください。"]}


def test_capture_of_item_on_shelf_for_a_reservation_here_makes_it_ready(
    staff, patron, item, django_capture_on_commit_callbacks
) -> None:
    reserve(staff, patron, item)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reservation_capture(
            actor=staff, barcode=item.barcode, branch_code="central", on=TODAY
        )
    assert (result.route, result.changed) == (services.Route.HOLD_SHELF, True)
    assert Reservation.objects.get().status == Reservation.Status.READY
    assert Notice.objects.filter(patron=patron).count() == 1
    event = AuditEvent.objects.get(action="circulation.capture")
    assert (event.target_type, event.target_id, event.patron_id) == ("item", str(item.pk), None)
    assert_never_both()


def test_capture_of_item_for_a_reservation_elsewhere_sends_it(staff, patron, item, kita) -> None:
    reserve(staff, patron, item, pickup="kita")
    result = services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    assert result.instruction == "北分館へ回送"
    assert Reservation.objects.get().status == Reservation.Status.IN_TRANSIT
    item.refresh_from_db()
    assert item.status == Item.Status.IN_TRANSIT


def test_capture_on_arrival_at_the_pickup_place_makes_it_ready(staff, patron, item, kita) -> None:
    reserve(staff, patron, item, pickup="kita")
    services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    result = services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="kita", on=TODAY)
    assert result.route == services.Route.HOLD_SHELF
    reservation = Reservation.objects.get()
    assert (reservation.status, reservation.ready_on) == (Reservation.Status.READY, TODAY)
    item.refresh_from_db()
    assert (item.status, item.current_branch) == (Item.Status.ON_HOLD, kita)


def test_capture_of_item_in_transit_elsewhere_changes_nothing(
    staff, patron, item, kita, pickup_counter
) -> None:
    reserve(staff, patron, item, pickup="kita")
    services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    events = AuditEvent.objects.count()
    result = services.reservation_capture(
        actor=staff, barcode=item.barcode, branch_code="pickup-east", on=TODAY
    )
    assert (result.changed, result.instruction) == (False, "北分館へ回送")
    assert Reservation.objects.get().status == Reservation.Status.IN_TRANSIT
    assert AuditEvent.objects.count() == events


def test_capture_without_reservation_changes_nothing_and_logs_nothing(staff, item) -> None:
    before = snapshot()
    result = services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    assert (result.changed, result.route, result.note) == (
        False,
        services.Route.SHELF,
        "この資料に予約はありません。",
    )
    assert snapshot() == before


def test_capture_of_item_in_transit_home_puts_it_back_on_the_shelf(staff, patron, item, kita) -> None:
    lend(staff, patron, item)
    give_back(staff, item, branch="kita")
    result = services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    assert result.route == services.Route.SHELF and result.changed
    item.refresh_from_db()
    assert (item.status, item.current_branch.code) == (Item.Status.AVAILABLE, "central")


def test_capture_of_item_on_loan_is_refused(staff, patron, item) -> None:
    lend(staff, patron, item)
    messages = unchanged_by(
        lambda: services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central")
    )
    assert "貸出中です" in messages["barcode"][0]


def test_mark_ready_puts_an_arrived_reservation_on_the_hold_shelf(
    staff, patron, item, kita, django_capture_on_commit_callbacks
) -> None:
    reservation = reserve(staff, patron, item, pickup="kita")
    services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        services.reservation_mark_ready(actor=staff, reservation=reservation, branch_code="kita", on=TODAY)
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.READY
    assert Notice.objects.count() == 1
    event = AuditEvent.objects.get(action="circulation.reservation_ready")
    assert (event.target_type, event.patron_id) == ("item", None)


def test_mark_ready_at_the_wrong_place_is_refused(staff, patron, item, kita) -> None:
    reservation = reserve(staff, patron, item, pickup="kita")
    messages = unchanged_by(
        lambda: services.reservation_mark_ready(actor=staff, reservation=reservation, branch_code="central")
    )
    assert messages == {"branch": ["この予約の受取館は北分館です。北分館へ回送してください。"]}


def test_mark_ready_twice_is_refused(staff, patron, item) -> None:
    reservation = reserve(staff, patron, item)
    services.reservation_mark_ready(actor=staff, reservation=reservation, on=TODAY)
    messages = unchanged_by(lambda: services.reservation_mark_ready(actor=staff, reservation=reservation))
    assert messages == {"__all__": ["この予約資料は既に取置中です。"]}


def test_mark_ready_refuses_a_reservation_behind_others(staff, patron, other, item) -> None:
    reserve(staff, other, item, on=TODAY - dt.timedelta(days=2))
    reservation = reserve(staff, patron, item)
    unchanged_by(lambda: services.reservation_mark_ready(actor=staff, reservation=reservation))


def _ready(staff: Any, patron: Patron, item: Item, pickup: str = "central") -> Reservation:
    reservation = reserve(staff, patron, item, pickup=pickup)
    services.reservation_mark_ready(actor=staff, reservation=reservation, on=TODAY)
    reservation.refresh_from_db()
    return reservation


def test_hand_over_lends_and_erases_the_reservation(staff, patron, item) -> None:
    reservation = _ready(staff, patron, item)
    loan = services.reservation_lend(actor=staff, reservation=reservation, branch_code="central", on=TODAY)
    assert (loan.patron, loan.item) == (patron, item)
    assert not Reservation.objects.exists()
    item.refresh_from_db()
    assert item.status == Item.Status.ON_LOAN
    event = AuditEvent.objects.get(action="circulation.reservation_lend")
    assert (event.target_type, event.patron_id, event.detail) == ("patron", patron.pk, {})
    assert_never_both()


def test_hand_over_of_a_waiting_reservation_is_refused(staff, patron, item) -> None:
    reservation = reserve(staff, patron, item)
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.reservation_lend(actor=staff, reservation=reservation, branch_code="central")
    assert services.is_conflict(info.value)
    assert "まだ取置中ではありません" in info.value.messages[0]
    assert snapshot() == before


def test_hand_over_at_another_place_is_refused(staff, patron, item, kita) -> None:
    reservation = _ready(staff, patron, item)
    messages = unchanged_by(
        lambda: services.reservation_lend(actor=staff, reservation=reservation, branch_code="kita")
    )
    assert messages == {"branch": ["この予約資料の受取館は中央図書館です。"]}


def test_hand_over_to_an_expired_card_is_refused(staff, patron, item) -> None:
    reservation = _ready(staff, patron, item)
    Patron.objects.filter(pk=patron.pk).update(expires_on=TODAY - dt.timedelta(days=1))
    messages = unchanged_by(
        lambda: services.reservation_lend(
            actor=staff, reservation=reservation, branch_code="central", on=TODAY
        )
    )
    assert "有効期限が切れています" in messages["card_number"][0]


def test_cancel_deletes_the_reservation(staff, patron, item) -> None:
    reservation = reserve(staff, patron, item)
    assert services.reservation_cancel(actor=staff, reservation=reservation, on=TODAY) is None
    assert not Reservation.objects.exists()
    assert CirculationDailyStat.objects.get(action="reservation_cancelled").count == 1
    event = AuditEvent.objects.get(action="circulation.reservation_cancel")
    assert (event.target_type, event.patron_id) == ("patron", patron.pk)


def test_cancel_of_a_held_copy_leaves_it_for_the_next_scan(
    staff, patron, other, item, django_capture_on_commit_callbacks
) -> None:
    reservation = _ready(staff, patron, item)
    reserve(staff, other, item)
    routing = services.reservation_cancel(actor=staff, reservation=reservation, on=TODAY)
    assert routing is not None and routing.route == services.Route.RESCAN
    assert routing.instruction == "取置棚から出して「予約資料の確保・到着」で読み取ってください"
    item.refresh_from_db()
    assert item.status == Item.Status.ON_HOLD
    assert Reservation.objects.get().status == Reservation.Status.WAITING
    assert not Notice.objects.filter(patron=other).exists()
    # The scan hands it to the next in line.
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reservation_capture(
            actor=staff, barcode=item.barcode, branch_code="central", on=TODAY
        )
    assert result.route == services.Route.HOLD_SHELF
    nxt = Reservation.objects.get()
    assert (nxt.patron, nxt.status) == (other, Reservation.Status.READY)
    assert Notice.objects.filter(patron=other).count() == 1


def test_cancel_of_a_held_copy_writes_no_item_event(staff, patron, other, item) -> None:
    reservation = _ready(staff, patron, item)
    reserve(staff, other, item)
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # seq has gaps
    services.reservation_cancel(actor=staff, reservation=reservation, on=TODAY)
    new = list(AuditEvent.objects.filter(seq__gt=before))
    assert [(e.action, e.target_type) for e in new] == [("circulation.reservation_cancel", "patron")]


def test_a_cancelled_hold_with_nobody_waiting_goes_back_to_the_shelf_on_its_scan(staff, patron, item) -> None:
    reservation = _ready(staff, patron, item)
    services.reservation_cancel(actor=staff, reservation=reservation, on=TODAY)
    result = services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    assert (result.route, result.instruction, result.changed) == (services.Route.SHELF, "棚へ", True)
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE


def test_cancel_of_a_copy_in_transit_says_to_scan_it_on_arrival(staff, patron, item, kita) -> None:
    reservation = reserve(staff, patron, item, pickup="kita")
    services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="central", on=TODAY)
    routing = services.reservation_cancel(actor=staff, reservation=reservation, on=TODAY)
    assert routing is not None
    assert routing.instruction == "回送中の資料です。届いたら「予約資料の確保・到着」で読み取ってください"
    result = services.reservation_capture(actor=staff, barcode=item.barcode, branch_code="kita", on=TODAY)
    assert result.instruction == "中央図書館へ回送"


def test_reservations_are_counted_when_a_copy_is_set_aside(staff, patron, other, item) -> None:
    lend(staff, patron, item)
    reserve(staff, other, item)
    assert not ItemCirculationStat.objects.filter(item=item).exists()
    give_back(staff, item)
    stat = ItemCirculationStat.objects.get(item=item)
    assert (stat.loans, stat.reservations) == (1, 1)


def test_cancel_twice_is_refused(staff, patron, item) -> None:
    reservation = reserve(staff, patron, item)
    services.reservation_cancel(actor=staff, reservation=reservation)
    messages = unchanged_by(lambda: services.reservation_cancel(actor=staff, reservation=reservation))
    assert "既にありません" in messages["__all__"][0]


def test_expire_deletes_holds_past_their_date_only(staff, patron, other, central, settings) -> None:
    settings.LOANS_HOLD_DAYS = 7
    old, fresh = make_item(home_branch=central), make_item(home_branch=central)
    reservation = reserve(staff, patron, old)
    services.reservation_mark_ready(actor=staff, reservation=reservation, on=TODAY - dt.timedelta(days=8))
    reservation = reserve(staff, other, fresh)
    services.reservation_mark_ready(actor=staff, reservation=reservation, on=TODAY - dt.timedelta(days=7))
    assert services.reservations_expire(on=TODAY) == 1
    assert list(Reservation.objects.values_list("patron_id", flat=True)) == [other.pk]
    old.refresh_from_db()
    assert old.status == Item.Status.AVAILABLE
    assert services.reservations_expire(on=TODAY) == 0
    event = AuditEvent.objects.get(action="circulation.reservation_expire")
    assert (event.target_type, event.target_id, event.patron_id, event.actor) == (
        "item",
        str(old.pk),
        None,
        None,
    )
    assert CirculationDailyStat.objects.get(action="reservation_expired").count == 1


def test_expired_hold_goes_to_the_next_in_line(staff, patron, other, item) -> None:
    reservation = reserve(staff, patron, item)
    services.reservation_mark_ready(actor=staff, reservation=reservation, on=TODAY - dt.timedelta(days=10))
    reserve(staff, other, item)
    services.reservations_expire(on=TODAY)
    nxt = Reservation.objects.get()
    assert (nxt.patron, nxt.status, nxt.ready_on) == (other, Reservation.Status.READY, TODAY)
