"""Items: checking and registering a copy of the collection (ISBN, barcode shape)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from patrons.models import Branch
from privacy_admin.core.actor import Actor
from privacy_admin.core.errors import FieldErrors
from privacy_admin.core.text import clean_text

from ..models import (
    Item,
)
from ._common import (
    _audit_item_event,
    _branch,
    _Errors,
    _refuse,
    is_barcode_shape,
    normalize_barcode,
)

_ISBN10 = re.compile(r"^[0-9]{9}[0-9X]$")
_ISBN13 = re.compile(r"^97[89][0-9]{10}$")


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
    actor: Actor,
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
