"""Every circulation write: items, lending, returns, reservations, damage cases (domain.md §2, §5).

The invariants these services keep (市川市 方針 第3(2)(3)(5); architecture "the privacy invariant"):

- A loan is deleted in the transaction that records its return; a reservation is deleted in the
  transaction that lends the item, cancels it or lets it expire. Nothing keeps "who had what" after.
- An access-log event of a circulation operation names the patron **or** the item, never both, and
  never a loan or reservation id. Card-scan operations (lend, reserve, hand over, cancel) name the
  patron; barcode operations (return, capture, ready, expire, damage) name the item. One request
  never writes both kinds: the events of a request share its request id, which would join them.
- Statistics are counted without the patron (``CirculationDailyStat``, ``ItemCirculationStat``)
  with one upsert statement each, so concurrent counters never lose a count.
- Messages and log lines never carry a card number, a barcode or a title.
- PostgreSQL keeps in every row the id of the transaction that last wrote it (``xmin``) or locked it
  (``xmax``). A card-scan transaction therefore never locks or writes an item-side row that would
  outlive the loan or reservation: reserving reads the item without locking it, cancelling leaves a
  held copy where it is (the next scan at 「予約資料の確保・到着」 routes it), and the per-item
  counters are added in item transactions — a loan when it is returned, a reservation when a copy
  is set aside for it — so a counter never changes at the moment a patron's event is written.

Every service validates first and raises ``ValidationError`` (Japanese messages keyed by field)
without changing anything. Refusals caused by the state of an item or reservation carry the code
``"conflict"`` (the API answers them 409). Rows are locked in one order — patron, item, reservation,
statistics, access log — so that two counters never deadlock; the access-log event is written last.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from patrons.models import Branch, Patron, PatronStatus
from patrons.selectors import get_patron_for
from privacy_admin.audit.services import audit_record
from privacy_admin.core.dates import today
from privacy_admin.core.errors import FieldErrors
from privacy_admin.core.scope import scope_for
from privacy_admin.core.text import clean_text, has_invisible

from .erasure import (
    CANCELLED_RESERVATION,
    EXPIRED_RESERVATION,
    LENT_RESERVATION,
    RETURNED_LOAN,
    SETTLED_DAMAGE_CASE,
    erase,
)
from .models import (
    CirculationAction,
    DamageCase,
    Item,
    Loan,
    Notice,
    Reservation,
)
from .notices import notice_queue
from .statistics import count_daily as _count_daily
from .statistics import count_item as _count_item
from .statistics import item_loans_upsert

logger = logging.getLogger(__name__)

CONFLICT = "conflict"

_BARCODE = re.compile(r"^[0-9A-Za-z-]{1,20}$")
_CARD = re.compile(r"^[0-9]{4,16}$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_ISBN10 = re.compile(r"^[0-9]{9}[0-9X]$")
_ISBN13 = re.compile(r"^97[89][0-9]{10}$")

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


def _check_patron_scope(actor: Any, card_number: str) -> None:
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
            _("利用者の有効期限が切れています。更新の手続きをしてから%(what)sしてください（要綱第9条）。")
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


# --- access-log events --------------------------------------------------------------------------


def _audit_patron_event(*, actor: Any, action: str, patron_id: int, branch: Branch | None = None) -> None:
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
    actor: Any,
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


@dataclass(frozen=True)
class ReturnResult(Routing):
    overdue_days: int = 0
    damage_case: bool = False


@dataclass(frozen=True)
class CaptureResult(Routing):
    changed: bool = True
    note: str = ""


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


# --- items --------------------------------------------------------------------------------------


def _clean_text(errors: FieldErrors, key: str, raw: object, *, required: bool) -> str:
    # Titles keep their own characters (full-width brackets, 旧字体): no NFC, only surrounding space goes.
    field = Item._meta.get_field(key)
    return clean_text(
        errors,
        key,
        raw if isinstance(raw, str) else "",
        label=str(getattr(field, "verbose_name", key)),
        required=required,
        limit=int(getattr(field, "max_length", 0) or 0),
        nfc=False,
    )


def _isbn_ok(isbn: str) -> bool:
    if _ISBN13.match(isbn):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(isbn[:12]))
        return (10 - total % 10) % 10 == int(isbn[12])
    if _ISBN10.match(isbn):
        total = sum((10 - i) * int(d) for i, d in enumerate(isbn[:9]))
        check = (11 - total % 11) % 11
        return isbn[9] == ("X" if check == 10 else str(check))
    return False


@dataclass
class ItemInput:
    barcode: str
    title: str
    branch: str
    author: str = ""
    publisher: str = ""
    isbn: str = ""
    call_number: str = ""


@dataclass
class CleanItem:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def item_validate(data: ItemInput, *, branches: dict[str, Branch] | None = None) -> CleanItem:
    """Check one item's fields (used by ``item_create`` and the CSV import). No database writes.

    ``branches`` maps codes and names to branches (the import resolves them once for all rows).
    """
    errors = _Errors()
    values: dict[str, Any] = {}
    barcode = normalize_barcode(data.barcode)
    if not barcode:
        errors.add("barcode", _("資料番号を入力してください。"))
    elif not is_barcode_shape(barcode):
        errors.add("barcode", _("資料番号は半角の英数字とハイフン（20文字以内）で入力してください。"))
    values["barcode"] = barcode
    values["title"] = _clean_text(errors, "title", data.title, required=True)
    for key in ("author", "publisher", "call_number"):
        values[key] = _clean_text(errors, key, getattr(data, key), required=False)
    isbn = unicodedata.normalize("NFKC", data.isbn or "").replace("-", "").replace(" ", "").upper()
    if isbn and not _isbn_ok(isbn):
        errors.add("isbn", _("ISBNが正しくありません（10桁または13桁、チェック数字を確かめてください）。"))
    values["isbn"] = isbn
    code = (data.branch or "").strip()
    if branches is not None:
        branch = branches.get(unicodedata.normalize("NFKC", code))
        if branch is None:
            errors.add("branch", _("所蔵館を館コードまたは館名で指定してください。"))
    else:
        branch = _branch(errors, "branch", code, label=_("所蔵館"))
    if branch is not None and branch.kind == Branch.Kind.PICKUP:
        errors.add("branch", _("受取窓口は資料を所蔵できません。所蔵館を選んでください。"))
    values["home_branch"] = branch
    return CleanItem(values, {k: [str(m) for m in v] for k, v in errors.errors.items()})


def item_create(
    *,
    actor: Any,
    barcode: str,
    title: str,
    branch_code: str,
    author: str = "",
    publisher: str = "",
    isbn: str = "",
    call_number: str = "",
) -> Item:
    """Register one item in the collection. Bibliographic data is not personal; the event names the item."""
    clean = item_validate(
        ItemInput(
            barcode=barcode,
            title=title,
            branch=branch_code,
            author=author,
            publisher=publisher,
            isbn=isbn,
            call_number=call_number,
        )
    )
    if "barcode" not in clean.errors and Item.objects.filter(barcode=clean.values["barcode"]).exists():
        clean.errors.setdefault("barcode", []).append(_("この資料番号は既に登録されています。"))
    if clean.errors:
        raise ValidationError(clean.errors)
    v = clean.values
    try:
        with transaction.atomic():
            item = Item.objects.create(
                barcode=v["barcode"],
                title=v["title"],
                author=v["author"],
                publisher=v["publisher"],
                isbn=v["isbn"],
                call_number=v["call_number"],
                home_branch=v["home_branch"],
                current_branch=v["home_branch"],
            )
            _audit_item_event(actor=actor, action="circulation.item_create", item_id=item.pk)
    except IntegrityError:
        # Two registrations of the same barcode at once: the unique index decides.
        raise _refuse("barcode", _("この資料番号は既に登録されています。")) from None
    return item


# --- lending ------------------------------------------------------------------------------------


def _lend_checks(errors: FieldErrors, *, patron: Patron, item: Item) -> Reservation | None:
    """State checks before lending ``item`` to ``patron``. Returns the patron's own reservation, if any."""
    reservations = list(Reservation.objects.filter(item_id=item.pk).order_by("reserved_at", "pk"))
    own = next((r for r in reservations if r.patron_id == patron.pk), None)
    if item.status == Item.Status.ON_LOAN:
        errors.add("barcode", _("この資料は貸出中です。先に返却処理をしてください。"), code=CONFLICT)
        return own
    held = next((r for r in reservations if r.status in HELD), None)
    if held is not None and held.patron_id != patron.pk:
        errors.add(
            "barcode",
            _(
                "この資料はほかの利用者の予約のために取り置かれています。取置棚（回送中のものは回送先）へ戻してください。"
            ),
            code=CONFLICT,
        )
        return own
    if held is None:
        waiting_others = [r for r in reservations if r.patron_id != patron.pk]
        if own is not None:
            waiting_others = [r for r in waiting_others if (r.reserved_at, r.pk) < (own.reserved_at, own.pk)]
        if waiting_others:
            errors.add(
                "barcode",
                _(
                    "この資料には予約待ちの利用者がいます。貸出できません。「予約資料の確保・到着」で処理してください。"
                ),
                code=CONFLICT,
            )
            return own
    on_loan = Loan.objects.filter(patron_id=patron.pk).count()
    if on_loan >= settings.LOANS_MAX_PER_PATRON:
        errors.add(
            "card_number",
            _("貸出できる点数（%(limit)d点）に達しています。返却後に貸し出してください。")
            % {"limit": settings.LOANS_MAX_PER_PATRON},
            code=CONFLICT,
        )
    return own


def _lend(
    *,
    actor: Any,
    patron: Patron,
    item: Item,
    branch: Branch,
    on: dt.date,
    own: Reservation | None,
    action: str,
) -> Loan:
    """Create the loan; a reservation of the patron for this item ends now (方針 第3(3))."""
    try:
        # No savepoint: the item row is locked, and on a clash the caller's transaction is rolled back.
        loan = Loan.objects.create(
            item=item,
            patron=patron,
            branch=branch,
            lent_at=_now_for(on),
            due_on=on + dt.timedelta(days=settings.LOANS_PERIOD_DAYS),
        )
    except IntegrityError:
        raise _refuse(
            "barcode", _("この資料は貸出中です。先に返却処理をしてください。"), conflict=True
        ) from None
    if own is not None:
        # 方針 第3(3): the reservation record is erased in the transaction that lends the item.
        erase(LENT_RESERVATION, pk=own.pk, day=on, branch_id=branch.pk, category_id=patron.category_id)
    # last_returned_at is the safety net's evidence that a loan older than it should be gone; the item
    # has no loan now (one per item), so the mark is spent — clearing it keeps a loan recorded with an
    # earlier date (a backdated or offline lend) from being taken for a leftover.
    Item.objects.filter(pk=item.pk).update(
        status=Item.Status.ON_LOAN, current_branch=None, last_returned_at=None
    )
    item.status = Item.Status.ON_LOAN
    item.current_branch = None
    item.last_returned_at = None
    # No per-item count here: it is added on return (an item transaction), so that neither the
    # counter row nor its change at this moment points at the borrower's access-log event.
    _count_daily(
        day=on, branch_id=branch.pk, category_id=patron.category_id, actions=[CirculationAction.LEND]
    )
    _audit_patron_event(actor=actor, action=action, patron_id=patron.pk, branch=branch)
    return loan


def loan_lend(
    *, actor: Any, card_number: str, barcode: str, branch_code: str, on: dt.date | None = None
) -> Loan:
    """Lend an item to the patron whose card was scanned (domain §5).

    Refused, changing nothing: an unknown, cancelled or expired card (要綱 第9条); an unknown or
    withdrawn item; an item on loan; a copy held for someone else; an item others are waiting for
    (ahead of this patron); the patron's loan limit (LOANS_MAX_PER_PATRON). If the patron reserved
    this item, the reservation is deleted in the same transaction (方針 第3(3)). Due date: the day
    of lending + LOANS_PERIOD_DAYS. The access-log event names the patron only.
    """
    on = on or today()
    card = normalize_card_number(card_number)
    code = normalize_barcode(barcode)
    _check_patron_scope(actor, card)
    with transaction.atomic():
        errors = _Errors()
        branch = _branch(errors, "branch", branch_code, label=_("貸出館"))
        patron = _locked_patron(errors, card)
        if patron is not None:
            _patron_may_borrow(errors, patron, on=on, what=_("貸出"))
        item = _locked_item(errors, code)
        errors.raise_if_any()
        assert patron is not None and item is not None and branch is not None
        own = _lend_checks(errors, patron=patron, item=item)
        errors.raise_if_any()
        return _lend(
            actor=actor, patron=patron, item=item, branch=branch, on=on, own=own, action="circulation.lend"
        )


# --- returns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ReturnRow:
    item: Item
    here_id: int | None
    here_name: str
    loan_id: int | None
    loan_due_on: dt.date | None
    loan_patron_id: int | None
    loan_category_id: int | None
    next_id: int | None


def _lock_for_return(barcode: str, branch_code: str) -> _ReturnRow | None:
    """The return counter's hot path, in one round trip: lock the item and read the branch, the loan
    (with the borrower's category, for the anonymous count) and the first waiting reservation.

    Plain SQL because the ORM spent more time building this statement than the database spent
    running it (the benchmark: returns at 150/s with p99 under 50 ms on PostgreSQL).
    """
    if not is_barcode_shape(barcode) or not _CODE.match(branch_code or ""):
        return None
    qn = connection.ops.quote_name
    tables = {m.__name__: qn(m._meta.db_table) for m in (Item, Loan, Patron, Branch, Reservation)}
    fields = Item._meta.concrete_fields
    columns = ", ".join(f"i.{qn(f.column)}" for f in fields)
    lock = " FOR UPDATE OF i" if connection.features.has_select_for_update_of else ""
    sql = (
        f"SELECT {columns}, "  # noqa: S608 - names from the models
        f"(SELECT b.id FROM {tables['Branch']} b WHERE b.code = %s AND b.is_active = %s), "
        f"(SELECT b.name FROM {tables['Branch']} b WHERE b.code = %s), "
        f"l.id, l.due_on, l.patron_id, p.category_id, "
        f"(SELECT r.id FROM {tables['Reservation']} r WHERE r.item_id = i.id AND r.status = %s "
        f"ORDER BY r.reserved_at, r.id LIMIT 1) "
        f"FROM {tables['Item']} i "
        f"LEFT JOIN {tables['Loan']} l ON l.item_id = i.id "
        f"LEFT JOIN {tables['Patron']} p ON p.id = l.patron_id "
        f"WHERE i.barcode = %s{lock}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [branch_code, True, branch_code, Reservation.Status.WAITING.value, barcode])
        values = cursor.fetchone()
    if values is None:
        return None
    n = len(fields)
    item_values = [
        # SQLite hands back the stored UTC time without its zone.
        timezone.make_aware(v, dt.UTC) if isinstance(v, dt.datetime) and timezone.is_naive(v) else v
        for v in values[:n]
    ]
    item = Item.from_db(connection.alias, [f.attname for f in fields], item_values)
    here_id, here_name, loan_id, due_on, patron_id, category_id, next_id = values[n:]
    if isinstance(due_on, str):
        due_on = dt.date.fromisoformat(due_on)
    return _ReturnRow(item, here_id, here_name or "", loan_id, due_on, patron_id, category_id, next_id)


def _save_returned_item(item: Item) -> None:
    """Save where the returned item goes and count 貸出回数 — counted when the loan ends, in this item
    transaction (see ``_lend``). On PostgreSQL one statement (one round trip) does both."""
    if connection.vendor != "postgresql":
        item.save(update_fields=["status", "current_branch", "last_returned_at"])
        _count_item(item_id=item.pk, loans=1)
        return
    qn = connection.ops.quote_name
    sql = (
        f"WITH u AS (UPDATE {qn(Item._meta.db_table)} SET {qn('status')} = %s, "  # noqa: S608 - names from the models
        f"{qn('current_branch_id')} = %s, {qn('last_returned_at')} = %s WHERE {qn('id')} = %s RETURNING {qn('id')}) "
        + item_loans_upsert("SELECT u.id, 1, 0 FROM u")
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(item.status), item.current_branch_id, item.last_returned_at, item.pk])


def loan_return(
    *,
    actor: Any,
    barcode: str,
    branch_code: str,
    damaged: bool = False,
    damage_description: str = "",
    on: dt.date | None = None,
) -> ReturnResult:
    """Record a return and erase the loan in the same transaction (方針 第3(2)).

    Kept: the item's last return time and place (``Item.last_returned_at`` is what the safety net
    checks), anonymous counts. The item goes to the oldest waiting reservation — ready on the hold
    shelf if it is to be picked up here (with a notice to that patron), otherwise sent on — or back
    to its shelf (or home branch). A damaged item opens a ``DamageCase``, its own record with its own
    purpose (方針 第2(4)). The access-log events name the item only.
    """
    on = on or today()
    code = normalize_barcode(barcode)
    description = (damage_description or "").strip()
    errors = _Errors()
    if damaged:
        if not description:
            errors.add("damage_description", _("汚破損の状況を入力してください。"))
        elif len(description) > 200:
            errors.add("damage_description", _("汚破損の状況は200文字以内で入力してください。"))
        elif has_invisible(description):
            errors.add("damage_description", _("汚破損の状況に制御文字などの見えない文字が含まれています。"))
    with transaction.atomic():
        row = _lock_for_return(code, branch_code)
        if row is None or row.here_id is None or row.item.status == Item.Status.WITHDRAWN:
            # Say everything that is wrong; these lookups run only on the refusal path.
            _branch(errors, "branch", branch_code, label=_("返却館"))
            _locked_item(errors, code)
        errors.raise_if_any()
        assert row is not None and row.here_id is not None
        item = row.item
        branch = Branch(pk=row.here_id, code=branch_code, name=row.here_name, is_active=True)
        if row.loan_id is None or row.loan_patron_id is None or row.loan_category_id is None:
            raise _refuse(
                "barcode",
                _(
                    "この資料は貸出中ではありません（%(status)s）。予約資料の確保・到着は「予約資料の確保・到着」で読み取ってください。"
                )
                % {"status": item.get_status_display()},
                conflict=True,
            )
        # 方針 第3(2): the record of who borrowed the item ends with the return (counted as 返却).
        erase(RETURNED_LOAN, pk=row.loan_id, day=on, branch_id=branch.pk, category_id=row.loan_category_id)
        case = None
        if damaged:
            case = DamageCase.objects.create(
                item=item,
                patron_id=row.loan_patron_id,
                branch=branch,
                reported_on=on,
                description=description,
            )
        item.last_returned_at = timezone.now()
        routing = _route_next(item, here=branch, on=on, next_id=row.next_id)
        _save_returned_item(item)
        if case is not None:
            _audit_item_event(
                actor=actor,
                action="circulation.damage_report",
                item_id=item.pk,
                branch=branch,
                detail={"case": case.pk},
            )
        _audit_item_event(
            actor=actor,
            action="circulation.return",
            item_id=item.pk,
            branch=branch,
            detail={"route": routing.route},
        )
    return ReturnResult(
        item=item,
        route=routing.route,
        destination=routing.destination,
        overdue_days=max(0, (on - row.loan_due_on).days) if row.loan_due_on else 0,
        damage_case=case is not None,
    )


# --- reservations -------------------------------------------------------------------------------


def reservation_create(
    *, actor: Any, card_number: str, barcode: str, pickup_branch_code: str, on: dt.date | None = None
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
        # Read, not locked: a lock would leave this transaction's id on the item row (see above).
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
    *, actor: Any, reservation: Reservation, branch_code: str | None = None, on: dt.date | None = None
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
    *, actor: Any, barcode: str, branch_code: str, on: dt.date | None = None
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
    *, actor: Any, reservation: Reservation, branch_code: str, on: dt.date | None = None
) -> Loan:
    """Hand a ready reservation over (受渡し): lend the item and delete the reservation in the same
    transaction (方針 第3(3)). Only a reservation ready at this pickup place, for a patron who may
    borrow (active, not expired, under the loan limit). The access-log event names the patron only.
    """
    on = on or today()
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


def reservation_cancel(*, actor: Any, reservation: Reservation, on: dt.date | None = None) -> Routing | None:
    """Cancel a reservation: it is deleted at once (方針 第3(3)).

    A copy already set aside (in transit or on the hold shelf) stays where it is: the answer
    (``Route.RESCAN``) tells the counter to scan it at 「予約資料の確保・到着」, which hands it to the
    next waiting reservation or sends it back. Moving it here would write the item row in the
    transaction whose access-log event names the patron (see the module docstring). Returns None
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


# --- damage cases -------------------------------------------------------------------------------


def damage_case_settle(*, actor: Any, case: DamageCase) -> None:
    """The damage is settled (方針 第2(4)): the case, the last link of patron and item, is deleted."""
    with transaction.atomic():
        # Inserting the case made the patron row carry the return's transaction id (the lock its
        # foreign key took); locking the row here replaces it, so the id no longer ties the two.
        Patron.objects.select_for_update().filter(pk=case.patron_id).exists()
        if not erase(SETTLED_DAMAGE_CASE, pk=case.pk):
            raise _refuse("__all__", _("この汚破損案件は既に処理済みです。"), conflict=True)
        _audit_item_event(
            actor=actor,
            action="circulation.damage_settle",
            item_id=case.item_id,
            branch=None,
            detail={"case": case.pk},
        )
