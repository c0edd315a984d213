"""What the signed-in patron reads about themselves (issue 16). Every read of the patron's data writes
its view event with the patron as actor (role "patron") and as the event's patron; nothing here ever
reaches another patron's rows (another patron's reservation answers 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from disclosure_requests.models import Letter, PrivacyRequest
from disclosure_requests.package import RegistrationRow, registration_rows
from disclosure_requests.selectors import online_applications_of_patron
from loans.models import Item, Loan, Reservation
from patrons.models import Branch, Patron, PatronStatus
from privacy_admin.audit.services import audit_record
from privacy_admin.core.dates import today
from privacy_admin.core.view_events import no_view_event, view_logged_by_caller

from . import history
from .models import HistoryEntry, HistoryKey, NoticePreference

SEARCH_LIMIT = 30


def _viewed(patron: Patron, what: str, **detail: int | str) -> None:
    audit_record(
        standalone=True,
        actor=None,
        action="mypage.view",
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
        detail={"what": what, **detail},
    )


@no_view_event("the session's own patron, for the sign-in check; each page writes its own event")
def signed_in_patron(patron_id: int) -> Patron | None:
    return (
        Patron.objects.select_related("category", "registered_branch")
        .filter(pk=patron_id, status=PatronStatus.ACTIVE)
        .first()
    )


@dataclass(frozen=True)
class LoanRow:
    id: int
    title: str
    due_on: dt.date
    branch: str
    overdue: bool
    renewable: bool
    why_not: str


def _renewal(loan: Loan, *, waiting: bool, on: dt.date) -> tuple[bool, str]:
    from .services import renewal_refusal

    why = renewal_refusal(loan, waiting=waiting, on=on)
    return why == "", why


def my_loans(patron: Patron, *, on: dt.date | None = None) -> list[LoanRow]:
    on = on or today()
    loans = list(
        Loan.objects.filter(patron_id=patron.pk)
        .select_related("item", "branch")
        .annotate(waiting=Count("item__reservations"))
        .order_by("due_on", "pk")
    )
    rows = []
    for loan in loans:
        ok, why = _renewal(loan, waiting=bool(loan.waiting), on=on)
        rows.append(
            LoanRow(
                id=loan.pk,
                title=loan.item.title,
                due_on=loan.due_on,
                branch=loan.branch.name,
                overdue=loan.due_on < on,
                renewable=ok,
                why_not=why,
            )
        )
    _viewed(patron, "loans", count=len(rows))
    return rows


@view_logged_by_caller("the renewal service writes the patron's event")
def my_loan(patron: Patron, loan_id: int) -> Loan:
    loan = Loan.objects.select_related("item").filter(pk=loan_id, patron_id=patron.pk).first()
    if loan is None:
        raise Http404(_("見つかりません。"))
    return loan


@dataclass(frozen=True)
class ReservationRow:
    id: int
    title: str
    status: str
    status_label: str
    queue_position: int | None
    pickup_place: str
    hold_until: dt.date | None


def my_reservations(patron: Patron) -> list[ReservationRow]:
    mine = list(
        Reservation.objects.filter(patron_id=patron.pk)
        .select_related("item", "pickup_branch")
        .order_by("reserved_at", "pk")
    )
    rows = []
    for r in mine:
        position = None
        if r.status == Reservation.Status.WAITING:
            position = (
                Reservation.objects.filter(item_id=r.item_id, status=Reservation.Status.WAITING)
                .filter(Q(reserved_at__lt=r.reserved_at) | Q(reserved_at=r.reserved_at, pk__lt=r.pk))
                .count()
                + 1
            )
        rows.append(
            ReservationRow(
                id=r.pk,
                title=r.item.title,
                status=r.status,
                status_label=str(r.get_status_display()),
                queue_position=position,
                pickup_place=r.pickup_branch.name,
                hold_until=r.hold_until,
            )
        )
    _viewed(patron, "reservations", count=len(rows))
    return rows


@view_logged_by_caller("the cancellation service writes the patron's event")
def my_reservation(patron: Patron, reservation_id: int) -> Reservation:
    reservation = Reservation.objects.filter(pk=reservation_id, patron_id=patron.pk).first()
    if reservation is None:
        raise Http404(_("見つかりません。"))
    return reservation


@dataclass(frozen=True)
class ItemRow:
    id: int
    title: str
    author: str
    publisher: str
    available: bool


@no_view_event("the catalogue names no patron; the query itself is not logged (it shows what one reads)")
def item_search(query: str) -> list[ItemRow]:
    words = [w for w in query.split() if w][:5]
    if not words:
        return []
    qs = Item.objects.exclude(status=Item.Status.WITHDRAWN)
    for word in words:
        qs = qs.filter(title__icontains=word)
    return [
        ItemRow(
            id=i.pk,
            title=i.title,
            author=i.author,
            publisher=i.publisher,
            available=i.status == Item.Status.AVAILABLE,
        )
        for i in qs.order_by("title", "pk")[:SEARCH_LIMIT]
    ]


@no_view_event("the catalogue names no patron")
def item_barcode(item_id: int) -> str:
    item = Item.objects.exclude(status=Item.Status.WITHDRAWN).filter(pk=item_id).first()
    if item is None:
        raise Http404(_("見つかりません。"))
    return item.barcode


@no_view_event("branches and pickup counters are facilities, not people")
def pickup_places() -> list[Branch]:
    return list(Branch.objects.filter(is_active=True).order_by("sort_order", "code"))


# Contact data the patron may change here; everything else only at the counter (要綱 第10条).
EDITABLE_FIELDS = ("phone", "email")


def my_registration(patron: Patron) -> list[RegistrationRow]:
    """The same field inventory as the held-data package (disclosure_requests.package)."""
    rows = registration_rows(patron)
    _viewed(patron, "registration")
    return rows


@no_view_event("the patron's own choice of channel, shown on a page that writes its event")
def my_notice_channel(patron: Patron) -> str:
    pref = NoticePreference.objects.filter(patron_id=patron.pk).values_list("channel", flat=True).first()
    return pref or ""


@dataclass(frozen=True)
class RequestRow:
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    received_on: dt.date | None
    due_on: dt.date | None
    letters: list[tuple[str, dt.date]]


def my_requests(patron: Patron) -> list[RequestRow]:
    """The patron's 開示・訂正・利用停止 requests: status and the dates of their letters, not contents."""
    rows: list[RequestRow] = [
        RequestRow(
            id=a.pk,
            number="",
            kind=a.kind,
            kind_label=str(a.get_kind_display()),
            status=a.status,
            status_label=str(a.get_status_display()),
            received_on=None,
            due_on=None,
            letters=[],
        )
        for a in online_applications_of_patron(patron.pk)
    ]
    requests = list(PrivacyRequest.objects.filter(patron_id=patron.pk).order_by("-received_on", "-pk"))
    letters: dict[int, list[tuple[str, dt.date]]] = {}
    for letter in Letter.objects.filter(request__in=requests).order_by("issued_on", "pk"):
        letters.setdefault(letter.request_id, []).append((str(letter.get_kind_display()), letter.issued_on))
    rows += [
        RequestRow(
            id=r.pk,
            number=r.number,
            kind=r.kind,
            kind_label=str(r.get_kind_display()),
            status=r.status,
            status_label=str(r.get_status_display()),
            received_on=r.received_on,
            due_on=r.due_on,
            letters=letters.get(r.pk, []),
        )
        for r in requests
    ]
    _viewed(patron, "requests", count=len(rows))
    return rows


@no_view_event("whether the patron opted in: no data of the patron's reading")
def history_enabled(patron: Patron) -> bool:
    return HistoryKey.objects.filter(patron_id=patron.pk).exists()


@dataclass(frozen=True)
class HistoryRow:
    id: int
    title: str
    returned_on: dt.date


def my_history(patron: Patron, kek: bytes | None) -> list[HistoryRow] | None:
    """The patron's reading history, opened with the key from the patron's cookie. None when it
    cannot be opened in this session (sign in again with the password)."""
    key = HistoryKey.objects.filter(patron_id=patron.pk).first()
    if key is None:
        return []
    private = history.unwrap(bytes(key.wrapped_private_key), kek) if kek else None
    if private is None:
        return None
    rows = []
    for entry_id, sealed in HistoryEntry.objects.filter(patron_id=patron.pk).values_list("pk", "sealed"):
        opened = history.open_entry(private, bytes(sealed))
        if opened is not None:
            rows.append(HistoryRow(id=entry_id, title=opened[0], returned_on=opened[1]))
    rows.sort(key=lambda r: (r.returned_on, r.title), reverse=True)
    _viewed(patron, "history", count=len(rows))
    return rows
