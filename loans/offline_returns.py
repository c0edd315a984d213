"""The mobile library's offline returns: record them, erase their loans (市川市 方針 第3(2)).

The mobile library lends and takes returns without a connection; its returns come back later as a
CSV (``barcode,returned_at``). Step 1 stamps the items (``Item.last_returned_at``); step 2 erases the
loans those returns ended through the erasure module's returned-loan rule, restricted to these
items — so an import interrupted between the steps leaves exactly what the safety net's sweep of
the same rule erases on its next run.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patrons.models import Branch
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor

from . import erasure
from .models import Item, Loan, Reservation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OfflineReturn:
    barcode: str
    returned_at: dt.datetime  # aware


@dataclass
class OfflineImportResult:
    rows: int = 0
    stamped: int = 0
    unknown: int = 0
    older: int = 0  # a later return of the item was already recorded
    loans_erased: int = 0
    waiting_reservations: int = 0  # items that someone waits for: staff scan them (予約資料の確保)


_IMPORT_CHUNK = 1000


OFFLINE_MAX_ROWS = 100_000
_FUTURE_SLACK = dt.timedelta(minutes=5)


def parse_offline_returns(lines: Iterable[str]) -> tuple[list[OfflineReturn], list[str]]:
    """CSV rows ``barcode,returned_at`` (ISO 8601; a time without zone is local; a header is optional).

    Returns the rows and Japanese error messages naming line numbers only — never a barcode.
    """
    from .services import is_barcode_shape, normalize_barcode

    rows: list[OfflineReturn] = []
    errors: list[str] = []
    now = timezone.now()
    for line_no, record in enumerate(csv.reader(lines), start=1):
        if not record or not any(cell.strip() for cell in record):
            continue
        if line_no == 1 and record[0].strip().lower() in ("barcode", "資料番号"):
            continue
        if len(rows) + len(errors) >= OFFLINE_MAX_ROWS:
            errors.append(
                _("%(n)d行目以降: 1回に取り込めるのは%(max)d行までです。")
                % {"n": line_no, "max": OFFLINE_MAX_ROWS}
            )
            break
        if len(record) < 2:
            errors.append(_("%(n)d行目: 資料番号と返却日時の2列が必要です。") % {"n": line_no})
            continue
        barcode = normalize_barcode(record[0])
        try:
            at = dt.datetime.fromisoformat(record[1].strip())
        except ValueError:
            errors.append(
                _("%(n)d行目: 返却日時の形式が正しくありません（例: 2026-11-20 14:05）。") % {"n": line_no}
            )
            continue
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        if not is_barcode_shape(barcode):
            errors.append(_("%(n)d行目: 資料番号の形式が正しくありません。") % {"n": line_no})
        elif at > now + _FUTURE_SLACK:
            errors.append(_("%(n)d行目: 返却日時が未来になっています。") % {"n": line_no})
        else:
            rows.append(OfflineReturn(barcode=barcode, returned_at=at))
    return rows, errors


def loans_import_offline_returns(
    *, actor: Actor, rows: Iterable[OfflineReturn], branch: Branch | None = None
) -> OfflineImportResult:
    """Record returns made offline at the mobile library and erase their loans (方針 第3(2)).

    Step 1 stamps the items in bulk (``last_returned_at``, and for the item whose current loan this
    return ends: status 在架 and, given ``branch``, the place), one transaction per 1,000 items.
    Step 2 deletes those loans by join (``item.last_returned_at >= loan.lent_at``) with the return
    counted into the anonymous statistics — the safety net's own kind (b), restricted to these items.
    An interruption between the steps leaves exactly the loans the safety net erases (and counts)
    on its next run.
    A return older than the item's current loan (the item was lent again) stamps nothing of that loan.
    The access-log event carries counts only: no patron, no item.
    """
    from .services import is_barcode_shape, normalize_barcode

    latest: dict[str, dt.datetime] = {}
    result = OfflineImportResult()
    for row in rows:
        result.rows += 1
        code = normalize_barcode(row.barcode)
        if not is_barcode_shape(code) or timezone.is_naive(row.returned_at):
            raise ValidationError({"rows": [_("資料番号または返却日時の形式が正しくない行があります。")]})
        if code not in latest or row.returned_at > latest[code]:
            latest[code] = row.returned_at
    ended: list[int] = []
    codes = sorted(latest)
    for chunk in _chunks(codes, _IMPORT_CHUNK):
        with transaction.atomic():
            items = list(
                Item.objects.select_for_update()
                .filter(barcode__in=chunk)
                .only("id", "barcode", "status", "last_returned_at", "current_branch_id")
            )
            result.unknown += len(chunk) - len(items)
            lent_at = dict(
                Loan.objects.filter(item_id__in=[i.pk for i in items]).values_list("item_id", "lent_at")
            )
            changed = []
            for item in items:
                at = latest[item.barcode]
                if item.last_returned_at is not None and item.last_returned_at >= at:
                    result.older += 1
                    continue
                item.last_returned_at = at
                loan_started = lent_at.get(item.pk)
                if loan_started is not None and loan_started <= at:
                    ended.append(item.pk)
                    if item.status != Item.Status.WITHDRAWN:
                        item.status = Item.Status.AVAILABLE
                    if branch is not None:
                        item.current_branch = branch
                changed.append(item)
            Item.objects.bulk_update(changed, ["last_returned_at", "status", "current_branch"])
            result.stamped += len(changed)
    result.loans_erased = _erase_returned_loans(item_ids=ended)
    result.waiting_reservations = (
        Reservation.objects.filter(item_id__in=ended, status=Reservation.Status.WAITING)
        .values("item_id")
        .distinct()
        .count()
        if ended
        else 0
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="circulation.offline_return_import",
            target_type="import",
            branch_code=branch.code if branch is not None else None,
            detail={
                "rows": result.rows,
                "stamped": result.stamped,
                "unknown": result.unknown,
                "older": result.older,
                "loans": result.loans_erased,
                "waiting": result.waiting_reservations,
            },
        )
    logger.info(
        "offline returns imported: rows=%d stamped=%d unknown=%d loans=%d",
        result.rows,
        result.stamped,
        result.unknown,
        result.loans_erased,
    )
    return result


def _erase_returned_loans(*, item_ids: Sequence[int]) -> int:
    """Step 2 of the import: the returned-loan rule, restricted to ``item_ids`` (貸出回数 counted)."""
    on = timezone.localdate()
    erased = 0
    for chunk in _chunks(sorted(item_ids), _IMPORT_CHUNK):
        placeholders = ", ".join(["%s"] * len(chunk))
        extra = (f"{{t}}.item_id IN ({placeholders})", list(chunk))
        n, _batches = erasure.sweep(
            erasure.RETURNED_LOAN, on=on, batch_size=len(chunk), item_loans=True, extra=extra
        )
        erased += n
    return erased


def _chunks(values: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
