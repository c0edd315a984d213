"""The privacy invariant, proved by search (architecture.md "The privacy invariant, in code"; domain §2, §5).

Hypothesis runs random sequences of lend / return (some damaged) / reserve / capture / mark ready /
hand over / cancel / expire / settle-damage / cancel a registration / safety net over three patrons
and four items, through the services and, in a second test, with the counter's work going through
/api/v1 (bearer token) and the counter pages (session). Each example opens with one full round
(lend, reserve behind the loan, return, capture, hand over, damaged return) so that every kind of
ending is always exercised; a successful return, hand-over or cancellation must have deleted its
row. Whenever a loan or reservation ends, and again
after the sequence is drained (every loan returned, every reservation cancelled, every damage case
settled), ``scan_database`` reads EVERY column of EVERY table the database has (live tables,
django-simple-history tables, the access log, sessions, Celery beat, axes, ...) and fails, naming
the table and the columns, when one row still ties a finished loan's or reservation's patron to its
item. A row "references" a patron through a foreign key to patrons_patron, a ``patron_id`` column,
an access-log target ``patron:<pk>``, a simple-history row of the patron, or its card number,
public id or name inside any text or JSON column (session data is decoded first); an item likewise
through loans_item keys, an ``item:<pk>`` target, or its barcode or title. Open damage cases are the
one allowed link, and must be gone once settled.

Two rows can also be joined through a shared value, so the scan also fails when rows naming an
ended loan's or reservation's id, or access-log events sharing one request id, name the pair
between them.

Beside the database: every log record emitted meanwhile (any logger, DEBUG and up, including those
that do not propagate) must carry no card number, public id, name, barcode or title at all; every
Celery task call must carry integer ids only; every URL the HTTP variant requests must contain no
card number or barcode.

On PostgreSQL, ``scan_transaction_ids`` also reads the system columns ``xmin``/``xmax`` of every row:
a transaction that wrote or locked a row naming the patron and one naming the item leaves its id in
both. It found that lending locked the patron row and wrote the item's counter row in one transaction
(``patrons_patron.xmax = loans_itemcirculationstat.xmin`` after the return), that cancelling locked
the patron and the item rows together, and that a damaged return's DamageCase (whose foreign key
KEY SHARE-locks the patron row) outlived its settlement in those columns; loans.services has since
changed all three. Only equal ids are caught: ids one or two apart (a savepoint's subtransaction of
the same transaction) are not.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import itertools
import json
import logging
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client, TestCase
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from loans import erasure, services
from loans.models import DamageCase, Item, Loan, Reservation
from loans.safety_net import safety_net_run
from patrons import services as patron_services
from patrons.models import Branch, Patron, PatronCategory
from patrons.rules import make_card_number
from privacy_admin.core.roles import Role
from tests.factories import make_patron, make_staff

PATRON_TABLE = Patron._meta.db_table
ITEM_TABLE = Item._meta.db_table
DAMAGE_TABLE = DamageCase._meta.db_table

N_PATRONS = 3
N_ITEMS = 4
SETTINGS = hsettings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Test tooling that logs its own arguments (factory_boy narrates every attribute at DEBUG).
NOT_THE_APPLICATION = ("factory", "faker", "hypothesis")

_serial = itertools.count(1)


# --- what identifies a patron or an item -------------------------------------------------------


@dataclass(frozen=True)
class Marks:
    """The strings whose presence in a text column references a patron or an item."""

    pk: int
    strings: tuple[str, ...]


def patron_marks(patron: Patron) -> Marks:
    return Marks(
        patron.pk,
        (
            patron.card_number,
            str(patron.public_id),
            patron.public_id.hex,
            f"{patron.family_name} {patron.given_name}",
            f"{patron.family_name}{patron.given_name}",
            patron.given_name,  # made unique per example
            patron.given_name_kana,
        ),
    )


def item_marks(item: Item) -> Marks:
    return Marks(item.pk, (item.barcode, item.title))


# --- the scan -------------------------------------------------------------------------------------


@dataclass
class RowRefs:
    patrons: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    items: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    loans: set[int] = field(default_factory=set)
    reservations: set[int] = field(default_factory=set)


@dataclass
class Finding:
    table: str
    row: str
    patron_id: int
    item_id: int
    patron_columns: set[str]
    item_columns: set[str]
    why: str = "one row ties a finished loan's or reservation's patron to its item"

    def __str__(self) -> str:
        return (
            f"{self.table} ({self.row}): {self.why} — patron #{self.patron_id} via "
            f"{sorted(self.patron_columns)}, item #{self.item_id} via {sorted(self.item_columns)}"
        )


# JSON keys that hold ids: {"item": 5}, {"patron_ids": [1, 2]} (not "item_count").
_ID_KEY = re.compile(r"^(?P<kind>patron|item|loan|reservation)(_?ids?|_pk|s)?$")
_HISTORICAL = re.compile(r"^(?P<app>[a-z0-9_]+?)_historical(?P<model>[a-z0-9_]+)$")


def _as_text(table: str, column: str, value: Any) -> str | None:
    if value is None or isinstance(value, bool | int | float | dt.date | dt.datetime | dt.time):
        return None
    if isinstance(value, memoryview | bytes | bytearray):
        raw = bytes(value)
        text = raw.decode("utf-8", "replace")
        with contextlib.suppress(ValueError):
            text += "\n" + base64.b64decode(raw, validate=False).decode("utf-8", "replace")
        return text
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    text = str(value)
    if table == "django_session" and column == "session_data":
        from django.contrib.sessions.backends.db import SessionStore

        text += "\n" + json.dumps(SessionStore().decode(text), ensure_ascii=False, default=str)
    elif text[:1] in "[{":
        with contextlib.suppress(ValueError):
            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _json_ids(value: Any, key: str = "") -> Iterator[tuple[str, int]]:
    """(key, int) pairs anywhere in a JSON document: {"item": 5}, {"patron_ids": [1, 2]}."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_ids(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _json_ids(v, key)
    elif isinstance(value, int) and not isinstance(value, bool):
        yield key, value
    elif isinstance(value, str) and value.isdigit() and key:
        yield key, int(value)


def _row_refs(
    table: str,
    columns: list[str],
    row: tuple[Any, ...],
    *,
    patron_cols: set[str],
    item_cols: set[str],
    patrons: list[Marks],
    items: list[Marks],
) -> RowRefs:
    refs = RowRefs()
    values = dict(zip(columns, row, strict=True))
    for col in patron_cols:
        if isinstance(values.get(col), int):
            refs.patrons[values[col]].add(col)
    for col in item_cols:
        if isinstance(values.get(col), int):
            refs.items[values[col]].add(col)
    for col in ("loan_id",):
        if isinstance(values.get(col), int):
            refs.loans.add(values[col])
    for col in ("reservation_id",):
        if isinstance(values.get(col), int):
            refs.reservations.add(values[col])
    # The access log (and anything shaped like it): target_type + target_id.
    target_type, target_id = values.get("target_type"), str(values.get("target_id") or "")
    if isinstance(target_type, str) and target_id.isdigit():
        named = {"patron": refs.patrons, "item": refs.items}.get(target_type)
        if named is not None:
            named[int(target_id)].add("target_type+target_id")
        elif target_type == "loan":
            refs.loans.add(int(target_id))
        elif target_type == "reservation":
            refs.reservations.add(int(target_id))
    for col, value in values.items():
        text = _as_text(table, col, value)
        if text is None:
            continue
        for key, number in _json_ids(value):
            match = _ID_KEY.match(key.lower())
            if match is None:
                continue
            if match["kind"] == "patron":
                refs.patrons[number].add(f"{col}.{key}")
            elif match["kind"] == "item":
                refs.items[number].add(f"{col}.{key}")
            elif match["kind"] == "loan":
                refs.loans.add(number)
            else:
                refs.reservations.add(number)
        for marks, found in ((patrons, refs.patrons), (items, refs.items)):
            for m in marks:
                if any(s and s in text for s in m.strings):
                    found[m.pk].add(col)
    return refs


def scan_database(
    *,
    finished: set[tuple[int, int]],
    ended_loans: dict[int, tuple[int, int]],
    ended_reservations: dict[int, tuple[int, int]],
    patrons: list[Marks],
    items: list[Marks],
    open_damage_cases: set[int],
) -> list[Finding]:
    """Every row of every table; returns what ties a finished (patron, item) pair together."""
    findings: list[Finding] = []
    live = live_pairs()
    pairs = finished - live
    qn = connection.ops.quote_name
    # Rows naming an ended loan or reservation id, by id: two rows may join through it.
    via_loan: dict[tuple[str, int], RowRefs] = defaultdict(RowRefs)
    # Access-log events of one request share its request id, which joins them.
    by_request: dict[str, RowRefs] = defaultdict(RowRefs)
    with connection.cursor() as cursor:
        for table, columns, patron_cols, item_cols in _schema():
            cursor.execute(f"SELECT * FROM {qn(table)}")
            for row in cursor.fetchall():
                refs = _row_refs(
                    table,
                    columns,
                    row,
                    patron_cols=patron_cols,
                    item_cols=item_cols,
                    patrons=patrons,
                    items=items,
                )
                if not refs.patrons and not refs.items and not refs.loans and not refs.reservations:
                    continue
                values = dict(zip(columns, row, strict=True))
                key = "id" if "id" in values else columns[0]
                label = f"{key}={values[key]}"
                allowed = table == DAMAGE_TABLE and values.get("id") in open_damage_cases
                for p, pcols in refs.patrons.items():
                    for i, icols in refs.items.items():
                        if (p, i) in pairs and not allowed:
                            findings.append(Finding(table, label, p, i, pcols, icols))
                        elif table.startswith("audit_") and "target_type" in values:
                            # An access-log event names the patron or the item, never both.
                            findings.append(
                                Finding(
                                    table, label, p, i, pcols, icols, why="an access-log event names both"
                                )
                            )
                for loan_id in refs.loans & set(ended_loans):
                    _merge(via_loan[("loan", loan_id)], refs, f"{table}.{label}")
                for res_id in refs.reservations & set(ended_reservations):
                    _merge(via_loan[("reservation", res_id)], refs, f"{table}.{label}")
                request_id = values.get("request_id")
                if table.startswith("audit_") and request_id:
                    _merge(by_request[str(request_id)], refs, f"{table}.{label}")
    for (kind, pk), refs in via_loan.items():
        findings += _joined(
            refs, pairs, f"rows naming {kind} #{pk}", f"joined through the id of ended {kind}"
        )
    for request_id, refs in by_request.items():
        findings += _joined(
            refs, pairs | _all_pairs(refs), f"audit events of request {request_id}", "joined by request id"
        )
    return findings


_schema_cache: dict[str, list[tuple[str, list[str], set[str], set[str]]]] = {}


def _schema() -> list[tuple[str, list[str], set[str], set[str]]]:
    """Every table with its columns and the columns that hold a patron's or an item's pk.

    Introspected once per database (SQLite's introspection is slow, and the schema does not change
    during the run).
    """
    key = f"{connection.vendor}:{connection.settings_dict['NAME']}"
    if key in _schema_cache:
        return _schema_cache[key]
    schema = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        assert PATRON_TABLE in tables and ITEM_TABLE in tables and "audit_auditevent" in tables
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            relations = connection.introspection.get_relations(cursor, table)
            patron_cols = {c for c, (_col, ref) in relations.items() if ref == PATRON_TABLE}
            item_cols = {c for c, (_col, ref) in relations.items() if ref == ITEM_TABLE}
            patron_cols |= {c for c in columns if c == "patron_id"}
            item_cols |= {c for c in columns if c == "item_id"}
            historical = _HISTORICAL.match(table)
            if historical:
                # A simple-history row's "id" is the pk of the row it copies.
                original = f"{historical['app']}_{historical['model']}"
                if original == PATRON_TABLE:
                    patron_cols.add("id")
                elif original == ITEM_TABLE:
                    item_cols.add("id")
            schema.append((table, columns, patron_cols, item_cols))
    _schema_cache[key] = schema
    return schema


def _merge(into: RowRefs, refs: RowRefs, where: str) -> None:
    for p in refs.patrons:
        into.patrons[p].add(where)
    for i in refs.items:
        into.items[i].add(where)


def _all_pairs(refs: RowRefs) -> set[tuple[int, int]]:
    return {(p, i) for p in refs.patrons for i in refs.items}


def _joined(refs: RowRefs, pairs: set[tuple[int, int]], table: str, why: str) -> list[Finding]:
    return [
        Finding(table, "several rows", p, i, refs.patrons[p], refs.items[i], why=why)
        for p in refs.patrons
        for i in refs.items
        if (p, i) in pairs
    ]


def scan_transaction_ids(
    *,
    finished: set[tuple[int, int]],
    patrons: list[Marks],
    items: list[Marks],
    open_damage_pairs: frozenset[tuple[int, int]] = frozenset(),
) -> list[Finding]:
    """PostgreSQL keeps, in every row, the id of the transaction that wrote it (``xmin``) and of the
    last one that locked or deleted it (``xmax``). A transaction that wrote or locked a row naming
    the patron and a row naming the item leaves the same id in both, readable by anyone with SQL
    access (``... JOIN ... ON s.xmin = p.xmax``) until the rows are written or locked again."""
    pairs = finished - live_pairs() - open_damage_pairs  # an open damage case is the allowed link
    qn = connection.ops.quote_name
    by_patron: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    by_item: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with connection.cursor() as cursor:
        for table, columns, patron_cols, item_cols in _schema():
            cursor.execute(f"SELECT xmin::text, xmax::text, * FROM {qn(table)}")
            for xmin, xmax, *row in cursor.fetchall():
                refs = _row_refs(
                    table,
                    columns,
                    tuple(row),
                    patron_cols=patron_cols,
                    item_cols=item_cols,
                    patrons=patrons,
                    items=items,
                )
                xids = {f"xmin {xmin}": xmin} | ({f"xmax {xmax}": xmax} if xmax != "0" else {})
                for label, xid in xids.items():
                    for p in refs.patrons:
                        by_patron[p][xid].add(f"{table}.{label.split()[0]}")
                    for i in refs.items:
                        by_item[i][xid].add(f"{table}.{label.split()[0]}")
    findings = []
    for p, i in sorted(pairs):
        for xid in sorted(set(by_patron[p]) & set(by_item[i])):
            findings.append(
                Finding(
                    "system columns",
                    f"transaction {xid}",
                    p,
                    i,
                    by_patron[p][xid],
                    by_item[i][xid],
                    why="rows naming the patron and rows naming the item carry the same transaction id",
                )
            )
    return findings


def live_pairs() -> set[tuple[int, int]]:
    """Every pair a live record still links: the kinds come from the erasure module's rules (an open
    damage case is the one link allowed to outlive its loan, checked apart)."""
    pairs: set[tuple[int, int]] = set()
    for model in erasure.LINK_MODELS:
        if model is not DamageCase:
            pairs |= set(model._default_manager.values_list("patron_id", "item_id"))
    return pairs


# --- logs, task calls, URLs ---------------------------------------------------------------------


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def log_records() -> Iterator[list[logging.LogRecord]]:
    """Every record of every logger at DEBUG, including loggers that do not propagate to the root."""
    recorder = Recorder()
    named = ["", "django", "django.request", "django.server", "celery", "loans", "patrons", "privacy_admin"]
    loggers = {logging.getLogger(n) for n in named}
    loggers |= {
        lg
        for lg in logging.Logger.manager.loggerDict.values()
        if isinstance(lg, logging.Logger) and not lg.propagate
    }
    before = {lg: lg.level for lg in loggers}
    for lg in loggers:
        lg.addHandler(recorder)
        if lg.level == logging.NOTSET or lg.level > logging.DEBUG:
            lg.setLevel(logging.DEBUG)
    try:
        yield recorder.records
    finally:
        for lg, level in before.items():
            lg.removeHandler(recorder)
            lg.setLevel(level)


@pytest.fixture
def task_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any, Any]]:
    """Every Celery task call (apply_async, delay, send_task) with its arguments."""
    from celery.app.base import Celery
    from celery.app.task import Task

    calls: list[tuple[str, Any, Any]] = []
    original_apply_async = Task.apply_async
    original_send_task = Celery.send_task

    def apply_async(self: Any, args: Any = None, kwargs: Any = None, *a: Any, **kw: Any) -> Any:
        calls.append((self.name, args, kwargs))
        return original_apply_async(self, args, kwargs, *a, **kw)

    def send_task(self: Any, name: str, args: Any = None, kwargs: Any = None, *a: Any, **kw: Any) -> Any:
        calls.append((name, args, kwargs))
        return original_send_task(self, name, args, kwargs, *a, **kw)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    monkeypatch.setattr(Celery, "send_task", send_task)
    return calls


def _record_texts(record: logging.LogRecord) -> str:
    parts = [str(record.msg)]
    try:
        parts.append(record.getMessage())
    except Exception:  # a broken format string is not what this test is about
        parts.append(repr(record.args))
    parts.append(repr(record.args))
    if record.exc_text:
        parts.append(record.exc_text)
    if record.exc_info and record.exc_info[1] is not None:
        parts.append(repr(record.exc_info[1]))
    standard = logging.makeLogRecord({}).__dict__
    parts += [repr(v) for k, v in record.__dict__.items() if k not in standard and k != "message"]
    return "\n".join(parts)


# --- the machine ------------------------------------------------------------------------------------

patron_index = st.integers(0, N_PATRONS - 1)
item_index = st.integers(0, N_ITEMS - 1)
pick = st.integers(0, 50)


class Circulation(RuleBasedStateMachine):
    """Random counter work over a few patrons and items; the scan runs whenever something ended."""

    # Set by the test function: objects that live for the whole test, outside each example's savepoint.
    actor: ClassVar[Any]
    branches: ClassVar[list[Branch]]
    pickup: ClassVar[Branch]
    categories: ClassVar[list[PatronCategory]]
    log_records: ClassVar[list[logging.LogRecord]]
    task_calls: ClassVar[list[tuple[str, Any, Any]]]
    client: ClassVar[Client | None] = None
    urls: ClassVar[list[str]]
    # What the runs did, summed over all examples: the proof is only as good as what it exercised.
    outcomes: ClassVar[Counter[str]]
    # True: every call commits on its own (transactional test), and transaction ids are scanned too.
    committed: ClassVar[bool] = False

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = None if self.committed else transaction.savepoint()
        del self.log_records[:]
        del self.task_calls[:]
        del self.urls[:]
        self.patrons: list[Patron] = []
        self.items: list[Item] = []
        n = next(_serial)
        tag = uuid.uuid4().hex[:6]
        for k in range(N_PATRONS):
            child = k == 0
            self.patrons.append(
                make_patron(
                    card_number=make_card_number(900000 + n * 10 + k),
                    family_name="閲覧",
                    given_name=f"秘{tag}{k}",
                    given_name_kana=f"ヒ{tag}{k}",
                    category=self.categories[1 if child else 0],
                    birth_date=timezone.localdate() - dt.timedelta(days=365 * (7 if child else 40)),
                    guardian_name="閲覧 保護者" if child else "",
                    # e-mail, guardian's e-mail, phone only: every notice channel gets exercised.
                    email="" if k == 2 else f"reader-{tag}-{k}@example.jp",
                    phone="046-200-0000" if k == 2 else "",
                )
            )
        for k in range(N_ITEMS):
            home = self.branches[k % len(self.branches)]
            self.items.append(
                Item.objects.create(
                    barcode=f"Q{n:05d}{k}{tag}",
                    title=f"禁書目録-{tag}{k}の記憶",
                    author="匿名",
                    home_branch=home,
                    current_branch=home,
                )
            )
        self.patron_marks = [patron_marks(p) for p in self.patrons]
        self.item_marks = [item_marks(i) for i in self.items]
        self.finished: set[tuple[int, int]] = set()
        self.ended_loans: dict[int, tuple[int, int]] = {}
        self.ended_reservations: dict[int, tuple[int, int]] = {}
        self.open_cases: dict[int, tuple[int, int]] = {}
        self.settled_cases: set[int] = set()
        self.something_ended = False
        self._snapshot()

    # -- bookkeeping --

    def _live(self) -> tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
        loans = {pk: (p, i) for pk, p, i in Loan.objects.values_list("pk", "patron_id", "item_id")}
        reservations = {
            pk: (p, i) for pk, p, i in Reservation.objects.values_list("pk", "patron_id", "item_id")
        }
        return loans, reservations

    def _snapshot(self) -> None:
        self.loans_before, self.reservations_before = self._live()

    def _after(self) -> None:
        loans, reservations = self._live()
        for pk, pair in self.loans_before.items():
            if pk not in loans:
                self.ended_loans[pk] = pair
                self.finished.add(pair)
                self.something_ended = True
        for pk, pair in self.reservations_before.items():
            if pk not in reservations:
                self.ended_reservations[pk] = pair
                self.finished.add(pair)
                self.something_ended = True
        for case in DamageCase.objects.filter(pk__in=self.settled_cases):
            raise AssertionError(f"damage case #{case.pk} still exists after it was settled")
        self.open_cases = {
            pk: (p, i) for pk, p, i in DamageCase.objects.values_list("pk", "patron_id", "item_id")
        }
        self.loans_before, self.reservations_before = loans, reservations

    def _do(self, op: Any, /, **kwargs: Any) -> bool:
        """Run one service call as a request would, on_commit callbacks executed. True if it succeeded."""
        name = op.__name__
        ok = False
        with TestCase.captureOnCommitCallbacks(execute=True):
            try:
                op(actor=self.actor, **kwargs)
                ok = True
                self.outcomes[name] += 1
            except ValidationError:
                self.outcomes[f"{name} refused"] += 1  # a refusal changes nothing; what stays behind matters
        self._after()
        return ok

    def _pick(self, queryset: Any, k: int) -> Any:
        rows = list(queryset.order_by("pk"))
        return rows[k % len(rows)] if rows else None

    # -- counter operations --

    @initialize(
        two=st.permutations(range(N_PATRONS)).map(lambda ps: ps[:2]),
        i=item_index,
        b=st.integers(0, 1),
        at=st.integers(0, 2),
    )
    def a_whole_round(self, two: list[int], i: int, b: int, at: int) -> None:
        """Every example starts with each kind of ending once: lend, reserve behind the loan, return
        (the hold goes ready or in transit), capture at the pickup place, hand over, damaged return,
        and a reservation cancelled (so that every example exercises each, whatever the draw)."""
        p, q = (self.patrons[k] for k in two)
        item, branch, pickup = self.items[i], self.branches[b], [*self.branches, self.pickup][at]
        other = self.items[(i + 1) % len(self.items)]
        self._reserve(p, other, pickup)
        cancelled = Reservation.objects.filter(patron=p, item=other).first()
        assert cancelled is not None, "the whole round's reservation was refused"
        self._cancel(cancelled)
        assert not Reservation.objects.filter(pk=cancelled.pk).exists()
        self._lend(p, item, branch)
        self._reserve(q, item, pickup)
        self._return(item, branch, damaged=False)
        self._capture(item, pickup)
        reservation = Reservation.objects.filter(patron=q, item=item).first()
        assert reservation is not None and reservation.status == Reservation.Status.READY, reservation
        self._hand_over(reservation)
        self._return(item, pickup, damaged=True)
        assert DamageCase.objects.filter(patron=q, item=item).exists()

    @rule(p=patron_index, i=item_index, b=st.integers(0, 1))
    def lend(self, p: int, i: int, b: int) -> None:
        self._lend(self.patrons[p], self.items[i], self.branches[b])

    def _lend(self, patron: Patron, item: Item, branch: Branch) -> bool:
        return self._do(
            services.loan_lend, card_number=patron.card_number, barcode=item.barcode, branch_code=branch.code
        )

    @rule(k=pick, b=st.integers(0, 2), damaged=st.sampled_from([False, False, False, True]))
    def return_item(self, k: int, b: int, damaged: bool) -> None:
        """Mostly an item on loan; now and then one that is not (the refusal must change nothing)."""
        loan = self._pick(Loan.objects.select_related("item"), k)
        item = loan.item if loan is not None and k % 7 else self.items[k % N_ITEMS]
        self._return(item, [*self.branches, self.pickup][b], damaged)

    def _return(self, item: Item, branch: Branch, damaged: bool) -> None:
        loan = Loan.objects.filter(item_id=item.pk).first()
        if self._send_return(item, branch, damaged):
            # A return that succeeded ended that loan: its row is gone (方針 第3(2)).
            assert loan is not None, "a return succeeded for an item that was not on loan"
            assert not Loan.objects.filter(pk=loan.pk).exists(), "the loan row survived its return"
            pair = (loan.patron_id, loan.item_id)
            assert not damaged or DamageCase.objects.filter(patron_id=pair[0], item_id=pair[1]).exists()

    def _send_return(self, item: Item, branch: Branch, damaged: bool) -> bool:
        return self._do(
            services.loan_return,
            barcode=item.barcode,
            branch_code=branch.code,
            damaged=damaged,
            damage_description="表紙に水濡れ" if damaged else "",
        )

    @rule(p=patron_index, i=item_index, at=st.integers(0, 2))
    def reserve(self, p: int, i: int, at: int) -> None:
        pickup = [*self.branches, self.pickup][at]
        self._reserve(self.patrons[p], self.items[i], pickup)

    def _reserve(self, patron: Patron, item: Item, pickup: Branch) -> bool:
        return self._do(
            services.reservation_create,
            card_number=patron.card_number,
            barcode=item.barcode,
            pickup_branch_code=pickup.code,
        )

    @rule(i=item_index, at=st.integers(0, 2))
    def capture(self, i: int, at: int) -> None:
        self._capture(self.items[i], [*self.branches, self.pickup][at])

    def _capture(self, item: Item, here: Branch) -> bool:
        return self._do(services.reservation_capture, barcode=item.barcode, branch_code=here.code)

    @rule(k=pick)
    def mark_ready(self, k: int) -> None:
        reservation = self._pick(Reservation.objects.exclude(status=Reservation.Status.READY), k)
        if reservation is not None:
            self._mark_ready(reservation)

    def _mark_ready(self, reservation: Reservation) -> bool:
        return self._do(services.reservation_mark_ready, reservation=reservation)

    @rule(k=pick)
    def hand_over(self, k: int) -> None:
        reservation = self._pick(Reservation.objects.filter(status=Reservation.Status.READY), k)
        if reservation is not None:
            self._hand_over(reservation)

    def _hand_over(self, reservation: Reservation) -> None:
        if self._send_hand_over(reservation):
            # Lending a reserved item erases the reservation in the same transaction (方針 第3(3)).
            assert not Reservation.objects.filter(pk=reservation.pk).exists(), "handed over, still reserved"
            assert Loan.objects.filter(patron_id=reservation.patron_id, item_id=reservation.item_id).exists()

    def _send_hand_over(self, reservation: Reservation) -> bool:
        branch = Branch.objects.get(pk=reservation.pickup_branch_id)
        return self._do(services.reservation_lend, reservation=reservation, branch_code=branch.code)

    @rule(k=pick)
    def cancel(self, k: int) -> None:
        reservation = self._pick(Reservation.objects.all(), k)
        if reservation is not None:
            self._cancel(reservation)

    def _cancel(self, reservation: Reservation) -> None:
        if self._send_cancel(reservation):
            assert not Reservation.objects.filter(pk=reservation.pk).exists(), "cancelled, still there"

    def _send_cancel(self, reservation: Reservation) -> bool:
        return self._do(services.reservation_cancel, reservation=reservation)

    @rule()
    def expire(self) -> None:
        on = _after_holds()
        with TestCase.captureOnCommitCallbacks(execute=True):
            self.outcomes["reservations_expire"] += services.reservations_expire(on=on)
        assert not Reservation.objects.filter(status=Reservation.Status.READY, hold_until__lt=on).exists()
        self._after()

    @rule(p=patron_index)
    def cancel_registration(self, p: int) -> None:
        """The patron moves away; the safety net then erases their reservations (方針 第3(4))."""
        patron = self.patrons[p]
        if p == N_PATRONS - 1 and Patron.objects.filter(pk=patron.pk, status="active").exists():
            self._do(patron_services.patron_cancel, patron=Patron.objects.get(pk=patron.pk), reason="moved")

    @rule(k=pick)
    def settle(self, k: int) -> None:
        case = self._pick(DamageCase.objects.all(), k)
        if case is not None:
            self._do(services.damage_case_settle, case=case)
            self.settled_cases.add(case.pk)
            self._after()

    @rule(later=st.booleans())
    def safety_net(self, later: bool) -> None:
        on = _after_holds() if later else timezone.localdate()
        with TestCase.captureOnCommitCallbacks(execute=True):
            result = safety_net_run(on=on)
        self.outcomes["safety_net_run erased"] += result.total + result.routed_expiries
        for sweeping in erasure.SWEEP_RULES:  # nothing any rule says should be gone is left
            assert not sweeping.model._default_manager.filter(sweeping.predicate(on=on)).exists(), sweeping
        self._after()

    # -- the proof --

    @invariant()
    def nothing_ties_a_finished_pair(self) -> None:
        if self.something_ended:
            self.something_ended = False
            self.check()

    def check(self) -> None:
        findings = scan_database(
            finished=self.finished,
            ended_loans=self.ended_loans,
            ended_reservations=self.ended_reservations,
            patrons=self.patron_marks,
            items=self.item_marks,
            open_damage_cases=set(self.open_cases),
        )
        assert not findings, "privacy invariant broken:\n" + "\n".join(str(f) for f in findings)
        if self.committed:
            findings = scan_transaction_ids(
                finished=self.finished,
                patrons=self.patron_marks,
                items=self.item_marks,
                open_damage_pairs=frozenset(self.open_cases.values()),
            )
            assert not findings, "privacy invariant broken:\n" + "\n".join(str(f) for f in findings)
        self.check_side_channels()

    def check_side_channels(self) -> None:
        cards = [p.card_number for p in self.patrons]
        barcodes = [i.barcode for i in self.items]
        words = [s for m in self.patron_marks + self.item_marks for s in m.strings]
        for record in self.log_records:
            if record.name.split(".")[0] in NOT_THE_APPLICATION:
                continue
            text = _record_texts(record)
            leaked = [w for w in words if w in text]
            assert not leaked, f"log record of {record.name!r} carries {leaked}: {text[:300]!r}"
        for name, args, kwargs in self.task_calls:
            values = list(args or ()) + list((kwargs or {}).values())
            assert all(type(v) is int for v in values), f"task {name} called with {args!r} {kwargs!r}"
        for url in self.urls:
            leaked = [w for w in cards + barcodes if w in url]
            assert not leaked, f"URL {url!r} carries {leaked}"

    def teardown(self) -> None:
        try:
            self.drain()
        finally:
            if self.savepoint is not None:
                transaction.savepoint_rollback(self.savepoint)

    def drain(self) -> None:
        """End everything, then scan: every pair this example ever made is now a finished pair."""
        for reservation in Reservation.objects.order_by("pk"):
            self._cancel(reservation)
        for loan in Loan.objects.select_related("item").order_by("pk"):
            self._return(loan.item, self.branches[0], damaged=False)
        for case in DamageCase.objects.order_by("pk"):
            self._do(services.damage_case_settle, case=case)
            self.settled_cases.add(case.pk)
        self._after()
        assert not Loan.objects.exists() and not Reservation.objects.exists()
        assert not DamageCase.objects.exists(), "a settled damage case is still there"
        self.check()


def _after_holds() -> dt.date:
    """A day on which every hold made today has run out."""
    return timezone.localdate() + dt.timedelta(days=settings.LOANS_HOLD_DAYS + 1)


@pytest.fixture
def circulation_world(
    db: None,
    log_records: list[logging.LogRecord],
    task_calls: list[tuple[str, Any, Any]],
) -> type[Circulation]:
    central = Branch.objects.create(code="central", name="中央図書館", kind=Branch.Kind.CENTRAL)
    kita = Branch.objects.create(code="kita", name="北分館", kind=Branch.Kind.BRANCH)
    pickup = Branch.objects.create(
        code="pickup-east", name="東口受取窓口", kind=Branch.Kind.PICKUP, accepts_registration=False
    )
    Circulation.actor = make_staff("counter", Role.COUNTER, central)
    Circulation.branches = [central, kita]
    Circulation.pickup = pickup
    Circulation.categories = [
        PatronCategory.objects.create(code="general", name="一般"),
        PatronCategory.objects.create(code="child", name="児童", is_child=True),
    ]
    Circulation.log_records = log_records
    Circulation.task_calls = task_calls
    Circulation.urls = []
    Circulation.outcomes = Counter()
    return Circulation


def test_no_row_ties_a_finished_loan_or_reservation_to_its_patron(
    circulation_world: type[Circulation],
) -> None:
    run_state_machine_as_test(circulation_world, settings=SETTINGS)
    print(dict(circulation_world.outcomes))
    _exercised(circulation_world.outcomes)


def _exercised(outcomes: Counter[str]) -> None:
    """Every kind of ending happened at least once (otherwise the scans proved little)."""
    for name in (
        "loan_lend",
        "loan_return",
        "reservation_create",
        "reservation_lend",
        "reservation_cancel",
        "damage_case_settle",
    ):
        assert outcomes[name] > 0, f"{name} never succeeded: {dict(outcomes)}"
    assert outcomes["reservation_capture"] + outcomes["reservation_mark_ready"] > 0, dict(outcomes)


# --- the same, with lending and returns through the HTTP API ------------------------------------


class CirculationOverHttp(Circulation):
    """The same machine, but the counter works over HTTP: lend, return, reserve, hand over, cancel and
    mark ready through /api/v1 with a bearer token; damaged returns and captures through the counter
    pages with a signed-in session. Expiry, settling and the safety net stay service calls."""

    token: ClassVar[str]
    statuses: ClassVar[Counter[str]]

    def _post(self, path: str, body: dict[str, Any], *, api: bool = True) -> bool:
        assert self.client is not None
        self.urls.append(path)
        with TestCase.captureOnCommitCallbacks(execute=True):
            if api:
                response = self.client.post(
                    path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.token}"
                )
            else:
                response = self.client.post(path, body)
        assert response.status_code in (200, 201, 404, 409, 422), (
            path,
            response.status_code,
            response.content[:300],
        )
        route = re.sub(r"/[0-9]+/", "/{id}/", path)
        self.statuses[f"{route} {response.status_code}"] += 1
        self.urls.append(response.get("Location", ""))
        self._after()
        return response.status_code in (200, 201)

    def _lend(self, patron: Patron, item: Item, branch: Branch) -> bool:
        return self._post(
            "/api/v1/loans",
            {"card_number": patron.card_number, "barcode": item.barcode, "branch": branch.code},
        )

    def _send_return(self, item: Item, branch: Branch, damaged: bool) -> bool:
        if damaged:
            return self._post(
                "/circulation/return/",
                {
                    "branch": branch.code,
                    "scan": item.barcode,
                    "damaged": "on",
                    "damage_description": "表紙に水濡れ",
                },
                api=False,
            )
        return self._post("/api/v1/returns", {"barcode": item.barcode, "branch": branch.code})

    def _reserve(self, patron: Patron, item: Item, pickup: Branch) -> bool:
        return self._post(
            "/api/v1/reservations",
            {"card_number": patron.card_number, "barcode": item.barcode, "pickup_branch": pickup.code},
        )

    def _send_hand_over(self, reservation: Reservation) -> bool:
        branch = Branch.objects.get(pk=reservation.pickup_branch_id)
        return self._post(f"/api/v1/reservations/{reservation.pk}/lend", {"branch": branch.code})

    def _send_cancel(self, reservation: Reservation) -> bool:
        return self._post(f"/api/v1/reservations/{reservation.pk}/cancel", {})

    def _mark_ready(self, reservation: Reservation) -> bool:
        return self._post(f"/api/v1/reservations/{reservation.pk}/ready", {})

    def _capture(self, item: Item, here: Branch) -> bool:
        return self._post("/circulation/capture/", {"branch": here.code, "scan": item.barcode}, api=False)


def test_no_row_ties_a_finished_pair_when_the_counter_uses_http(
    circulation_world: type[Circulation], client: Client
) -> None:
    from privacy_admin.accounts.services import api_token_create

    client.force_login(circulation_world.actor, backend="django.contrib.auth.backends.ModelBackend")
    CirculationOverHttp.client = client
    CirculationOverHttp.token = api_token_create(actor=None, user=circulation_world.actor)
    CirculationOverHttp.statuses = Counter()
    try:
        run_state_machine_as_test(
            CirculationOverHttp, settings=hsettings(SETTINGS, max_examples=max(5, SETTINGS.max_examples // 3))
        )
    finally:
        CirculationOverHttp.client = None
    statuses = CirculationOverHttp.statuses
    print(dict(statuses))
    for route, status in [
        ("/api/v1/loans", 201),
        ("/api/v1/returns", 200),
        ("/api/v1/reservations", 201),
        ("/api/v1/reservations/{id}/lend", 201),
        ("/circulation/return/", 200),
        ("/circulation/capture/", 200),
    ]:
        assert statuses[f"{route} {status}"] > 0, f"{route} never answered {status}: {dict(statuses)}"


# --- the scan itself finds what it is looking for -------------------------------------------------


def test_the_scan_finds_a_leftover_link(circulation_world: type[Circulation]) -> None:
    """A loan row left behind after its pair finished is found, with its table and columns."""
    patron = make_patron(card_number=make_card_number(777001), given_name="検出")
    item = Item.objects.create(
        barcode="Q77700199", title="残存記録の書", home_branch=circulation_world.branches[0]
    )
    loan = Loan.objects.create(
        item=item,
        patron=patron,
        branch=circulation_world.branches[0],
        lent_at=timezone.now(),
        due_on=timezone.localdate(),
    )
    from privacy_admin.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            actor=None, action="circulation.test", target_type="item", target_id=item.pk, patron_id=patron.pk
        )
    findings = scan_database(
        finished={(patron.pk, item.pk)},
        ended_loans={},
        ended_reservations={},
        patrons=[patron_marks(patron)],
        items=[item_marks(item)],
        open_damage_cases=set(),
    )
    # The live loan counts as live; delete it from the bookkeeping's point of view by scanning as finished.
    assert any(f.table.startswith("audit_") for f in findings), findings
    Loan.objects.filter(pk=loan.pk).delete()
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["counter_note"] = f"{patron.card_number} {item.title}"
    session.create()
    findings = scan_database(
        finished={(patron.pk, item.pk)},
        ended_loans={},
        ended_reservations={},
        patrons=[patron_marks(patron)],
        items=[item_marks(item)],
        open_damage_cases=set(),
    )
    tables = {f.table for f in findings}
    assert "django_session" in tables, findings
    assert any("audit_" in t for t in tables), findings


class CirculationCommitted(Circulation):
    """Every service call commits, as at a real counter: transaction ids in the system columns mean
    something, and the scan reads them too. Earlier examples' rows stay (their marks differ)."""

    committed = True


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
def test_no_transaction_id_ties_a_finished_pair_in_random_sequences(
    circulation_world: type[Circulation],
) -> None:
    CirculationCommitted.outcomes = Counter()
    run_state_machine_as_test(
        CirculationCommitted,
        # Shrinking a committed run re-runs it many times against a growing database: report as found.
        settings=hsettings(
            SETTINGS,
            max_examples=6,
            stateful_step_count=15,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
        ),
    )
    _exercised(CirculationCommitted.outcomes)


def _lend_return(actor: Any, patron: Patron, item: Item) -> None:
    services.loan_lend(
        actor=actor, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    services.loan_return(actor=actor, barcode=item.barcode, branch_code="central")


def _reserve_cancel(actor: Any, patron: Patron, item: Item) -> None:
    services.reservation_create(
        actor=actor, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="kita"
    )
    services.reservation_cancel(actor=actor, reservation=Reservation.objects.get(item=item))


def _reserve_hand_over_return(actor: Any, patron: Patron, item: Item) -> None:
    services.reservation_create(
        actor=actor, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="kita"
    )
    services.reservation_capture(actor=actor, barcode=item.barcode, branch_code="kita")
    services.reservation_lend(actor=actor, reservation=Reservation.objects.get(item=item), branch_code="kita")
    services.loan_return(actor=actor, barcode=item.barcode, branch_code="kita")


def _reserve_expire(actor: Any, patron: Patron, item: Item) -> None:
    services.reservation_create(
        actor=actor, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    services.reservation_capture(actor=actor, barcode=item.barcode, branch_code="central")
    services.reservations_expire(on=_after_holds())


def _damaged_return_settle(actor: Any, patron: Patron, item: Item) -> None:
    services.loan_lend(
        actor=actor, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    services.loan_return(
        actor=actor, barcode=item.barcode, branch_code="central", damaged=True, damage_description="破れ"
    )
    services.damage_case_settle(actor=actor, case=DamageCase.objects.get(item=item))


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "scenario",
    [
        _lend_return,
        _reserve_cancel,
        _reserve_hand_over_return,
        _reserve_expire,
        _damaged_return_settle,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_no_transaction_id_ties_a_finished_pair(
    scenario: Any, counter_staff: Any, central: Branch, general_category: Any
) -> None:
    """Every service call commits on its own here, as at a real counter, so transaction ids mean something."""
    Branch.objects.create(code="kita", name="北分館", kind=Branch.Kind.BRANCH)
    patron = make_patron(card_number=make_card_number(880001), given_name="甲乙丙", category=general_category)
    item = Item.objects.create(
        barcode="T880001", title="取引番号の書", home_branch=central, current_branch=central
    )
    scenario(counter_staff, patron, item)
    assert not Loan.objects.exists() and not Reservation.objects.exists() and not DamageCase.objects.exists()

    finished = {(patron.pk, item.pk)}
    marks = [patron_marks(patron)], [item_marks(item)]
    # The row-level scan finds nothing: any link left is in the system columns only.
    assert not scan_database(
        finished=finished,
        ended_loans={},
        ended_reservations={},
        patrons=marks[0],
        items=marks[1],
        open_damage_cases=set(),
    )
    findings = scan_transaction_ids(finished=finished, patrons=marks[0], items=marks[1])
    assert not findings, "privacy invariant broken:\n" + "\n".join(str(f) for f in findings)


# --- the patron's own reading history (issue 16) -----------------------------------------------------


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "scenario", [_lend_return, _reserve_hand_over_return], ids=lambda f: f.__name__.strip("_")
)
def test_with_the_reading_history_on_nothing_readable_ties_a_finished_pair(
    scenario: Any, counter_staff: Any, central: Branch, general_category: Any, settings: Any
) -> None:
    """A patron who opted in gets an entry at each return: sealed to the patron's key, so the whole
    database (the history table included) and its system columns still tie no patron to the item."""
    from django.contrib.auth.hashers import make_password

    from mypage import services as mypage_services
    from mypage.models import HistoryEntry

    settings.READING_HISTORY_AVAILABLE = True
    settings.READING_HISTORY_ARGON2_TIME_COST = 1
    settings.READING_HISTORY_ARGON2_MEMORY_KIB = 64
    Branch.objects.create(code="kita", name="北分館", kind=Branch.Kind.BRANCH)
    patron = make_patron(
        card_number=make_card_number(880002),
        given_name="丁戊己",
        category=general_category,
        password=make_password("Reading-History-880"),
    )
    mypage_services.history_enable(patron=patron, password="Reading-History-880")
    item = Item.objects.create(
        barcode="T880002", title="封緘の書", home_branch=central, current_branch=central
    )
    scenario(counter_staff, patron, item)
    entries = list(HistoryEntry.objects.filter(patron=patron))
    assert len(entries) == 1
    assert "封緘の書".encode() not in bytes(entries[0].sealed) and b"T880002" not in bytes(entries[0].sealed)

    finished = {(patron.pk, item.pk)}
    marks = [patron_marks(patron)], [item_marks(item)]
    assert not scan_database(
        finished=finished,
        ended_loans={},
        ended_reservations={},
        patrons=marks[0],
        items=marks[1],
        open_damage_cases=set(),
    )
    findings = scan_transaction_ids(finished=finished, patrons=marks[0], items=marks[1])
    assert not findings, "privacy invariant broken:\n" + "\n".join(str(f) for f in findings)
