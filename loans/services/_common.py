"""Shared pieces of the circulation services: input shapes, refusals, lookups inside the caller's
transaction, access-log events and routing an item to its next place (see ``loans.services``)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from patrons.models import Branch, Patron, PatronStatus
from patrons.selectors import get_patron_for
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.errors import FieldErrors
from privacy_admin.core.scope import scope_for

from ..models import (
    Item,
    Notice,
    Reservation,
)
from ..notices import notice_queue
from ..statistics import count_item as _count_item

CONFLICT = "conflict"

_BARCODE = re.compile(r"^[0-9A-Za-z-]{1,20}$")
_CARD = re.compile(r"^[0-9]{4,16}$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

HELD = (Reservation.Status.IN_TRANSIT, Reservation.Status.READY)


# --- input shapes -------------------------------------------------------------------------------


def normalize_card_number(raw: object) -> str:
    """Full-width digits, spaces and hyphens from a keyboard or an IME become the stored form."""
    if not isinstance(raw, str):
        return ""
    return unicodedata.normalize("NFKC", raw).replace("-", "").replace(" ", "").strip()


def normalize_barcode(raw: object) -> str:
    if not isinstance(raw, str):
        return ""
    return unicodedata.normalize("NFKC", raw).strip()


def is_barcode_shape(value: str) -> bool:
    return bool(_BARCODE.match(value))


def is_card_shape(value: str) -> bool:
    return bool(_CARD.match(value))


def _Errors() -> FieldErrors:
    # Every refusal here is "invalid" unless it says CONFLICT (the API answers 409 then).
    return FieldErrors(code="invalid")


def _refuse(key: str, message: str, *, conflict: bool = False) -> ValidationError:
    return ValidationError({key: [ValidationError(message, code=CONFLICT if conflict else "invalid")]})


def is_conflict(exc: ValidationError) -> bool:
    """True when a refusal is about the state of an item or reservation (the API answers 409)."""
    errors: Iterable[ValidationError]
    if hasattr(exc, "error_dict"):
        errors = [e for errs in exc.error_dict.values() for e in errs]
    else:
        errors = exc.error_list
    return any(getattr(e, "code", None) == CONFLICT for e in errors)


# --- lookups (inside the caller's transaction) ----------------------------------------------------


def _branch(errors: FieldErrors, key: str, code: str, *, label: str) -> Branch | None:
    branch = Branch.objects.filter(code=code, is_active=True).first() if _CODE.match(code or "") else None
    if branch is None:
        errors.add(key, _("%(label)sを一覧から選んでください。") % {"label": label})
    return branch


def _check_patron_scope(actor: Actor, card_number: str) -> None:
    """A restricted actor (a contractor's operator) reaches only the patrons its scope allows.

    Checked before the transaction, so that the out-of-scope attempt the selector logs is kept.
    Staff with an unrestricted scope (every role admitted to the counter today) skip this.
    """
    if actor is None or not is_card_shape(card_number) or scope_for(actor).branch_ids is None:
        return
    try:
        get_patron_for(actor, card_number=card_number)
    except Http404:
        raise _refuse("card_number", _("利用者番号が見つかりません。番号を確かめてください。")) from None


def _locked_patron(errors: FieldErrors, card_number: str) -> Patron | None:
    if not card_number:
        errors.add("card_number", _("利用者番号を入力してください。"))
        return None
    patron = None
    if is_card_shape(card_number):
        # of=self: the joined category row must not be locked for every patron of that category.
        patron = (
            Patron.objects.select_for_update(of=("self",))
            .select_related("category")
            .filter(card_number=card_number)
            .first()
        )
    if patron is None:
        errors.add("card_number", _("利用者番号が見つかりません。番号を確かめてください。"))
    return patron


def _patron_may_borrow(errors: FieldErrors, patron: Patron, *, on: dt.date, what: str) -> None:
    if patron.status != PatronStatus.ACTIVE:
        errors.add(
            "card_number", _("この利用者の登録は取り消されています。%(what)sできません。") % {"what": what}
        )
    elif patron.expires_on < on:
        errors.add(
            "card_number",
            _(
                "利用者の有効期限が切れています。更新の手続きをしてから%(what)sしてください（厚木市 要綱第9条）。"
            )
            % {"what": what},
        )


def _locked_item(errors: FieldErrors, barcode: str, *, lock: bool = True) -> Item | None:
    if not barcode:
        errors.add("barcode", _("資料番号を入力してください。"))
        return None
    qs = Item.objects.select_for_update(of=("self",)) if lock else Item.objects.all()
    item = qs.filter(barcode=barcode).first() if is_barcode_shape(barcode) else None
    if item is None:
        errors.add("barcode", _("資料番号が見つかりません。番号を確かめてください。"))
    elif item.status == Item.Status.WITHDRAWN:
        errors.add("barcode", _("除籍済みの資料です。"))
    return item


def _unlink_refused(item_id: int | None) -> None:
    """A card-scan operation refused after it had locked the patron and the item leaves its
    rolled-back transaction's id in both rows' ``xmax``, tying that patron to that item (found by
    tests/loans/test_privacy_invariant.py: a lend refused to a cancelled card). Lock the item again,
    alone, in a transaction of its own, so that the item's ``xmax`` names that one instead. Runs on
    refusals only."""
    if item_id is None:
        return
    with transaction.atomic():
        Item.objects.select_for_update(of=("self",)).filter(pk=item_id).exists()


# --- access-log events --------------------------------------------------------------------------


def _audit_patron_event(*, actor: Actor, action: str, patron_id: int, branch: Branch | None = None) -> None:
    """A card-scan operation: names the patron, never the item (nor a loan or reservation id)."""
    audit_record(
        actor=actor,
        action=action,
        target_type="patron",
        target_id=patron_id,
        patron_id=patron_id,
        branch_code=branch.code if branch is not None else None,
    )


def _audit_item_event(
    *,
    actor: Actor,
    action: str,
    item_id: int,
    branch: Branch | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """A barcode operation: names the item, never the patron."""
    audit_record(
        actor=actor,
        action=action,
        target_type="item",
        target_id=item_id,
        branch_code=branch.code if branch is not None else None,
        detail=detail,
    )


# --- routing an item to its next place ------------------------------------------------------------


class Route:
    SHELF = "shelf"
    HOLD_SHELF = "hold_shelf"
    TRANSIT = "transit"
    RESCAN = "rescan"  # a held copy whose reservation was cancelled: scan it to route it


@dataclass(frozen=True)
class Routing:
    """Where an item goes next, as the counter needs to hear it — never for whom."""

    item: Item
    route: str
    destination: Branch | None = None

    @property
    def instruction(self) -> str:
        if self.route == Route.HOLD_SHELF:
            return _("取置棚へ")
        if self.route == Route.TRANSIT and self.destination is not None:
            return _("%(branch)sへ回送") % {"branch": self.destination.name}
        if self.route == Route.RESCAN:
            if self.item.status == Item.Status.IN_TRANSIT:
                return _("回送中の資料です。届いたら「予約資料の確保・到着」で読み取ってください")
            return _("取置棚から出して「予約資料の確保・到着」で読み取ってください")
        return _("棚へ")


def _now_for(on: dt.date) -> dt.datetime:
    now = timezone.now()
    if on == timezone.localdate(now):
        return now
    # A back-dated operation (demo data, tests) keeps its own day.
    return timezone.make_aware(dt.datetime.combine(on, timezone.localtime(now).time()))


def _make_ready(reservation: Reservation, *, on: dt.date) -> None:
    reservation.status = Reservation.Status.READY
    reservation.ready_on = on
    reservation.hold_until = on + dt.timedelta(days=settings.LOANS_HOLD_DAYS)
    reservation.save(update_fields=["status", "ready_on", "hold_until"])
    # The notice is written in a transaction of its own once this one has committed: a Notice row
    # (and the lock its foreign key takes on the patron row) written here would carry this item
    # transaction's id and tie the patron to the item after the reservation has ended.
    patron, pickup = reservation.patron, reservation.pickup_branch
    transaction.on_commit(lambda: _queue_ready_notice(patron=patron, pickup=pickup, on=on))


def _queue_ready_notice(*, patron: Patron, pickup: Branch, on: dt.date) -> None:
    """The notice keeps patron, date and the number of items ready at that place — never a title."""
    with transaction.atomic():
        ready_here = Reservation.objects.filter(
            patron_id=patron.pk, pickup_branch_id=pickup.pk, status=Reservation.Status.READY
        ).count()
        if ready_here:
            notice_queue(
                patron=patron,
                kind=Notice.Kind.RESERVATION_READY,
                item_count=ready_here,
                branch=pickup,
                on=on,
            )


_UNKNOWN = -1


def _waiting_queue(item_id: Any) -> QuerySet[Reservation]:
    return Reservation.objects.filter(item_id=item_id, status=Reservation.Status.WAITING).order_by(
        "reserved_at", "pk"
    )


def _route_next(item: Item, *, here: Branch, on: dt.date, next_id: int | None = _UNKNOWN) -> Routing:
    """Hand the item (locked, at ``here``) to the oldest waiting reservation, or send it home.

    ``next_id`` is that reservation's id when the caller already knows it (None: nobody waits).
    Changes ``item`` in memory; the caller saves it.
    """
    nxt = None
    if next_id == _UNKNOWN:
        nxt = _waiting_queue(item.pk).select_related("patron", "pickup_branch").first()
    elif next_id is not None:
        nxt = Reservation.objects.select_related("patron", "pickup_branch").get(pk=next_id)
    item.current_branch = here
    if nxt is not None:
        # 予約回数: counted when a copy is set aside for the reservation, in this item transaction.
        _count_item(item_id=item.pk, reservations=1)
        if nxt.pickup_branch_id == here.pk:
            _make_ready(nxt, on=on)
            item.status = Item.Status.ON_HOLD
            return Routing(item, Route.HOLD_SHELF, here)
        nxt.status = Reservation.Status.IN_TRANSIT
        nxt.save(update_fields=["status"])
        item.status = Item.Status.IN_TRANSIT
        return Routing(item, Route.TRANSIT, nxt.pickup_branch)
    if item.home_branch_id == here.pk:
        item.status = Item.Status.AVAILABLE
        return Routing(item, Route.SHELF, here)
    item.status = Item.Status.IN_TRANSIT
    return Routing(item, Route.TRANSIT, item.home_branch)
