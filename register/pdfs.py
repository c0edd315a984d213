"""The register's PDFs: one entry's sheet, and the whole register in the 山梨県 要綱's or the APPI's layout.

* 個人情報取扱事務登録簿 (山梨県 要綱 第16条第1項: 名称, 目的, 所管する組織, 対象者の範囲, 記録項目, 収集先, and
  under 第7号 the items the library sets: 外部委託, オンライン結合, 要配慮個人情報, 経常的提供先, 保存期間,
  請求を受け付ける組織), with the 登録日 / 変更日 / 廃止日 of 第16条第2項・第4項.
* 個人情報ファイル簿 (個人情報保護法 第75条第1項, items of 第74条第1項: ファイルの名称, 利用に供される事務を
  つかさどる組織, 利用目的, 記録項目, 記録範囲, 収集方法, 要配慮個人情報が含まれるときはその旨, 経常的提供先,
  開示等の請求を受理する組織, 訂正・利用停止に関する他の法令による特別の手続, ファイルの種別).

The 記録項目 come from the field inventory (``inventory.entry_record_items``), never typed again. The
whole register — cover, contents, one sheet per entry, the change log (every registration, change and
abolition up to the 基準日, oldest first) — is put together by ``register_pdf``.

Speed (issue 5: 300 entries < 10 s, one entry < 1 s; ``make bench``): WeasyPrint's cost is per box and,
for tables laid out automatically, per break opportunity — and Japanese text breaks at every character,
so an ``auto`` table measures each cell character by character. Every table here is
``table-layout: fixed`` with its column widths given, the sheets have no cell backgrounds and no
running header, styles are a handful of class selectors in one stylesheet, and the history of all
entries is read in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from privacy_admin.core.dates import format_date
from register.inventory import entry_record_items, inventory_items
from register.models import CollectionSource, RegisterEntry, RegisterPrint
from register.selectors import HISTORY_FIELDS, display_value

Progress = Callable[[int], None]
Layout = RegisterPrint.Layout

TITLES = {
    Layout.REGISTER: "個人情報取扱事務登録簿",
    Layout.APPI_FILE_BOOK: "個人情報ファイル簿",
}
BASIS = {
    Layout.REGISTER: "山梨県立図書館の個人情報の保護に関する要綱 第16条",
    Layout.APPI_FILE_BOOK: "個人情報の保護に関する法律 第75条",
}
_KIND_REGISTER, _KIND_CHANGE, _KIND_ABOLISH, _KIND_DELETE = "登録", "変更", "廃止", "抹消"


# --- what a sheet shows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    group: str = ""  # on a group's first row: the group's heading, printed down the rows
    group_size: int = 0  # on a group's first row: how many rows the group has
    in_group: bool = False


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One registration, change or abolition of an entry, as the change log prints it."""

    on: dt.date
    at: dt.datetime
    entry_number: int
    entry_name: str
    kind: str
    reason: str
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class Sheet:
    anchor: str
    number: int
    name: str
    abolished: bool
    rows: list[Row]


def _wareki(day: dt.date | None) -> str:
    if day is None:
        return "—"
    return format_date(day)


def _text(value: str | None, default: str = "—") -> str:
    value = (value or "").strip()
    return value or default


def _with_note(flag: bool, note: str) -> str:
    text = "あり" if flag else "なし"
    note = (note or "").strip()
    return f"{text}（{note}）" if flag and note else text


def _record_items(entry: RegisterEntry) -> str:
    # 第16条第1項第5号: from the field inventory and the entry's own items, never typed again here.
    return "、".join(entry_record_items(entry)) or "—"


def _sources(entry: RegisterEntry) -> str:
    labels = [
        str(CollectionSource(v).label) for v in entry.collection_sources or [] if v in CollectionSource.values
    ]
    text = "、".join(labels) or "—"
    note = (entry.collection_source_note or "").strip()
    return f"{text}（{note}）" if note else text


def _group(heading: str, rows: list[tuple[str, str]]) -> list[Row]:
    return [
        Row(
            label,
            value,
            group=heading if i == 0 else "",
            group_size=len(rows) if i == 0 else 0,
            in_group=True,
        )
        for i, (label, value) in enumerate(rows)
    ]


def _dates(entry: RegisterEntry) -> list[Row]:
    # 第16条第2項 (registered before the activity starts, changes registered) and 第4項 (abolition).
    return [
        Row("事務の開始日", _wareki(entry.starts_on)),
        Row(
            "登録日・変更日・廃止日",
            f"登録 {_wareki(entry.registered_on)}　変更 {_wareki(entry.changed_on)}　"
            f"廃止 {_wareki(entry.abolished_on)}",
        ),
    ]


def register_rows(entry: RegisterEntry) -> list[Row]:
    """The items of 山梨県 要綱 第16条第1項 in the order of the article, then the dates of 第2項・第4項."""
    return [
        Row("個人情報取扱事務の名称", entry.name),  # (1)
        Row("個人情報取扱事務の目的", entry.purpose),  # (2)
        Row("個人情報取扱事務を所管する組織の名称", entry.department),  # (3)
        Row("保有個人情報の対象者の範囲", entry.subjects),  # (4)
        Row("保有個人情報の記録項目", _record_items(entry)),  # (5)
        Row("保有個人情報の収集先", _sources(entry)),  # (6)
        *_group(  # (7) 前各号に掲げるもののほか、指定管理者が別に定める事項
            # broken where a reader would break it: the group's column is narrow (_style.css, th.g)
            "指定管理者が\n別に定める\n事項",
            [
                ("外部委託の有無", _with_note(entry.outsourced, entry.outsourcing_note)),
                ("オンライン結合の有無", _with_note(entry.online_connection, entry.online_connection_note)),
                ("要配慮個人情報の有無", "あり" if entry.sensitive else "なし"),
                ("経常的提供先", _text(entry.regular_recipients, "なし")),
                ("保存期間", _text(entry.retention_period)),
                ("開示等の請求を受け付ける組織", _text(entry.request_office)),
            ],
        ),
        *_dates(entry),
    ]


def _file_kind(entry: RegisterEntry) -> str:
    # 法第60条第2項: a file the code processes (it declares fields for the entry) is 電算処理ファイル.
    if inventory_items(entry.code):
        return "電算処理ファイル（法第60条第2項第1号）"
    return "マニュアル処理ファイル（法第60条第2項第2号）"


def appi_rows(entry: RegisterEntry) -> list[Row]:
    """個人情報ファイル簿 (法第75条第1項: the items of 第74条第1項 that apply to a local government's file)."""
    return [
        Row("個人情報ファイルの名称", _text(entry.file_name, entry.name)),
        Row("地方公共団体の機関等の名称", settings.LIBRARY_NAME),
        Row("個人情報ファイルが利用に供される事務をつかさどる組織の名称", entry.department),
        Row("個人情報ファイルの利用目的", entry.purpose),
        Row("記録項目", _record_items(entry)),
        Row("記録範囲", _text(entry.record_range, entry.subjects)),
        Row("記録情報の収集方法", _text(entry.collection_method, _sources(entry))),
        Row("要配慮個人情報が含まれるときは、その旨", "含む" if entry.sensitive else "含まない"),
        Row("記録情報の経常的提供先", _text(entry.regular_recipients, "なし")),
        Row("開示請求等を受理する組織の名称及び所在地", _text(entry.request_office)),
        Row(
            "訂正及び利用停止に関する他の法令の規定による特別の手続等", _text(entry.special_procedure, "なし")
        ),
        Row("個人情報ファイルの種別", _file_kind(entry)),
        Row("備考", f"個人情報取扱事務登録簿 第{entry.number}号「{entry.name}」"),
        *_dates(entry),
    ]


def sheet_for(entry: RegisterEntry, layout: str) -> Sheet:
    appi = layout == Layout.APPI_FILE_BOOK
    return Sheet(
        anchor=f"e{entry.pk}",
        number=entry.number,
        name=_text(entry.file_name, entry.name) if appi else entry.name,
        abolished=not entry.is_active,
        rows=appi_rows(entry) if appi else register_rows(entry),
    )


# --- the change log ------------------------------------------------------------------------------


def _label(name: str) -> str:
    return str(getattr(RegisterEntry._meta.get_field(name), "verbose_name", name))


_LABELS: dict[str, str] = {}


def _field_label(name: str) -> str:
    if name not in _LABELS:
        _LABELS[name] = _label(name)
    return _LABELS[name]


def _registration(source: Any, *, at: dt.datetime | None = None) -> Change:
    """The registration of an entry that has no '+' version (made by a data migration, such as the core
    entries of ``registry.0002_core_entries``): dated by its 登録日, from ``source`` (the entry or its
    first version)."""
    start = timezone.make_aware(dt.datetime.combine(source.registered_on, dt.time()))
    return Change(
        on=source.registered_on,
        at=min(start, at) if at is not None else start,
        entry_number=source.number,
        entry_name=source.name,
        kind=_KIND_REGISTER,
        reason="新規登録",  # as register/services/entries.py records a registration
    )


def _changes_of(records: Sequence[Any]) -> Iterator[Change]:
    """One entry's history records (oldest first) as changes with the field-by-field difference.

    An entry whose history does not begin with its registration ('+') was made without history: its
    registration is printed from its 登録日, and its first recorded version as a change (or abolition)
    whose earlier values were never recorded, so it lists no fields.
    """
    previous = None
    for record in records:
        fields: list[FieldChange] = []
        on: dt.date | None
        if previous is None and record.history_type != "+":
            yield _registration(record, at=record.history_date)
            if record.history_type == "-":
                kind, on = _KIND_DELETE, timezone.localtime(record.history_date).date()
            elif record.status == RegisterEntry.Status.ABOLISHED and record.abolished_on is not None:
                kind, on = _KIND_ABOLISH, record.abolished_on
            else:
                kind, on = _KIND_CHANGE, record.changed_on
        elif record.history_type == "+" or previous is None:
            kind, on = _KIND_REGISTER, record.registered_on
        elif record.history_type == "-":
            kind, on = _KIND_DELETE, timezone.localtime(record.history_date).date()
        else:
            for name in HISTORY_FIELDS:
                if name == "changed_on":  # the change's own date, printed as its date
                    continue
                old, new = getattr(previous, name), getattr(record, name)
                if old != new:
                    fields.append(
                        FieldChange(_field_label(name), display_value(name, old), display_value(name, new))
                    )
            if record.status == RegisterEntry.Status.ABOLISHED and previous.status != record.status:
                kind, on = _KIND_ABOLISH, record.abolished_on
            else:
                kind = _KIND_CHANGE
                on = record.changed_on if record.changed_on != previous.changed_on else None
            if not fields:  # a save that changed nothing the register prints
                previous = record
                continue
        yield Change(
            on=on or timezone.localtime(record.history_date).date(),
            at=record.history_date,
            entry_number=record.number,
            entry_name=record.name,
            kind=kind,
            reason=(record.history_change_reason or "").strip(),
            fields=fields,
        )
        previous = record


def change_log(entry_ids: Iterable[int], *, until: dt.date | None = None) -> dict[int, list[Change]]:
    """Every change of the entries, per entry id, oldest first; ``until`` drops those dated later (the
    date of a change is its 登録日, 変更日 or 廃止日; the day it was recorded when it has none).

    One query for all the histories (and one for the entries with none): the register's 300 sheets must
    not cost 300 queries.
    """
    ids = list(entry_ids)
    records: dict[int, list[Any]] = defaultdict(list)
    if not ids:
        return {}
    qs = RegisterEntry.history.filter(id__in=ids).order_by("id", "history_date", "history_id")
    for record in qs.iterator(chunk_size=2000):
        records[record.id].append(record)
    result: dict[int, list[Change]] = {}
    # entries with no history at all (made by a data migration): their registration from 登録日
    for entry in RegisterEntry.objects.filter(id__in=[i for i in ids if i not in records]):
        result[entry.pk] = [_registration(entry)]
    for entry_id, history in records.items():
        changes = list(_changes_of(history))
        result[entry_id] = changes
    if until is not None:
        result = {pk: [c for c in changes if c.on <= until] for pk, changes in result.items()}
    return result


# --- rendering -----------------------------------------------------------------------------------


def check_layout(layout: object) -> str:
    if not isinstance(layout, str) or layout not in Layout.values:
        raise ValueError(f"unknown register layout: {layout!r}")
    return layout


def pdf_context(layout: str, as_of: dt.date) -> dict[str, Any]:
    """What every register PDF prints around the sheets: title, legal basis, library, 基準日."""
    appi = layout == Layout.APPI_FILE_BOOK
    return {
        "title": TITLES[Layout.APPI_FILE_BOOK if appi else Layout.REGISTER],
        "basis": BASIS[Layout.APPI_FILE_BOOK if appi else Layout.REGISTER],
        "layout": layout,
        "appi": appi,
        "library_name": settings.LIBRARY_NAME,
        "as_of": as_of,
    }


def render_entry_pdf(
    entry: RegisterEntry, *, as_of: dt.date | None = None, layout: str = Layout.REGISTER
) -> bytes:
    """One entry's sheet (山梨県 要綱 第16条, or the 個人情報ファイル簿 with ``layout="appi"``), then its history
    up to ``as_of`` (default today)."""
    from register.register_pdf import html_document

    as_of = as_of or timezone.localdate()
    # An official document: in the library's language (Japanese) whatever the reader's (as the print task).
    with translation.override(settings.LANGUAGE_CODE):
        context = pdf_context(check_layout(layout), as_of)
        context["sheet"] = sheet_for(entry, layout)
        context["changes"] = change_log([entry.pk], until=as_of).get(entry.pk, [])
        return bytes(html_document(render_to_string("registry/pdf/entry.html", context)).write_pdf())


def entries_for_print(*, include_abolished: bool, as_of: dt.date | None = None) -> list[RegisterEntry]:
    """The entries a printed register holds: registered ones (and abolished ones if asked), by number."""
    qs = RegisterEntry.objects.order_by("number")
    if not include_abolished:
        qs = qs.filter(status=RegisterEntry.Status.REGISTERED)
    if as_of is not None:
        qs = qs.filter(registered_on__lte=as_of)
    return list(qs)


def render_register_pdf(
    *, layout: str, entries: Sequence[RegisterEntry], as_of: dt.date, progress: Progress | None = None
) -> bytes:
    """The whole register (山梨県 要綱 第16条 or 法第75条 layout): cover, contents, one sheet per entry, change log.
    ``progress(percent)`` is called as it goes (see ``register_pdf.render_register``)."""
    from register.register_pdf import render_register

    return render_register(layout=layout, entries=entries, as_of=as_of, progress=progress).pdf
