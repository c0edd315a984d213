"""Reads of the register: the staff list, the public list (山梨県 要綱 第16条第5項: open to public inspection) and
the change history with a field-by-field difference in Japanese.

The register holds no personal data, so what differs between staff and the public is which entries
they see (the public sees registered entries only: an abolished one's registration is struck out,
第16条第4項) and that the public history names no staff member.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.dates import format_date
from register.models import CollectionSource, RegisterEntry
from register.services.entries import EDITABLE_FIELDS, field_label

SEARCH_MAX = 100  # characters of a search query used

# Fields shown in the history, in the order of the register's sheet.
HISTORY_FIELDS: tuple[str, ...] = (*EDITABLE_FIELDS, "changed_on", "abolished_on", "status")
_ORDER = {value: i for i, value in enumerate(HISTORY_FIELDS)}
# simple-history's types, and the abolition (a change to status "abolished").
_KINDS = {"+": "create", "~": "change", "-": "delete"}
KIND_LABELS = {"create": _("登録"), "change": _("変更"), "abolish": _("廃止"), "delete": _("削除")}


def _search(qs: QuerySet[RegisterEntry], q: str) -> QuerySet[RegisterEntry]:
    for word in q.strip()[:SEARCH_MAX].split():
        condition = Q(name__icontains=word) | Q(purpose__icontains=word) | Q(department__icontains=word)
        if word.isdigit():
            condition |= Q(number=int(word))
        qs = qs.filter(condition)
    return qs


def entries_for_staff(*, status: str = "", q: str = "") -> QuerySet[RegisterEntry]:
    """The staff list: every entry, or those of ``status``; ``q`` searches name, purpose and department."""
    qs = RegisterEntry.objects.order_by("number")
    if status in RegisterEntry.Status.values:
        qs = qs.filter(status=status)
    return _search(qs, q) if q else qs


def public_entries(*, q: str = "") -> QuerySet[RegisterEntry]:
    """What the public sees (山梨県 要綱 第16条第5項): registered entries only."""
    qs = RegisterEntry.objects.filter(status=RegisterEntry.Status.REGISTERED).order_by("number")
    return _search(qs, q) if q else qs


def get_public_entry(pk: int) -> RegisterEntry:
    """A registered entry, or 404 (an abolished entry's registration is struck out: 第16条第4項)."""
    entry = RegisterEntry.objects.filter(pk=pk, status=RegisterEntry.Status.REGISTERED).first()
    if entry is None:
        raise Http404
    return entry


def get_entry(pk: int) -> RegisterEntry:
    entry = RegisterEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


# --- values as printed ---------------------------------------------------------------------------


def display_value(name: str, value: Any) -> str:
    """A field's value as the register prints it (labels, あり/なし, 和暦)."""
    if value is None or value == "" or value == []:
        return "—"
    if name == "extra_items":
        return "、".join(str(DataItem(v).label) if v in DataItem.values else str(v) for v in value)
    if name == "collection_sources":
        return "、".join(
            str(CollectionSource(v).label) if v in CollectionSource.values else str(v) for v in value
        )
    if name == "status":
        return str(RegisterEntry.Status(value).label) if value in RegisterEntry.Status.values else str(value)
    if isinstance(value, bool):
        return str(_("あり") if value else _("なし"))
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def collection_source_labels(entry: RegisterEntry) -> list[str]:
    return [str(CollectionSource(v).label) for v in entry.collection_sources if v in CollectionSource.values]


def extra_item_labels(entry: RegisterEntry) -> list[str]:
    return [str(DataItem(v).label) for v in entry.extra_items if v in DataItem.values]


# --- history ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime  # when it was written
    on: dt.date | None  # the register's own date: 登録日, 変更日 or 廃止日
    kind: str  # create / change / abolish / delete
    user: str  # staff username, "" when unknown (shown to staff only)
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def entry_history(entry: RegisterEntry, *, with_users: bool = True) -> list[HistoryRow]:
    """The entry's history, oldest first, each change with its reason and field-by-field difference.

    ``with_users=False`` (the public page) leaves the staff member out.
    """
    records = list(entry.history.select_related("history_user").order_by("history_date", "history_id"))
    rows: list[HistoryRow] = []
    previous = None
    for record in records:
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=list(HISTORY_FIELDS))
            for change in sorted(delta.changes, key=lambda c: _ORDER.get(c.field, 999)):
                changes.append(
                    FieldChange(
                        field=change.field,
                        label=field_label(change.field),
                        old=display_value(change.field, change.old),
                        new=display_value(change.field, change.new),
                    )
                )
        kind = _KINDS.get(record.history_type, record.history_type)
        if (
            previous is not None
            and record.status == RegisterEntry.Status.ABOLISHED
            and previous.status != record.status
        ):
            kind = "abolish"
        user = record.history_user.get_username() if with_users and record.history_user else ""
        on = {"create": record.registered_on, "abolish": record.abolished_on}.get(kind, record.changed_on)
        rows.append(
            HistoryRow(
                at=record.history_date,
                on=on,
                kind=kind,
                user=user,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
        previous = record
    if not records or records[0].history_type != "+":
        # Registered before its history was kept (the data migration): the registration itself.
        registered_at = timezone.make_aware(dt.datetime.combine(entry.registered_on, dt.time()))
        rows.insert(
            0, HistoryRow(at=registered_at, on=entry.registered_on, kind="create", user="", reason="")
        )
    return rows
