"""Registering a collection from a CSV file (資料の一括登録). Items are not personal data.

Columns: barcode, title, author, publisher, isbn, call_number, branch (or the Japanese headings
資料番号, 書名, 著者, 出版者, ISBN, 請求記号, 所蔵館). UTF-8 with or without BOM, or Shift_JIS/CP932 as
Excel writes it. Every row is checked before anything is saved; one bad row saves nothing at all,
and the report names rows by line number and column, never by their contents.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from patrons.models import Branch
from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.csv import CsvRejected, heading_key, map_headings, read_rows, read_upload

from .models import Item
from .services import ItemInput, item_validate

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_LINE_CHARS = 2000

COLUMNS: dict[str, tuple[str, ...]] = {
    "barcode": ("資料番号", "バーコード", "barcode"),
    "title": ("書名", "タイトル", "title"),
    "author": ("著者", "著者名", "author"),
    "publisher": ("出版者", "出版社", "publisher"),
    "isbn": ("ISBN", "isbn"),
    "call_number": ("請求記号", "call_number"),
    "branch": ("所蔵館", "館", "館コード", "branch"),
}
REQUIRED_COLUMNS = ("barcode", "title", "branch")
_HEADING = {key: names[0] for key, names in COLUMNS.items()}
_LOOKUP = {heading_key(alias): key for key, aliases in COLUMNS.items() for alias in aliases}


@dataclass
class ItemImportReport:
    total: int
    created: int
    dry_run: bool
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


_Rejected = CsvRejected


def _parse(text: str) -> tuple[dict[str, int], list[str], list[tuple[int, list[str]]], int]:
    header, rows = read_rows(
        text,
        max_line_chars=MAX_LINE_CHARS,
        max_rows=settings.LOANS_ITEM_CSV_MAX_ROWS,
        line_too_long=_("%(line)d行目が長すぎます（1行%(limit)d文字まで）。"),
        too_many_rows=_(
            "データが多すぎます（1ファイル%(limit)d行まで）。ファイルを分けて取り込んでください。"
        ),
    )
    columns, ignored = map_headings(header, _LOOKUP, _HEADING)
    missing = [_HEADING[k] for k in REQUIRED_COLUMNS if k not in columns]
    if missing:
        raise _Rejected(
            "missing_columns",
            _("必要な列がありません: %(missing)s。1行目に見出し（%(all)s）を入れてください。")
            % {"missing": "、".join(missing), "all": ", ".join(_HEADING.values())},
        )
    if not rows:
        raise _Rejected("no_rows", _("見出し行のほかにデータがありません。"))
    return columns, ignored, rows, len(header)


def _label(key: str) -> str:
    return str(getattr(Item._meta.get_field("home_branch" if key == "branch" else key), "verbose_name", key))


def _branches() -> dict[str, Branch]:
    """Active branches by code and by name (a file from another system may use either)."""
    result: dict[str, Branch] = {}
    for branch in Branch.objects.filter(is_active=True):
        result[branch.code] = branch
        result[unicodedata.normalize("NFKC", branch.name)] = branch
    return result


def items_import_csv(*, actor: Actor, file_bytes: bytes, dry_run: bool = False) -> ItemImportReport:
    """Register items from a CSV file, all or nothing.

    Whole-file problems (encoding, size, columns, more than LOANS_ITEM_CSV_MAX_ROWS rows) raise
    ValidationError keyed ``file``. Row problems (missing title, bad ISBN, unknown branch, a barcode
    registered already or twice in the file) are returned in the report, and then nothing is saved.
    One ``circulation.item_import`` access-log event with counts only is written per import.
    """

    def refused(rejected: CsvRejected) -> None:
        detail = {"rejected": rejected.code, "dry_run": dry_run}
        audit_record(
            standalone=True,
            actor=actor,
            action="circulation.item_import",
            target_type="item",
            outcome=Outcome.FAILURE,
            detail=detail,
        )

    columns, ignored, rows, width = read_upload(
        file_bytes, max_bytes=MAX_BYTES, parse=_parse, refused=refused
    )

    branches = _branches()
    found: list[tuple[int, str]] = []
    clean_rows: list[tuple[int, dict[str, Any]]] = []
    first_line: dict[str, int] = {}
    for line, cells in rows:

        def cell(key: str, cells: list[str] = cells) -> str:
            index = columns.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        if len(cells) > width and any(c.strip() for c in cells[width:]):
            found.append((line, _("%(line)d行目: 列の数が見出し行より多くなっています。") % {"line": line}))
        clean = item_validate(
            ItemInput(
                barcode=cell("barcode"),
                title=cell("title"),
                branch=cell("branch"),
                author=cell("author"),
                publisher=cell("publisher"),
                isbn=cell("isbn"),
                call_number=cell("call_number"),
            ),
            branches=branches,
        )
        barcode = clean.values.get("barcode", "")
        if barcode and "barcode" not in clean.errors:
            if barcode in first_line:
                clean.errors.setdefault("barcode", []).append(
                    _("%(line)d行目と同じ資料番号です。") % {"line": first_line[barcode]}
                )
            else:
                first_line[barcode] = line
        for key, messages in clean.errors.items():
            found.extend(
                (
                    line,
                    _("%(line)d行目 %(label)s: %(message)s")
                    % {"line": line, "label": _label(key), "message": m},
                )
                for m in messages
            )
        clean_rows.append((line, clean.values))

    existing = set(Item.objects.filter(barcode__in=list(first_line)).values_list("barcode", flat=True))
    for barcode in existing:
        line = first_line[barcode]
        found.append(
            (
                line,
                _("%(line)d行目 %(label)s: %(message)s")
                % {
                    "line": line,
                    "label": _label("barcode"),
                    "message": _("この資料番号は既に登録されています。"),
                },
            )
        )
    errors = [message for _line, message in sorted(found, key=lambda pair: pair[0])]

    created = 0
    if not errors and not dry_run:
        try:
            with transaction.atomic():
                Item.objects.bulk_create(
                    [
                        Item(
                            barcode=v["barcode"],
                            title=v["title"],
                            author=v["author"],
                            publisher=v["publisher"],
                            isbn=v["isbn"],
                            call_number=v["call_number"],
                            home_branch=v["home_branch"],
                            current_branch=v["home_branch"],
                        )
                        for _line, v in clean_rows
                    ],
                    batch_size=500,
                )
                created = len(clean_rows)
                audit_record(
                    actor=actor,
                    action="circulation.item_import",
                    target_type="item",
                    detail={"rows": len(rows), "created": created, "errors": 0, "dry_run": False},
                )
        except IntegrityError:
            # A barcode registered by someone else since the check: nothing was saved.
            errors.append(
                _("取り込み中にほかの職員が同じ資料番号を登録しました。もう一度取り込んでください。")
            )
            created = 0
    if errors or dry_run:
        audit_record(
            standalone=True,
            actor=actor,
            action="circulation.item_import",
            target_type="item",
            outcome=Outcome.FAILURE if errors else Outcome.SUCCESS,
            detail={"rows": len(rows), "created": 0, "errors": len(errors), "dry_run": dry_run},
        )
    logger.info(
        "item import: rows=%d created=%d errors=%d dry_run=%s", len(rows), created, len(errors), dry_run
    )
    return ItemImportReport(
        total=len(rows), created=created, dry_run=dry_run, errors=errors, ignored_columns=ignored
    )
