"""Bulk school registration from a CSV roster (厚木市 要綱 第12条: no application forms).

Each row is registered by ``patron_register(bulk=True)`` in its own savepoint: a bad row saves
nothing and is reported by line number and field, good rows are saved. Messages never repeat a
row's name, address or birth date; the school fixes its file by line number.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.csv import CsvRejected, heading_key, map_headings, read_rows, read_upload

from .models import Eligibility, Patron
from .services import IdentityEvidence, RegistrationInput, patron_register

logger = logging.getLogger(__name__)

MAX_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 2000

# key -> accepted headings, compared after NFKC + casefold + removing spaces.
COLUMNS: dict[str, tuple[str, ...]] = {
    "family_name": ("姓", "氏名(姓)", "family_name"),
    "given_name": ("名", "氏名(名)", "given_name"),
    "family_name_kana": ("セイ", "フリガナ(姓)", "family_name_kana"),
    "given_name_kana": ("メイ", "フリガナ(名)", "given_name_kana"),
    "birth_date": ("生年月日", "birth_date"),
    "address": ("住所", "address"),
    "guardian_name": ("保護者名", "guardian_name"),
    "phone": ("電話番号", "電話", "phone"),
    "email": ("メール", "メールアドレス", "電子メールアドレス", "email"),
}
REQUIRED_COLUMNS = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "address",
    "guardian_name",
)
_HEADING = {key: names[0] for key, names in COLUMNS.items()}
_LOOKUP = {heading_key(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


@dataclass
class RowResult:
    line_number: int
    ok: bool
    errors: list[str] = field(default_factory=list)
    card_number: str | None = None


@dataclass
class ImportReport:
    rows: list[RowResult]
    created: int
    error_count: int
    dry_run: bool
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok_count(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def total(self) -> int:
        return len(self.rows)


_Rejected = CsvRejected


def _parse(text: str) -> tuple[dict[str, int], list[str], list[tuple[int, list[str]]], int]:
    header, rows = read_rows(
        text,
        max_line_chars=MAX_LINE_CHARS,
        max_rows=settings.PATRON_CSV_MAX_ROWS,
        line_too_long=_(
            "%(line)d行目が長すぎます（1行%(limit)d文字まで）。CSVファイルの内容を確認してください。"
        ),
        too_many_rows=_(
            "データが多すぎます（1ファイル%(limit)d行まで）。ファイルを分けて取り込んでください。"
        ),
    )
    columns, ignored = map_headings(header, _LOOKUP, _HEADING)
    if not columns:
        raise _Rejected(
            "no_header",
            _(
                "1行目に見出しが見つかりません。1行目に見出し（%(all)s）を入れてください。文字化け"
                "している場合は、文字コード（UTF-8 または Shift_JIS）を確認してください。"
            )
            % {"all": ", ".join(_HEADING[k] for k in REQUIRED_COLUMNS)},
        )
    missing = [_HEADING[k] for k in REQUIRED_COLUMNS if k not in columns]
    if missing:
        raise _Rejected(
            "missing_columns",
            _(
                "必要な列がありません: %(missing)s。1行目に見出し（%(all)s）を入れて"
                "ください。電話番号・メールは任意です。"
            )
            % {"missing": "、".join(missing), "all": ", ".join(_HEADING[k] for k in REQUIRED_COLUMNS)},
        )
    if not rows:
        raise _Rejected("no_rows", _("見出し行のほかにデータがありません。"))
    return columns, ignored, rows, len(header)


def _parse_date(value: str) -> dt.date | None:
    m = _DATE.match(unicodedata.normalize("NFKC", value).strip())
    if m is None:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _label(key: str) -> str:
    if key in ("__all__", ""):
        return ""
    if key == "id_document_type":
        return str(_("本人確認書類"))
    try:
        return str(getattr(Patron._meta.get_field(key), "verbose_name", key))
    except FieldDoesNotExist:
        return key


def _message(line: int, key: str, message: str) -> str:
    label = _label(key)
    if not label or message.startswith(label):
        return _("%(line)d行目: %(message)s") % {"line": line, "message": message}
    return _("%(line)d行目 %(label)s: %(message)s") % {"line": line, "label": label, "message": message}


def _import_row(
    *,
    actor: Actor,
    line: int,
    cells: list[str],
    columns: dict[str, int],
    width: int,
    registered_branch: str,
    category: str,
    dry_run: bool,
) -> RowResult:
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return RowResult(line, False, [_message(line, "", _("列の数が見出し行より多くなっています。"))])

    def cell(key: str) -> str:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    errors: list[str] = []
    raw_birth = cell("birth_date").strip()
    birth = _parse_date(raw_birth) if raw_birth else None
    if raw_birth and birth is None:
        errors.append(
            _message(
                line,
                "birth_date",
                _("存在しない日付か、形式が正しくありません（YYYY-MM-DD または YYYY/MM/DD）。"),
            )
        )
    data = RegistrationInput(
        family_name=cell("family_name"),
        given_name=cell("given_name"),
        family_name_kana=cell("family_name_kana"),
        given_name_kana=cell("given_name_kana"),
        birth_date=birth,
        address=cell("address"),
        category=category,
        eligibility=Eligibility.SCHOOL,
        registered_branch=registered_branch,
        identity=IdentityEvidence("school_roster"),
        phone=cell("phone"),
        email=cell("email"),
        guardian_name=cell("guardian_name"),
        paper_form=False,
    )
    try:
        with transaction.atomic():
            patron = patron_register(actor=actor, data=data, bulk=True)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            if key == "birth_date" and errors:
                continue  # already explained by the parse error above
            errors.extend(_message(line, key, m) for m in messages)
        return RowResult(line, False, errors)
    except DatabaseError as exc:
        logger.warning("patron import: line %d not saved (%s)", line, type(exc).__name__)
        return RowResult(
            line, False, [_message(line, "", _("この行は保存できませんでした。内容を確認してください。"))]
        )
    return RowResult(line, True, [], None if dry_run else patron.card_number)


def patrons_import_school_csv(
    *, actor: Actor, file_bytes: bytes, registered_branch: str, category: str, dry_run: bool
) -> ImportReport:
    """Register a school's pupils from a CSV roster (要綱 第12条), or with ``dry_run`` only check it.

    Whole-file problems (encoding, size, columns, too many rows) raise ValidationError keyed
    ``file`` and save nothing. Row problems are reported per line; those rows save nothing.
    One ``patron.import`` access-log event with counts only is written per import.
    """

    def refused(rejected: CsvRejected) -> None:
        detail = {"rejected": rejected.code, "dry_run": dry_run}
        audit_record(
            standalone=True,
            actor=actor,
            action="patron.import",
            target_type="patron",
            outcome=Outcome.FAILURE,
            detail=detail,
        )

    columns, ignored, rows, width = read_upload(
        file_bytes, max_bytes=MAX_BYTES, parse=_parse, refused=refused
    )

    results: list[RowResult] = []
    with transaction.atomic():
        for line, cells in rows:
            results.append(
                _import_row(
                    actor=actor,
                    line=line,
                    cells=cells,
                    columns=columns,
                    width=width,
                    registered_branch=registered_branch,
                    category=category,
                    dry_run=dry_run,
                )
            )
        ok = sum(1 for r in results if r.ok)
        report = ImportReport(
            rows=results,
            created=0 if dry_run else ok,
            error_count=len(results) - ok,
            dry_run=dry_run,
            ignored_columns=ignored,
        )
        detail = {
            "rows": report.total,
            "created": report.created,
            "errors": report.error_count,
            "dry_run": dry_run,
        }
        if dry_run:
            # Validate exactly as a real import would (duplicates within the file included), then undo.
            transaction.set_rollback(True)
        else:
            audit_record(actor=actor, action="patron.import", target_type="patron", detail=detail)
    if dry_run:
        # A dry run changes nothing (its rows were rolled back): the event stands alone.
        audit_record(
            standalone=True, actor=actor, action="patron.import", target_type="patron", detail=detail
        )
    logger.info(
        "patron import: rows=%d ok=%d errors=%d dry_run=%s", report.total, ok, report.error_count, dry_run
    )
    return report
