"""Every circulation write: items, lending, returns, reservations, damage cases (domain.md §2, §5).

One module per stage: ``items`` (checking and registering items), ``lending`` (lend and return),
``reservations`` (create, capture, mark ready, hand over, cancel, expire), ``damage`` (settling a
damage case); ``_common`` holds what they share (input shapes, refusals, lookups, access-log events,
routing). Every public name is imported here: callers use ``loans.services.<name>``.

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

from privacy_admin.core.dates import today

from ._common import (
    CONFLICT,
    HELD,
    Route,
    Routing,
    is_barcode_shape,
    is_card_shape,
    is_conflict,
    normalize_barcode,
    normalize_card_number,
)
from .damage import damage_case_settle
from .items import CleanItem, ItemInput, item_create, item_validate
from .lending import ReturnResult, loan_lend, loan_return
from .reservations import (
    CaptureResult,
    reservation_cancel,
    reservation_capture,
    reservation_create,
    reservation_lend,
    reservation_mark_ready,
    reservations_expire,
)

__all__ = [
    "CONFLICT",
    "HELD",
    "CaptureResult",
    "CleanItem",
    "ItemInput",
    "ReturnResult",
    "Route",
    "Routing",
    "damage_case_settle",
    "is_barcode_shape",
    "is_card_shape",
    "is_conflict",
    "item_create",
    "item_validate",
    "loan_lend",
    "loan_return",
    "normalize_barcode",
    "normalize_card_number",
    "reservation_cancel",
    "reservation_capture",
    "reservation_create",
    "reservation_lend",
    "reservation_mark_ready",
    "reservations_expire",
    "today",
]
