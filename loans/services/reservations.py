"""Reservations: create, capture, mark ready, hand over (lend), cancel, expire (方針 第3(3))."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from patrons.models import Patron
from privacy_admin.core.actor import Actor
from privacy_admin.core.dates import today

from ..erasure import (
    CANCELLED_RESERVATION,
    EXPIRED_RESERVATION,
    erase,
)
from ..models import (
    CirculationAction,
    Item,
    Loan,
    Reservation,
)
from ..statistics import count_daily as _count_daily
from ..statistics import count_item as _count_item
from ._common import (
    HELD,
    Route,
    Routing,
    _audit_item_event,
    _audit_patron_event,
    _branch,
    _check_patron_scope,
    _Errors,
    _locked_item,
    _locked_patron,
    _make_ready,
    _now_for,
    _patron_may_borrow,
    _refuse,
    _route_next,
    _unlink_refused,
    normalize_barcode,
    normalize_card_number,
)
from .lending import _lend

logger = logging.getLogger(__package__)  # "loans.services", as before the split


@dataclass(frozen=True)
class CaptureResult(Routing):
    changed: bool = True
    note: str = ""


def reservation_create(
    *, actor: Actor, card_number: str, barcode: str, pickup_branch_code: str, on: dt.date | None = None
) -> Reservation:
    """Reserve an item for pickup at any active branch or pickup counter (予約, 方針 第3(3)).

    Refused, changing nothing: an unknown, cancelled or expired card; an unknown or withdrawn item;
    a second reservation of the same item; an item the patron has on loan; the patron's reservation
    limit (LOANS_MAX_RESERVATIONS). The reservation waits until the item is captured for it.
    """
    on = on or today()
    card = normalize_card_number(card_number)
    code = normalize_barcode(barcode)
    _check_patron_scope(actor, card)
    with transaction.atomic():
        errors = _Errors()
        pickup = _branch(errors, "pickup_branch", pickup_branch_code, label=_("受取館"))
        patron = _locked_patron(errors, card)
        if patron is not None:
            _patron_may_borrow(errors, patron, on=on, what=_("予約"))
        # Read, not locked: a lock would leave this transaction's id on the item row (see ``loans.services``).
        item = _locked_item(errors, code, lock=False)
        errors.raise_if_any()
        assert patron is not None and item is not None and pickup is not None
        if Reservation.objects.filter(item_id=item.pk, patron_id=patron.pk).exists():
            raise _refuse("barcode", _("この資料は既に予約されています。"), conflict=True)
        if Loan.objects.filter(item_id=item.pk, patron_id=patron.pk).exists():
            raise _refuse(
                "barcode", _("この資料は現在この利用者に貸出中です。予約できません。"), conflict=True
            )
        if Reservation.objects.filter(patron_id=patron.pk).count() >= settings.LOANS_MAX_RESERVATIONS:
            raise _refuse(
                "card_number",
                _("予約できる点数（%(limit)d点）に達しています。")
                % {"limit": settings.LOANS_MAX_RESERVATIONS},
                conflict=True,
            )
        try:
            with transaction.atomic():
                reservation = Reservation.objects.create(
                    item=item, patron=patron, pickup_branch=pickup, reserved_at=_now_for(on)
                )
        except IntegrityError:
            raise _refuse("barcode", _("この資料は既に予約されています。"), conflict=True) from None
        _count_daily(
            day=on, branch_id=pickup.pk, category_id=patron.category_id, actions=[CirculationAction.RESERVE]
        )
        _audit_patron_event(actor=actor, action="circulation.reserve", patron_id=patron.pk)
    return reservation


def _relock(reservation: Reservation) -> tuple[Item, Reservation | None]:
    """Lock the item first, then re-read the reservation (the lock order every service keeps)."""
    item = Item.objects.select_for_update(of=("self",)).get(pk=reservation.item_id)
    current = (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("patron", "pickup_branch", "patron__category")
        .filter(pk=reservation.pk)
        .first()
    )
    return item, current


def _gone() -> ValidationError:
    return _refuse(
        "__all__", _("この予約は既にありません（受渡し・取消・期限切れのいずれか）。"), conflict=True
    )


def reservation_mark_ready(
    *, actor: Actor, reservation: Reservation, branch_code: str | None = None, on: dt.date | None = None
) -> Reservation:
    """The reserved item has reached its pickup place: put it on the hold shelf until
    today + LOANS_HOLD_DAYS and queue the notice. An in-transit reservation becomes ready; so does a
    waiting one that is first in line for an item on the shelf. The access-log event names the item.
    """
    on = on or today()
    with transaction.atomic():
        item, current = _relock(reservation)
        if current is None:
            raise _gone()
        pickup = current.pickup_branch
        if branch_code is not None and branch_code != pickup.code:
            raise _refuse(
                "branch",
                _("この予約の受取館は%(branch)sです。%(branch)sへ回送してください。")
                % {"branch": pickup.name},
                conflict=True,
            )
        if current.status == Reservation.Status.READY:
            raise _refuse("__all__", _("この予約資料は既に取置中です。"), conflict=True)
        if current.status == Reservation.Status.WAITING:
            ahead = (
                Reservation.objects.filter(item_id=item.pk)
                .exclude(pk=current.pk)
                .filter(reserved_at__lt=current.reserved_at, status=Reservation.Status.WAITING)
                .exists()
            )
            held = Reservation.objects.filter(item_id=item.pk, status__in=HELD).exists()
            if item.status not in (Item.Status.AVAILABLE, Item.Status.IN_TRANSIT) or held or ahead:
                raise _refuse(
                    "__all__",
                    _(
                        "この予約資料はまだ確保できません（貸出中・ほかの予約のため取置中・順番待ちのいずれか）。"
                    ),
                    conflict=True,
                )
        if current.status == Reservation.Status.WAITING:
            _count_item(item_id=item.pk, reservations=1)
        _make_ready(current, on=on)
        item.status = Item.Status.ON_HOLD
        item.current_branch = pickup
        item.save(update_fields=["status", "current_branch"])
        _audit_item_event(actor=actor, action="circulation.reservation_ready", item_id=item.pk, branch=pickup)
    reservation.status = current.status
    reservation.ready_on = current.ready_on
    reservation.hold_until = current.hold_until
    return current


def reservation_capture(
    *, actor: Actor, barcode: str, branch_code: str, on: dt.date | None = None
) -> CaptureResult:
    """A counter scan of an item that may be wanted by a reservation (予約資料の確保・到着).

    An item on the shelf with a waiting reservation is captured for the oldest one: ready here if it
    is to be picked up here (notice queued), otherwise sent on. An in-transit item scanned at its
    pickup place becomes ready; at its home branch with no reservation, it goes back on the shelf.
    Scans that change nothing say so and write nothing. The access-log event names the item only.
    """
    on = on or today()
    code = normalize_barcode(barcode)
    with transaction.atomic():
        errors = _Errors()
        here = _branch(errors, "branch", branch_code, label=_("処理館"))
        item = _locked_item(errors, code)
        errors.raise_if_any()
        assert item is not None and here is not None
        if item.status == Item.Status.ON_LOAN:
            raise _refuse("barcode", _("この資料は貸出中です。先に返却処理をしてください。"), conflict=True)
        held = (
            Reservation.objects.select_related("patron", "pickup_branch")
            .filter(item_id=item.pk, status__in=HELD)
            .first()
        )
        if held is not None and held.status == Reservation.Status.READY:
            pickup = held.pickup_branch
            if pickup.pk == here.pk:
                return CaptureResult(
                    item, Route.HOLD_SHELF, pickup, changed=False, note=_("取置中の資料です。")
                )
            return CaptureResult(
                item,
                Route.TRANSIT,
                pickup,
                changed=False,
                note=_("%(branch)sで取置中の資料です。") % {"branch": pickup.name},
            )
        if held is not None:  # in transit to its pickup place
            pickup = held.pickup_branch
            if pickup.pk != here.pk:
                if item.current_branch_id != here.pk:
                    Item.objects.filter(pk=item.pk).update(current_branch=here)
                return CaptureResult(
                    item, Route.TRANSIT, pickup, changed=False, note=_("回送中の予約資料です。")
                )
            _make_ready(held, on=on)
            item.status = Item.Status.ON_HOLD
            item.current_branch = here
            item.save(update_fields=["status", "current_branch"])
            routing: Routing = Routing(item, Route.HOLD_SHELF, here)
        else:
            was = (item.status, item.current_branch_id)
            routing = _route_next(item, here=here, on=on)
            if routing.route == Route.SHELF and (item.status, item.current_branch_id) == was:
                return CaptureResult(
                    item, Route.SHELF, here, changed=False, note=_("この資料に予約はありません。")
                )
            item.save(update_fields=["status", "current_branch"])
        _audit_item_event(
            actor=actor,
            action="circulation.capture",
            item_id=item.pk,
            branch=here,
            detail={"route": routing.route},
        )
    return CaptureResult(item, routing.route, routing.destination)


def reservation_lend(
    *, actor: Actor, reservation: Reservation, branch_code: str, on: dt.date | None = None
) -> Loan:
    """Hand a ready reservation over (受渡し): lend the item and delete the reservation in the same
    transaction (方針 第3(3)). Only a reservation ready at this pickup place, for a patron who may
    borrow (active, not expired, under the loan limit). The access-log event names the patron only.
    """
    on = on or today()
    try:
        return _reservation_lend(actor=actor, reservation=reservation, branch_code=branch_code, on=on)
    except ValidationError:
        # Refused after the patron and the item were locked together (see _unlink_refused).
        _unlink_refused(reservation.item_id)
        raise


def _reservation_lend(*, actor: Actor, reservation: Reservation, branch_code: str, on: dt.date) -> Loan:
    with transaction.atomic():
        errors = _Errors()
        branch = _branch(errors, "branch", branch_code, label=_("受渡し館"))
        errors.raise_if_any()
        assert branch is not None
        # Lock order: patron, item, reservation.
        Patron.objects.select_for_update().filter(pk=reservation.patron_id).exists()
        item, current = _relock(reservation)
        if current is None:
            raise _gone()
        if current.status != Reservation.Status.READY:
            raise _refuse(
                "__all__",
                _("この予約資料はまだ取置中ではありません（%(status)s）。")
                % {"status": current.get_status_display()},
                conflict=True,
            )
        if current.pickup_branch_id != branch.pk:
            raise _refuse(
                "branch",
                _("この予約資料の受取館は%(branch)sです。") % {"branch": current.pickup_branch.name},
                conflict=True,
            )
        patron = current.patron
        _patron_may_borrow(errors, patron, on=on, what=_("受渡し"))
        errors.raise_if_any()
        if Loan.objects.filter(patron_id=patron.pk).count() >= settings.LOANS_MAX_PER_PATRON:
            raise _refuse(
                "card_number",
                _("貸出できる点数（%(limit)d点）に達しています。返却後に貸し出してください。")
                % {"limit": settings.LOANS_MAX_PER_PATRON},
                conflict=True,
            )
        if item.status == Item.Status.ON_LOAN:
            raise _refuse("barcode", _("この資料は貸出中です。先に返却処理をしてください。"), conflict=True)
        return _lend(
            actor=actor,
            patron=patron,
            item=item,
            branch=branch,
            on=on,
            own=current,
            action="circulation.reservation_lend",
        )


def _release(item: Item, reservation: Reservation, *, on: dt.date) -> Routing | None:
    """After a held reservation ends without a loan, the item goes to the next one or home."""
    if reservation.status not in HELD or item.status == Item.Status.ON_LOAN:
        return None
    here = item.current_branch or reservation.pickup_branch
    if reservation.status == Reservation.Status.IN_TRANSIT and item.status == Item.Status.IN_TRANSIT:
        # Still travelling: the next reservation is held for it, and the scan on arrival decides.
        nxt = (
            Reservation.objects.filter(item_id=item.pk, status=Reservation.Status.WAITING)
            .select_related("pickup_branch")
            .order_by("reserved_at", "pk")
            .first()
        )
        if nxt is not None:
            nxt.status = Reservation.Status.IN_TRANSIT
            nxt.save(update_fields=["status"])
            return Routing(item, Route.TRANSIT, nxt.pickup_branch)
        return Routing(item, Route.TRANSIT, item.home_branch)
    routing = _route_next(item, here=here, on=on)
    item.save(update_fields=["status", "current_branch"])
    return routing


def reservation_cancel(
    *, actor: Actor, reservation: Reservation, on: dt.date | None = None
) -> Routing | None:
    """Cancel a reservation: it is deleted at once (方針 第3(3)).

    A copy already set aside (in transit or on the hold shelf) stays where it is: the answer
    (``Route.RESCAN``) tells the counter to scan it at 「予約資料の確保・到着」, which hands it to the
    next waiting reservation or sends it back. Moving it here would write the item row in the
    transaction whose access-log event names the patron (see the ``loans.services`` docstring). Returns None
    when nothing was set aside.
    """
    on = on or today()
    with transaction.atomic():
        Patron.objects.select_for_update().filter(pk=reservation.patron_id).exists()
        current = (
            Reservation.objects.select_for_update(of=("self",))
            .select_related("patron", "item", "pickup_branch")
            .filter(pk=reservation.pk)
            .first()
        )
        if current is None:
            raise _gone()
        erase(
            CANCELLED_RESERVATION,
            pk=current.pk,
            day=on,
            branch_id=current.pickup_branch_id,
            category_id=current.patron.category_id,
        )
        _audit_patron_event(actor=actor, action="circulation.reservation_cancel", patron_id=current.patron_id)
    if current.status in HELD and current.item.status in (Item.Status.ON_HOLD, Item.Status.IN_TRANSIT):
        return Routing(current.item, Route.RESCAN, current.pickup_branch)
    return None


def reservations_expire(*, on: dt.date | None = None) -> int:
    """Delete ready reservations whose hold ended before ``on`` (方針 第3(3)); each item goes to the
    next waiting reservation or home. One transaction per item; idempotent. Returns the number deleted.
    The safety net (loans.safety_net) is a second net behind this job.
    """
    on = on or today()
    expired = list(
        Reservation.objects.filter(status=Reservation.Status.READY, hold_until__lt=on)
        .order_by("pk")
        .values_list("pk", "item_id")
    )
    deleted = 0
    for pk, item_id in expired:
        with transaction.atomic():
            item = Item.objects.select_for_update(of=("self",)).get(pk=item_id)
            current = (
                Reservation.objects.select_for_update(of=("self",))
                .select_related("patron", "pickup_branch")
                .filter(pk=pk, status=Reservation.Status.READY, hold_until__lt=on)
                .first()
            )
            if current is None:
                continue
            erase(
                EXPIRED_RESERVATION,
                pk=current.pk,
                day=on,
                branch_id=current.pickup_branch_id,
                category_id=current.patron.category_id,
            )
            routing = _release(item, current, on=on)
            _audit_item_event(
                actor=None,
                action="circulation.reservation_expire",
                item_id=item.pk,
                branch=current.pickup_branch,
                detail={"route": routing.route if routing else ""},
            )
            deleted += 1
    logger.info("reservations expired: count=%d", deleted)
    return deleted
