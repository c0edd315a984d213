"""Reads of circulation data that depend on who asks. Views and the API never query Loan,
Reservation or DamageCase directly.

Library staff reach everything. A contractor's operator (``privacy_admin.core.scope_fields``) reaches a
loan lent at one of the contract's branches, when the contract holds loan records; a reservation to
be picked up at one of them, when it holds 予約資料番号; a damage case opened at one of them; and a
patron as ``patrons.selectors`` says. Out of scope looks like absent (404), and the attempt is logged
naming the patron only — never the item, so the log cannot tie the two together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from patrons.models import Branch, Patron
from patrons.selectors import active_branches, patrons_visible_to
from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.scope import scope_for
from privacy_admin.core.scope_fields import sees_loans, sees_reservations
from privacy_admin.core.view_events import view_logged_by_caller

from .models import DamageCase, Item, Loan, Notice, Reservation


def _scoped(qs: QuerySet[Any], actor: Actor, *, branch_field: str, granted: bool) -> QuerySet[Any]:
    scope = scope_for(actor)
    if scope.branch_ids is None:
        return qs
    if not scope.branch_ids or not granted:
        return qs.none()
    return qs.filter(**{f"{branch_field}__in": scope.branch_ids})


@view_logged_by_caller(
    "the scoped base of loan reads; the counter page that shows a patron's loans wrote patron.view"
)
def loans_visible_to(actor: Actor) -> QuerySet[Loan]:
    """Loans lent at a branch in scope (004: the school's own loan records; 002: the counter's)."""
    return _scoped(Loan.objects.all(), actor, branch_field="branch_id", granted=sees_loans(scope_for(actor)))


@view_logged_by_caller(
    "the scoped base of reservation reads; counter pages write patron.view, the hold shelf circulation.hold_shelf_view"
)
def reservations_visible_to(actor: Actor) -> QuerySet[Reservation]:
    """Reservations to be picked up at a branch in scope (002: 予約資料の受取館)."""
    return _scoped(
        Reservation.objects.all(),
        actor,
        branch_field="pickup_branch_id",
        granted=sees_reservations(scope_for(actor)),
    )


@view_logged_by_caller(
    "the scoped base of damage-case reads; the list page writes circulation.damage_list_view"
)
def damage_cases_visible_to(actor: Actor) -> QuerySet[DamageCase]:
    return _scoped(
        DamageCase.objects.all(), actor, branch_field="branch_id", granted=sees_loans(scope_for(actor))
    )


def _out_of_scope(actor: Actor, *, patron_id: int, lookup: str) -> Http404:
    audit_record(
        standalone=True,
        actor=actor,
        action="circulation.out_of_scope",
        target_type="patron",
        target_id=patron_id,
        patron_id=patron_id,
        outcome=Outcome.DENIED,
        detail={"lookup": lookup},
    )
    return Http404("見つかりません。")


def out_of_scope(actor: Actor, *, target_type: str, target_id: str, lookup: str) -> Http404:
    """Log an attempt at a counter function or branch outside the actor's scope; the 404 to raise.

    Names the view or branch only: no patron, no item.
    """
    audit_record(
        standalone=True,
        actor=actor,
        action="circulation.out_of_scope",
        target_type=target_type,
        target_id=target_id[:64],
        outcome=Outcome.DENIED,
        detail={"lookup": lookup},
    )
    return Http404("見つかりません。")


def counter_branches_for(actor: Actor) -> list[Branch]:
    """The counters the actor may work at: every active branch for staff, the contract's for an operator."""
    scope = scope_for(actor)
    branches = list(active_branches())
    if scope.branch_ids is None:
        return branches
    return [b for b in branches if b.pk in scope.branch_ids]


def check_counter_branch(actor: Actor, code: str, allowed: list[Branch]) -> None:
    """Raise Http404 (logged) when ``code`` names an active branch outside the actor's counters.

    An unknown or malformed code is left to the form, which answers it like any bad input.
    """
    if not code or any(b.code == code for b in allowed):
        return
    if any(b.code == code for b in active_branches()):
        raise out_of_scope(actor, target_type="branch", target_id=code, lookup="counter_branch")


@view_logged_by_caller(
    "a reservation to act on (ready, lend, cancel): the action writes its own circulation event"
)
def get_reservation_for(actor: Actor, pk: int) -> Reservation:
    """The reservation, if ``actor`` may reach its patron; Http404 otherwise (the attempt is logged)."""
    reservation = (
        reservations_visible_to(actor).select_related("item", "patron", "pickup_branch").filter(pk=pk).first()
    )
    if reservation is None:
        patron_id = Reservation.objects.filter(pk=pk).values_list("patron_id", flat=True).first()
        if patron_id is not None:
            raise _out_of_scope(actor, patron_id=patron_id, lookup="reservation")
        raise Http404("見つかりません。")
    return reservation


@view_logged_by_caller("a damage case to settle: damage_case_settle writes circulation.damage_settle")
def get_damage_case_for(actor: Actor, pk: int) -> DamageCase:
    case = damage_cases_visible_to(actor).select_related("item").filter(pk=pk).first()
    if case is None:
        patron_id = DamageCase.objects.filter(pk=pk).values_list("patron_id", flat=True).first()
        if patron_id is not None:
            raise _out_of_scope(actor, patron_id=patron_id, lookup="damage_case")
        raise Http404("見つかりません。")
    return case


@view_logged_by_caller(
    "a notice to act on (called, postcard): the action writes notice.called / notice.to_postcard"
)
def get_notice_for(actor: Actor, pk: int) -> Notice:
    """A notice to act on (called, switched to a postcard). Staff of the library only: the notice
    pages are not open to a contractor's operators, and one outside the actor's scope answers 404."""
    scope = scope_for(actor)
    qs = Notice.objects.select_related("patron", "branch")
    if scope.branch_ids is not None:
        qs = qs.filter(branch_id__in=scope.branch_ids)
    notice = qs.filter(pk=pk).first()
    if notice is None:
        raise Http404("見つかりません。")
    return notice


@dataclass(frozen=True)
class CirculationCounts:
    """Counts for the circulation dashboard: no row, no patron, no item."""

    open_damage_cases: int
    overdue_loans: int
    overdue_patrons: int


def circulation_counts(*, today: dt.date) -> CirculationCounts:
    overdue = Loan.objects.filter(due_on__lt=today).aggregate(
        loans=Count("pk"), patrons=Count("patron_id", distinct=True)
    )
    return CirculationCounts(
        open_damage_cases=DamageCase.objects.filter(status=DamageCase.Status.OPEN).count(),
        overdue_loans=overdue["loans"],
        overdue_patrons=overdue["patrons"],
    )


@view_logged_by_caller(
    "the patron of a counter page, looked up by the counter's signed token: the page wrote patron.view when it was read"
)
def get_counter_patron(actor: Actor, pk: int) -> Patron | None:
    """The patron a counter page is serving (from its signed token), if still reachable."""
    return patrons_visible_to(actor).filter(pk=pk).first()


@view_logged_by_caller(
    "the counter page showing the patron's loans writes patron.view (loans.views._identify)"
)
def loans_of_patron(actor: Actor, patron: Patron) -> list[Loan]:
    """A patron's current loans for the counter screen: the items and due dates (there is no history)."""
    return list(
        loans_visible_to(actor)
        .filter(patron_id=patron.pk)
        .select_related("item")
        .order_by("due_on", "lent_at", "pk")
    )


@view_logged_by_caller(
    "the counter page showing the patron's reservations writes patron.view (loans.views._identify)"
)
def reservations_of_patron(actor: Actor, patron: Patron) -> list[Reservation]:
    return list(
        reservations_visible_to(actor)
        .filter(patron_id=patron.pk)
        .select_related("item", "pickup_branch")
        .order_by("reserved_at", "pk")
    )


@view_logged_by_caller("the counter page showing the patron's ready reservations writes patron.view")
def ready_reservations_of_patron_at(actor: Actor, patron: Patron, branch: Branch) -> list[Reservation]:
    """What the patron can take home from this counter now (受渡し)."""
    return list(
        reservations_visible_to(actor)
        .filter(patron_id=patron.pk, pickup_branch_id=branch.pk, status=Reservation.Status.READY)
        .select_related("item", "pickup_branch")
        .order_by("hold_until", "pk")
    )


@view_logged_by_caller("the hold-shelf page writes circulation.hold_shelf_view naming whom it showed")
def reservations_for_pickup_counter(actor: Actor, branch: Branch) -> QuerySet[Reservation]:
    """The hold shelf of a pickup place: ready reservations, oldest hold first.

    Read the card number only to show it masked; the patron's name is never needed here (方針 第3(5)).
    """
    return (
        reservations_visible_to(actor)
        .filter(pickup_branch_id=branch.pk, status=Reservation.Status.READY)
        .select_related("item", "patron", "pickup_branch")
        .only(
            "pk",
            "status",
            "ready_on",
            "hold_until",
            "reserved_at",
            "item__barcode",
            "item__title",
            "patron__card_number",
            "pickup_branch__name",
        )
        .order_by("hold_until", "pk")
    )


@view_logged_by_caller("the damage-case list page writes circulation.damage_list_view naming whom it showed")
def damage_cases_open(actor: Actor, *, branch: Branch | None = None) -> QuerySet[DamageCase]:
    qs = (
        damage_cases_visible_to(actor)
        .filter(status=DamageCase.Status.OPEN)
        .select_related("item", "branch", "patron")
        .only(
            "pk",
            "reported_on",
            "description",
            "status",
            "branch__name",
            "branch__code",
            "item__barcode",
            "item__title",
            "patron__card_number",
            "patron__public_id",
        )
        .order_by("reported_on", "pk")
    )
    if branch is not None:
        qs = qs.filter(branch_id=branch.pk)
    return qs


def holds_to_clear(branch: Branch) -> list[Item]:
    """Copies on this hold shelf whose reservation was cancelled: to be scanned at
    「予約資料の確保・到着」 so they go to the next reservation or back. Items only, no patron."""
    ready = Reservation.objects.filter(status=Reservation.Status.READY).values("item_id")
    return list(
        Item.objects.filter(status=Item.Status.ON_HOLD, current_branch_id=branch.pk)
        .exclude(pk__in=ready)
        .order_by("barcode")[:200]
    )


def recent_items(*, limit: int = 20) -> list[Item]:
    """Items are not personal data: the latest registrations, for the registration page."""
    return list(Item.objects.select_related("home_branch").order_by("-created_at", "-pk")[:limit])


def patron_reach(scope: Any) -> list[Q]:
    """Whom a pickup counter also serves (002): whoever reserved something to be picked up there, or
    borrowed there — each only when the contract holds those items. For ``patrons_visible_to``."""
    branches = scope.branch_ids
    reach: list[Q] = []
    if sees_reservations(scope):
        reach.append(
            Q(Exists(Reservation.objects.filter(patron_id=OuterRef("pk"), pickup_branch_id__in=branches)))
        )
    if sees_loans(scope):
        reach.append(Q(Exists(Loan.objects.filter(patron_id=OuterRef("pk"), branch_id__in=branches))))
    return reach
