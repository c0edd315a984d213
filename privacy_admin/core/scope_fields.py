"""What a contractor's operator may do and see, field by field — pure rules over a ``Scope``, used by
patrons, loans, accounts and outsourcing alike (domain.md §6; 練馬区 諮問第23号 (002), 新宿区 報告 (004)).

``privacy_admin.core.scope`` (implemented by ``outsourcing.scope``) says *which* branches and data items a contract grants. This module turns that
into (a) the counter functions an operator may use and (b) projections of patrons, loans and
reservations that carry only the values the scope allows. Views and API endpoints hand templates and
JSON these projections, never the model rows, so a template cannot show what the contract does not
grant. Library staff have an unrestricted scope and get every value (the projections are then the
same as reading the rows).

Per contract kind — a contract has no "kind" field; what it may do follows from its data items:

**Pickup counter (受取窓口, 002: 予約資料の貸出し・返却を行うための窓口; the 17 items).**
The operator works at the contract's counters only (``branch_ids``). They may

- find a patron by scanning the card (``FIND_PATRON``) and open the patron's page, which shows the
  contract's items of that patron, the loans lent at their counters and the reservations to be
  picked up there — nothing else (no identity checks, proxy or paper forms: not contract items);
- hand over reservations whose pickup place is their counter (``HAND_OVER``; 受渡し = a loan, the
  reservation is erased in the same transaction) and see that counter's hold shelf;
- capture arriving reserved items for the hold shelf (``CAPTURE``, 予約資料の到着);
- lend and take returns at their counter (``LEND``, ``RETURN``).

A patron is within reach when registered at one of the contract's branches, or when they have a
reservation to be picked up there, or a loan lent there (patrons register at libraries, not at
pickup counters, so the registered branch alone would leave a pickup counter nobody to serve).
Reservations are visible only when their pickup place is in scope and the contract holds
予約資料番号; loans only when lent at a branch in scope and the contract holds 貸出資料番号 (or 004's
学習内容). A patron's reservations elsewhere or loans from other libraries stay invisible.

**School library (学校図書館支援, 004: 氏名、学習内容（貸出記録に限定）).**
``LEARNING_LOANS`` is the loan record: which item, its title and due date — so the current loans
lent at the school are visible, with 氏名 on the patron's page. No reservations (no 予約資料番号),
no card number (the card is scanned as input but never displayed, not even masked), no address,
phone, birth date, フリガナ, registration branch or expiry. The operator may find a student by card,
lend and take returns (カウンター業務（図書の貸出・返却）) at the school only.

**Everything else is library staff only**: reserving and cancelling, item registration, damage
cases, notices and postcards, the dashboard, registration and changes of patron data, search by
フリガナ and 生年月日 (it lists several patrons at once), and every download, export or PDF (002:
閲覧はできるがプリントアウトはできない). An operator whose contract is not in force or who is
untrained has the empty scope: no function at all.

**Returns** at an operator's counter take back any item (002: どこに返却しても良い): the loan is
erased as usual, and the answer says where the item goes and the title of the item in hand — never
who had it, nor how overdue it was (the due date is the borrower's loan record).

The counter screens never show a patron's name, whatever the contract (方針 第3(5)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from privacy_admin.core.actor import Actor

from .dataitems import PERSONAL_FIELDS, DataItem
from .scope import Scope, scope_for
from .text import mask_card_number

# 004: 学習内容（貸出記録に限定）— the record of a loan: the item, its title and its due date.
_IMPLIED: dict[str, frozenset[str]] = {
    DataItem.LEARNING_LOANS.value: frozenset(
        {DataItem.LOAN_ITEM_NUMBER.value, DataItem.LOAN_ITEM_TITLE.value, DataItem.DUE_DATE.value}
    ),
}
LOAN_ITEMS = frozenset({DataItem.LOAN_ITEM_NUMBER.value, DataItem.LEARNING_LOANS.value})
RESERVATION_ITEMS = frozenset({DataItem.RESERVATION_ITEM_NUMBER.value})


class Capability(StrEnum):
    """A counter function, admitted to an operator by the items of their contract."""

    FIND_PATRON = "find_patron"  # card lookup and the patron's page
    KANA_SEARCH = "kana_search"  # フリガナ + 生年月日: library staff only
    LEND = "lend"
    RETURN = "return"
    HAND_OVER = "hand_over"  # 予約資料の受渡し (and the hold shelf)
    CAPTURE = "capture"  # 予約資料の確保・到着


# --- items ----------------------------------------------------------------------------------------


def allowed_items(scope: Scope) -> frozenset[str] | None:
    """The scope's data items with what they imply (``LEARNING_LOANS``); None = every item."""
    if scope.data_items is None:
        return None
    items = set(scope.data_items)
    for item, implied in _IMPLIED.items():
        if item in items:
            items |= implied
    return frozenset(items)


def allows(scope: Scope, item: str) -> bool:
    items = allowed_items(scope)
    return items is None or str(item) in items


def _working(scope: Scope) -> bool:
    """A restricted scope that grants at least one branch and one item."""
    return bool(scope.branch_ids) and bool(scope.data_items)


def sees_loans(scope: Scope) -> bool:
    if scope.unrestricted:
        return True
    return _working(scope) and bool((scope.data_items or frozenset()) & LOAN_ITEMS)


def sees_reservations(scope: Scope) -> bool:
    if scope.unrestricted:
        return True
    return _working(scope) and bool((scope.data_items or frozenset()) & RESERVATION_ITEMS)


def capabilities(scope: Scope) -> frozenset[Capability]:
    if scope.unrestricted:
        return frozenset(Capability)
    if not _working(scope):
        return frozenset()
    caps = {Capability.FIND_PATRON}
    if sees_loans(scope):
        caps |= {Capability.LEND, Capability.RETURN}
    if sees_reservations(scope):
        caps |= {Capability.HAND_OVER, Capability.CAPTURE}
    return frozenset(caps)


def may(actor: Actor, capability: Capability) -> bool:
    return capability in capabilities(scope_for(actor))


def item_of(model_label: str, field_name: str) -> str:
    """The data item a model field holds, as the model declares it (``declare_personal_fields``)."""
    return str(PERSONAL_FIELDS[(model_label, field_name)].item)


def mask(card_number: str) -> str:
    return mask_card_number(card_number)


# --- patrons --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownField:
    """One line of a patron's page: a label and a value the scope allows (dates stay dates)."""

    key: str
    label: str
    value: Any
    is_date: bool = False


_PATRON = "patrons.Patron"


def _patron_rows(patron: Any) -> list[tuple[str, Any, str, Any, bool]]:
    """(key, label, the field that decides the item, value, is_date) — in the order of the staff page."""
    return [
        ("card_number", _("利用者番号"), "card_number", patron.card_number, False),
        ("name", _("氏名"), "family_name", patron.full_name, False),
        ("kana", _("フリガナ"), "family_name_kana", patron.full_name_kana, False),
        ("birth_date", _("生年月日"), "birth_date", patron.birth_date, True),
        ("gender", _("男女の別"), "gender", patron.get_gender_display(), False),
        ("address", _("住所"), "address", patron.address, False),
        ("phone", _("電話番号"), "phone", patron.phone, False),
        ("email", _("電子メールアドレス"), "email", patron.email, False),
        ("guardian_name", _("保護者名"), "guardian_name", patron.guardian_name, False),
        ("category", _("利用者区分"), "category", patron.category.name, False),
        ("eligibility", _("登録資格"), "eligibility", patron.get_eligibility_display(), False),
        ("registered_branch", _("登録館"), "registered_branch", patron.registered_branch.name, False),
        ("registered_on", _("登録日"), "registered_on", patron.registered_on, True),
        ("expires_on", _("有効期限"), "expires_on", patron.expires_on, True),
    ]


def patron_fields(scope: Scope, patron: Any) -> list[ShownField]:
    """The lines of the patron's page that the scope allows, nothing else."""
    return [
        ShownField(key, str(label), value, is_date)
        for key, label, field, value, is_date in _patron_rows(patron)
        if allows(scope, item_of(_PATRON, field))
    ]


# The JSON answer's fields (patrons.api.PatronOut) and the model field that decides each one's item.
_API_FIELDS = {
    "card_number": "card_number",
    "family_name": "family_name",
    "given_name": "given_name",
    "family_name_kana": "family_name_kana",
    "given_name_kana": "given_name_kana",
    "birth_date": "birth_date",
    "gender": "gender",
    "address": "address",
    "phone": "phone",
    "email": "email",
    "guardian_name": "guardian_name",
    "category": "category",
    "eligibility": "eligibility",
    "registered_branch": "registered_branch",
    "registered_on": "registered_on",
    "expires_on": "expires_on",
    "has_password": "password",
}


def patron_api_values(scope: Scope, patron: Any) -> dict[str, Any]:
    """The API's view of a patron: every field outside the scope is None; ``status`` always shows."""
    values: dict[str, Any] = {
        name: getattr(patron, name) for name in _API_FIELDS if name not in ("category", "registered_branch")
    }
    values |= {
        "category": patron.category.code,
        "registered_branch": patron.registered_branch.code,
        "has_password": patron.has_password,
    }
    shown = {
        name: value if allows(scope, item_of(_PATRON, _API_FIELDS[name])) else None
        for name, value in values.items()
    }
    return {**shown, "status": patron.status}


@dataclass(frozen=True)
class CounterPatron:
    """The patron being served at a counter: masked card number and expiry when allowed, never the name.

    ``cancelled`` and ``expired`` are what the counter must say before lending (the service refuses
    anyway, with the same words), not the dates behind them.
    """

    pk: int
    card_masked: str | None
    expires_on: dt.date | None
    cancelled: bool
    expired: bool

    def __bool__(self) -> bool:
        return True


def counter_patron(scope: Scope, patron: Any, *, today: dt.date) -> CounterPatron:
    return CounterPatron(
        pk=patron.pk,
        card_masked=mask(patron.card_number) if allows(scope, item_of(_PATRON, "card_number")) else None,
        expires_on=patron.expires_on if allows(scope, item_of(_PATRON, "expires_on")) else None,
        cancelled=patron.status != "active",
        expired=patron.expires_on < today,
    )


# --- loans and reservations -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShownLoan:
    item_id: int
    title: str | None
    barcode: str | None
    due_on: dt.date | None
    overdue: bool


def shown_loan(scope: Scope, loan: Any, *, today: dt.date) -> ShownLoan:
    due = loan.due_on if allows(scope, DataItem.DUE_DATE) else None
    return ShownLoan(
        item_id=loan.item_id,
        title=loan.item.title if allows(scope, DataItem.LOAN_ITEM_TITLE) else None,
        barcode=loan.item.barcode if allows(scope, DataItem.LOAN_ITEM_NUMBER) else None,
        due_on=due,
        overdue=due is not None and due < today,
    )


@dataclass(frozen=True)
class ShownReservation:
    pk: int
    item_id: int
    title: str | None
    barcode: str | None
    pickup_branch: str | None
    status: str
    status_display: str
    reserved_at: dt.datetime | None
    hold_until: dt.date | None
    card_masked: str | None


def shown_reservation(scope: Scope, reservation: Any, *, with_card: bool = False) -> ShownReservation:
    """A reservation as the scope allows it; ``with_card`` adds the masked card number (hold shelf)."""
    card = None
    if with_card and allows(scope, item_of(_PATRON, "card_number")):
        card = mask(reservation.patron.card_number)
    return ShownReservation(
        pk=reservation.pk,
        item_id=reservation.item_id,
        title=reservation.item.title if allows(scope, DataItem.RESERVATION_ITEM_TITLE) else None,
        barcode=reservation.item.barcode if allows(scope, DataItem.RESERVATION_ITEM_NUMBER) else None,
        pickup_branch=reservation.pickup_branch.name if allows(scope, DataItem.PICKUP_BRANCH) else None,
        status=reservation.status,
        status_display=reservation.get_status_display(),
        reserved_at=reservation.reserved_at if allows(scope, DataItem.RESERVATION_DATE) else None,
        # The hold period is the counter's working information, not a record of the patron.
        hold_until=reservation.hold_until,
        card_masked=card,
    )


def return_details_shown(scope: Scope) -> bool:
    """Whether a return may say how overdue the loan was: library staff only (see the module docstring)."""
    return scope.unrestricted


def shown_return(scope: Scope, returned: Any) -> dict[str, Any]:
    """A return at the counter: the route and the item in hand; how overdue, to library staff only."""
    return {
        "route": returned.route,
        "instruction": returned.instruction,
        "title": returned.item.title if allows(scope, DataItem.LOAN_ITEM_TITLE) else "",
        "overdue_days": returned.overdue_days if return_details_shown(scope) else 0,
        "damage_case": returned.damage_case,
    }


def shown_capture(scope: Scope, captured: Any) -> dict[str, Any]:
    """A capture scan (予約資料の確保・到着): where the item goes; never for whom."""
    return {
        "route": captured.route,
        "instruction": captured.instruction,
        "title": captured.item.title if allows(scope, DataItem.RESERVATION_ITEM_TITLE) else "",
        "changed": captured.changed,
        "note": captured.note,
    }


def counter_pages(scope: Scope) -> list[str]:
    """The counter menu (``loans`` URL names): every page for library staff, the contract's for an operator."""
    caps = capabilities(scope)
    if Capability.KANA_SEARCH in caps:  # library staff
        return ["counter", "return", "reserve", "pickup", "cancel", "capture", "items", "damage_cases"]
    pages = {
        Capability.LEND: "counter",
        Capability.RETURN: "return",
        Capability.HAND_OVER: "pickup",
        Capability.CAPTURE: "capture",
    }
    return [page for cap, page in pages.items() if cap in caps]


# --- the operator's menu --------------------------------------------------------------------------

_OPERATOR_PAGES = (
    (Capability.FIND_PATRON, "patrons:find", _("利用者検索（登録証）")),
    (Capability.HAND_OVER, "loans:pickup", _("予約資料の受渡し")),
    (Capability.LEND, "loans:counter", _("貸出")),
    (Capability.RETURN, "loans:return", _("返却")),
    (Capability.CAPTURE, "loans:capture", _("予約資料の到着")),
)


def operator_pages(actor: Actor) -> list[tuple[str, str]]:
    """(URL name, label) of the counter pages ``actor``'s contract opens to them, for the menu."""
    caps = capabilities(scope_for(actor))
    return [(name, str(label)) for cap, name, label in _OPERATOR_PAGES if cap in caps]
