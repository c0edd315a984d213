"""The field inventory: which model fields hold personal data, which data item each is, and which register
entry it serves — read for the register and checked by ``manage.py privacy_inventory --check``.

The register's 記録項目 are the items declared next to the models for the entry's code
(``privacy_admin.core.dataitems.PERSONAL_FIELDS``), plus the vocabulary items the entry adds for processing
outside the system (``extra_items``), plus its free items — so the printed register cannot drift from
the code.

The check (:func:`inventory_problems`) fails, naming the field, when

(a) a field of the project's apps looks personal (:func:`looks_personal`) and is neither declared with
    ``declare_personal_fields`` nor excused with ``declare_not_personal`` and a reason;
(b) a declaration or excuse names a model or field that does not exist (a renamed field left behind);
(c) a declaration points at a register entry code that is not a registered entry in the database
    (山梨県 要綱 第16条第2項: the processing must be registered before it starts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from simple_history.models import HistoricalChanges

from privacy_admin.core.dataitems import (
    NOT_PERSONAL_FIELDS,
    PERSONAL_FIELDS,
    DataItem,
    PersonalField,
)
from register.models import RegisterEntry

_ORDER = {value: i for i, value in enumerate(DataItem.values)}

# The project's own apps (by AppConfig.name). Django's contrib apps and third-party apps hold staff
# accounts and framework data, not the data of the people the register describes.
PROJECT_APPS: tuple[str, ...] = ("patrons", "loans", "disclosure_requests", "outsourcing")
PROJECT_APP_PREFIX = "privacy_admin"

# "Looks personal": a token of the field's name (split on "_", a trailing plural "s" dropped) is one of
# these. Whole tokens only, so "usage" is not "age" and "page_count" is not "age"; "username" and
# "family_name" are caught by their own tokens.
PERSONAL_TOKENS: frozenset[str] = frozenset(
    {
        # identity
        "name", "username", "kana", "furigana", "romaji", "birth", "birthday", "dob", "age",
        "gender", "sex", "nationality", "photo", "face", "signature",
        # contact
        "address", "addr", "zip", "postal", "postcode", "phone", "tel", "telephone", "mobile", "fax",
        "email", "mail", "contact", "ip",
        # numbers and secrets that identify a person
        "card", "mynumber", "password", "passwd", "pin",
        # people in a role
        "patron", "guardian", "parent", "requester", "complainant", "applicant", "principal",
        "representative", "agent", "proxy", "handler", "operator", "attendee", "auditor", "reporter",
        "discoverer", "witness",
    }
)  # fmt: skip
# A free-text "…_by" (discovered_by, confirmed_by) is a person's name typed in; a "…_by" foreign key
# to a staff account is not flagged (staff accounts live in django.contrib.auth).
_TYPED_BY = re.compile(r"_by$")
_TEXT_FIELDS = (models.CharField, models.TextField)


def _tokens(name: str) -> list[str]:
    out = []
    for token in name.lower().split("_"):
        if not token:
            continue
        out.append(token)
        if len(token) > 3 and token.endswith("s"):
            out.append(token[:-1])
    return out


def looks_personal(field: models.Field) -> str | None:
    """Why ``field`` looks like it holds personal data, or None."""
    from patrons.models import Patron

    related = field.related_model if field.is_relation else None
    if isinstance(related, type) and issubclass(related, Patron):
        return "利用者（patrons.Patron）への参照"
    if isinstance(field, models.EmailField):
        return "メールアドレスの型"
    if isinstance(field, models.GenericIPAddressField):
        return "IPアドレスの型"
    hits = sorted({t for t in _tokens(field.name) if t in PERSONAL_TOKENS})
    if hits:
        return f"名前に「{'」「'.join(hits)}」を含む"
    if isinstance(field, _TEXT_FIELDS) and _TYPED_BY.search(field.name):
        return "人の名前を入力する「…_by」の文字列"
    return None


def is_project_app(name: str) -> bool:
    return name in PROJECT_APPS or name == PROJECT_APP_PREFIX or name.startswith(PROJECT_APP_PREFIX + ".")


def project_models() -> list[type[models.Model]]:
    """Concrete models of the project's apps, without simple-history's copies (their base is checked)."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if not is_project_app(meta.app_config.name):
            continue
        if meta.proxy or meta.auto_created or issubclass(model, HistoricalChanges):
            continue
        found.append(model)
    return found


def model_fields(model: type[models.Model]) -> list[models.Field]:
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


# --- reading the inventory for the register ---------------------------------------------------------


def inventory_items(code: str) -> list[DataItem]:
    """The data items the code declares for the entry ``code``, in vocabulary order."""
    found = {DataItem(f.item) for f in PERSONAL_FIELDS.values() if f.register_entry == code}
    return sorted(found, key=lambda i: _ORDER[i.value])


def declared_fields(code: str) -> list[str]:
    """``app.Model.field`` of every field declared for the entry ``code``."""
    return sorted(
        f"{f.model_label}.{f.field_name}" for f in PERSONAL_FIELDS.values() if f.register_entry == code
    )


def entry_items(entry: RegisterEntry) -> list[DataItem]:
    """Vocabulary items of the entry: from the inventory and the entry's own additions."""
    found = set(inventory_items(entry.code))
    for value in entry.extra_items or []:
        if value in _ORDER:
            found.add(DataItem(value))
    return sorted(found, key=lambda i: _ORDER[i.value])


def entry_record_items(entry: RegisterEntry) -> list[str]:
    """The 記録項目 as printed: vocabulary labels, then the free items one per line."""
    labels = [str(item.label) for item in entry_items(entry)]
    labels += [line.strip() for line in (entry.free_items or "").splitlines() if line.strip()]
    return labels


@dataclass(frozen=True)
class InventoryRow:
    field: str  # app.Model.field
    field_label: str
    item: str
    item_label: str
    register_entry: str
    entry: RegisterEntry | None  # the entry in the database, whatever its status


def _verbose(label: str, name: str) -> str:
    try:
        model = apps.get_model(label)
        return str(model._meta.get_field(name).verbose_name)
    except (LookupError, FieldDoesNotExist):
        return name


def inventory_rows() -> list[InventoryRow]:
    """Every declared field with its item and entry, in entry-code then field order."""
    declarations: Sequence[PersonalField] = list(PERSONAL_FIELDS.values())
    entries = {
        e.code: e for e in RegisterEntry.objects.filter(code__in={d.register_entry for d in declarations})
    }
    rows = [
        InventoryRow(
            field=f"{d.model_label}.{d.field_name}",
            field_label=_verbose(d.model_label, d.field_name),
            item=str(d.item),
            item_label=str(DataItem(d.item).label) if d.item in _ORDER else str(d.item),
            register_entry=d.register_entry,
            entry=entries.get(d.register_entry),
        )
        for d in declarations
    ]
    return sorted(rows, key=lambda r: (r.entry.number if r.entry else 10**9, r.register_entry, r.field))


def excused_rows() -> list[tuple[str, str]]:
    """(app.Model.field, reason) of every field excused as not personal."""
    return sorted((f"{label}.{name}", reason) for (label, name), reason in NOT_PERSONAL_FIELDS.items())


# --- the check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    field: str  # app.Model.field (or app.Model when the model is missing)
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _declared_field_problem(label: str, name: str) -> str | None:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return f"モデル {label} がありません"
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return f"モデル {label} にフィールド {name} がありません（名前を変えたか削除したなら宣言も直してください）"
    return None


def inventory_problems(
    *,
    models_to_scan: Iterable[type[models.Model]] | None = None,
    registered_codes: Iterable[str] | None = None,
) -> list[Problem]:
    """Everything ``privacy_inventory --check`` refuses, one problem per field, in field order."""
    scanned = list(project_models() if models_to_scan is None else models_to_scan)
    if registered_codes is None:
        registered_codes = RegisterEntry.objects.filter(status=RegisterEntry.Status.REGISTERED).values_list(
            "code", flat=True
        )
    registered = set(registered_codes)
    problems: list[Problem] = []

    # (a) personal-looking fields nobody declared
    for model in scanned:
        label = model._meta.label
        for field in model_fields(model):
            key = (label, field.name)
            if key in PERSONAL_FIELDS or key in NOT_PERSONAL_FIELDS:
                continue
            why = looks_personal(field)
            if why:
                problems.append(
                    Problem(
                        f"{label}.{field.name}",
                        f"個人情報らしいフィールド（{why}）に宣言がありません。モデルの横に declare_personal_fields で"
                        "データ項目と登録簿の事務を、個人情報でなければ declare_not_personal で理由を書いてください",
                    )
                )

    # (b) declarations and excuses of fields that do not exist
    for label, name in [*PERSONAL_FIELDS, *NOT_PERSONAL_FIELDS]:
        missing = _declared_field_problem(label, name)
        if missing:
            problems.append(Problem(f"{label}.{name}", f"宣言されたフィールドが存在しません: {missing}"))

    # (c) declarations of entries that are not registered
    for declared in PERSONAL_FIELDS.values():
        where = f"{declared.model_label}.{declared.field_name}"
        if declared.item not in _ORDER:
            problems.append(Problem(where, f"データ項目「{declared.item}」は語彙（DataItem）にありません"))
        if declared.register_entry not in registered:
            problems.append(
                Problem(
                    where,
                    f"宣言された登録簿の事務「{declared.register_entry}」が登録されていません（未登録または廃止）。"
                    "山梨県 要綱 第16条第2項: 事務を開始する前に登録簿に登録してください",
                )
            )
    return sorted(problems, key=lambda p: (p.field, p.message))


# The register's own tables (privacy_admin.registry.models): names of activities and files, and the
# names staff type into an incident record while doing their job, not data the register describes.
