"""Every write to the register of personal-information processing (個人情報取扱事務登録簿, 山梨県 要綱 第16条).

山梨県 要綱 第16条第2項: an activity is registered *before* it starts, and a change is registered before it
takes effect; 第4項: an abolished activity's registration is struck out without delay. So:

* ``register_entry_create`` refuses a start date earlier than the registration date;
* ``register_entry_change`` needs a reason, sets the 変更日 and keeps the reason in the history;
* ``register_entry_abolish`` refuses while the code still declares fields for the entry (the field
  inventory) or a contract that has not ended still names it — the processing would go on unregistered.

Each service is keyword-only, validates everything first, raises ``ValidationError`` with Japanese
messages keyed by the argument at fault and changes nothing when the input is bad. The change and its
access-log event are written in one ``transaction.atomic()``. The register holds no personal data, so
the audit detail may carry codes and field names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from disclosure_requests.profiles import cite_in_force, note_in_force
from privacy_admin.audit.services import audit_record
from privacy_admin.core import hooks
from privacy_admin.core.actor import Actor
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.dates import today
from privacy_admin.core.errors import FieldErrors, refuse
from privacy_admin.core.text import SHORT_MESSAGES, clean_text
from register.models import CollectionSource, RegisterEntry

TARGET_TYPE = "register_entry"

# What an administrator edits; ``code``, ``number`` and ``registered_on`` are fixed at registration.
EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "purpose",
    "department",
    "subjects",
    "extra_items",
    "free_items",
    "record_range",
    "collection_sources",
    "collection_source_note",
    "collection_method",
    "outsourced",
    "outsourcing_note",
    "online_connection",
    "online_connection_note",
    "sensitive",
    "regular_recipients",
    "retention_period",
    "request_office",
    "special_procedure",
    "file_name",
    "starts_on",
)
CREATE_FIELDS: tuple[str, ...] = ("code", "number", "registered_on", *EDITABLE_FIELDS)

# The items the register must state (山梨県 要綱 第16条第1項第1号〜第4号, and 第7号's that the library sets;
# the 個人情報ファイル簿 of 法第75条第1項 has them too): required text. Messages cite the profile in force.
REQUIRED_TEXT: frozenset[str] = frozenset(
    {"name", "purpose", "department", "subjects", "retention_period", "request_office"}
)
TEXT_FIELDS: tuple[str, ...] = (
    "name",
    "purpose",
    "department",
    "subjects",
    "free_items",
    "record_range",
    "collection_source_note",
    "collection_method",
    "outsourcing_note",
    "online_connection_note",
    "regular_recipients",
    "retention_period",
    "request_office",
    "special_procedure",
    "file_name",
)
MULTILINE_FIELDS = frozenset({"purpose", "subjects", "free_items", "regular_recipients", "special_procedure"})
BOOLEAN_FIELDS: tuple[str, ...] = ("outsourced", "online_connection", "sensitive")
# simple-history keeps the reason in a varchar(100).
REASON_MAX = 100
TEXTFIELD_MAX = 4000
CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def start_before_registration() -> str:
    """The message for a start day before the registration day, citing the profile in force."""
    basis = cite_in_force("register_timing")
    if basis:
        return _(
            "事務の開始日は登録日以後の日付にしてください（%(basis)s: 事務を開始しようとするときに登録）。"
        ) % {"basis": basis}
    return _("事務の開始日は登録日以後の日付にしてください（事務は開始する前に登録します）。")


def model_field(name: str) -> models.Field:
    field = RegisterEntry._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def field_label(name: str) -> str:
    return str(model_field(name).verbose_name)


def _max_length(name: str) -> int:
    return model_field(name).max_length or TEXTFIELD_MAX


# The register's own wording: "使用できない文字", and the bound without the count.
_MESSAGES = replace(SHORT_MESSAGES, invisible=gettext_noop("%(label)sに使用できない文字が含まれています。"))


def _clean_text(errors: FieldErrors, name: str, raw: object) -> str:
    return clean_text(
        errors,
        name,
        raw,
        label=field_label(name),
        required=name in REQUIRED_TEXT,
        limit=_max_length(name),
        multiline=name in MULTILINE_FIELDS,
        messages=_MESSAGES,
        required_message=_("%(label)sを入力してください%(basis)s。")
        % {"label": field_label(name), "basis": note_in_force("register_items")},
    )


def _clean_choices(
    errors: FieldErrors, name: str, raw: object, allowed: list[str], *, what: str
) -> list[str]:
    if raw is None:
        raw = []
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        errors.add(name, _("%(name)sは一覧で指定してください。") % {"name": field_label(name)})
        return []
    values = [str(v) for v in raw]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        # Codes only (the vocabulary's values), never free text from the request.
        shown = "、".join(sorted({v[:40] for v in unknown}))
        errors.add(
            name,
            _("%(name)sに%(what)sにない値があります: %(shown)s")
            % {"name": field_label(name), "what": what, "shown": shown},
        )
    chosen = set(values)
    return [v for v in allowed if v in chosen]


def _clean_date(errors: FieldErrors, name: str, raw: object, *, required: bool = True) -> dt.date | None:
    if raw is None or raw == "":
        if required:
            errors.add(name, _("%(name)sを入力してください。") % {"name": field_label(name)})
        return None
    if isinstance(raw, dt.datetime) or not isinstance(raw, dt.date):
        errors.add(name, _("%(name)sは日付で入力してください。") % {"name": field_label(name)})
        return None
    return raw


def _clean_values(values: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Validate the editable items; returns the cleaned values of the keys present in ``values``."""
    cleaned: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in values:
            cleaned[name] = _clean_text(errors, name, values[name])
    for name in BOOLEAN_FIELDS:
        if name in values:
            if not isinstance(values[name], bool):
                errors.add(
                    name, _("%(name)sは「あり」か「なし」で指定してください。") % {"name": field_label(name)}
                )
            else:
                cleaned[name] = values[name]
    if "extra_items" in values:
        cleaned["extra_items"] = _clean_choices(
            errors, "extra_items", values["extra_items"], list(DataItem.values), what=_("データ項目の語彙")
        )
    if "collection_sources" in values:
        sources = _clean_choices(
            errors,
            "collection_sources",
            values["collection_sources"],
            list(CollectionSource.values),
            what=_("収集先の区分"),
        )
        if not sources and "collection_sources" not in errors:
            errors.add(
                "collection_sources",
                _("収集先を1つ以上選んでください%(basis)s。") % {"basis": note_in_force("register_items")},
            )
        cleaned["collection_sources"] = sources
    if "starts_on" in values:
        cleaned["starts_on"] = _clean_date(errors, "starts_on", values["starts_on"])
    return cleaned


def _check_notes(cleaned: Mapping[str, Any], errors: FieldErrors) -> None:
    # 002: an outsourced counter ran for five years without the council procedure; the register says
    # to whom and what when it says 委託あり, and where it connects when it says オンライン結合あり.
    if cleaned.get("outsourced") and not cleaned.get("outsourcing_note"):
        errors.add("outsourcing_note", _("外部委託ありのときは委託先・委託内容を入力してください。"))
    if cleaned.get("online_connection") and not cleaned.get("online_connection_note"):
        errors.add("online_connection_note", _("オンライン結合ありのときは結合先を入力してください。"))


def _check_start(starts_on: dt.date | None, registered_on: dt.date | None, errors: FieldErrors) -> None:
    if starts_on is not None and registered_on is not None and starts_on < registered_on:
        errors.add("starts_on", start_before_registration())


def _check_not_future(errors: FieldErrors, name: str, day: dt.date | None) -> None:
    if day is not None and day > today():
        errors.add(name, _("%(name)sに未来の日付は入力できません。") % {"name": field_label(name)})


def _clean_reason(errors: FieldErrors, key: str, raw: object, *, what: str) -> str:
    return clean_text(
        errors,
        key,
        raw if isinstance(raw, str) else "",
        label=_("理由"),
        required=True,
        limit=REASON_MAX,
        messages=replace(
            _MESSAGES, invisible=gettext_noop("理由に使用できない文字（改行など）が含まれています。")
        ),
        required_message=_("%(what)sの理由を入力してください。") % {"what": what},
        first_only=True,
    )


# A register of a library's affairs runs to tens of entries; four digits leave room and fit the column.
NUMBER_MAX = 9999


def next_number() -> int:
    return int(RegisterEntry.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def _ensure_history_baseline(entry: RegisterEntry) -> None:
    """Give an entry registered outside the services (the core entries of the data migration) its
    registration record, dated the registration day, so that its first change shows what changed."""
    if entry.history.exists():
        return
    registered_at = timezone.make_aware(dt.datetime.combine(entry.registered_on, dt.time()))
    RegisterEntry.history.bulk_history_create(
        [entry], default_change_reason="新規登録", default_date=registered_at
    )


def _save(entry: RegisterEntry, *, actor: Actor, reason: str) -> None:
    # simple-history: who and why, whichever interface (page, API, command) made the change.
    entry._change_reason = reason  # type: ignore[attr-defined]
    entry._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # Two administrators took the same number or code at once: the later one tries again.
        raise refuse(
            "number", _("登録番号またはコードが他の事務と重複しました。もう一度登録してください。")
        ) from None


def register_entry_create(*, actor: Actor, **fields: Any) -> RegisterEntry:
    """Register a 個人情報取扱事務 before it starts (山梨県 要綱 第16条第1項・第2項).

    ``fields`` are the entry's items (``CREATE_FIELDS``). The number defaults to the highest + 1, the
    code to ``entry-<number>``, the registration date to today. Refused, with nothing written, when a
    required item is missing (name, purpose, …, at least one 収集先), a vocabulary value is unknown,
    the start date is before the registration date, or the registration date is in the future.
    """
    unknown = sorted(set(fields) - set(CREATE_FIELDS))
    if unknown:
        raise TypeError(f"unknown register entry fields: {', '.join(unknown)}")
    errors = FieldErrors()
    values = {name: fields.get(name) for name in EDITABLE_FIELDS}
    for name in ("extra_items", *BOOLEAN_FIELDS):
        if values[name] is None:
            values[name] = [] if name == "extra_items" else False
    cleaned = _clean_values(values, errors)
    _check_notes(cleaned, errors)

    registered_on = fields.get("registered_on") or today()
    registered_on = _clean_date(errors, "registered_on", registered_on)
    _check_not_future(errors, "registered_on", registered_on)
    _check_start(cleaned.get("starts_on"), registered_on, errors)

    with transaction.atomic():
        number = fields.get("number")
        if number in (None, ""):
            number = next_number()
        elif isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= NUMBER_MAX:
            errors.add(
                "number",
                _("登録番号は1以上%(number_max)s以下の整数で入力してください。") % {"number_max": NUMBER_MAX},
            )
        elif RegisterEntry.objects.filter(number=number).exists():
            errors.add("number", _("登録番号 第%(number)s号 は既に使われています。") % {"number": number})

        code = fields.get("code")
        if code in (None, ""):
            # Derived from the number; when the number is refused, so is the entry, for that reason only.
            code = f"entry-{number}" if "number" not in errors else None
        if code is None:
            pass
        elif not isinstance(code, str) or not CODE_PATTERN.match(code) or len(code) > _max_length("code"):
            errors.add(
                "code",
                _(
                    "コードは英小文字・数字をハイフンでつないだ64文字以内の識別子で入力してください"
                    "（例: school-library-support）。"
                ),
            )
        elif RegisterEntry.objects.filter(code=code).exists():
            errors.add("code", _("コード「%(code)s」は既に使われています。") % {"code": code})
        errors.raise_if_any()
        assert isinstance(code, str) and isinstance(number, int) and registered_on is not None

        entry = RegisterEntry(code=code, number=number, registered_on=registered_on, **cleaned)
        _save(entry, actor=actor, reason="新規登録")
        audit_record(
            actor=actor,
            action="register_entry.create",
            target_type=TARGET_TYPE,
            target_id=entry.pk,
            detail={"number": entry.number, "code": entry.code},
        )
    return entry


def register_entry_change(
    *, actor: Actor, entry: RegisterEntry, reason: str, changed_on: dt.date | None = None, **changes: Any
) -> RegisterEntry:
    """Change a registered entry (山梨県 要綱 第16条第2項後段: changes are registered too).

    The reason is required and kept in the entry's history with the field-by-field difference; the
    変更日 becomes ``changed_on`` (default today). Refused when the entry is abolished, nothing
    changes, the reason is missing, or a new value is invalid (the same rules as registration).
    """
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    errors = FieldErrors()
    for name in unknown:
        errors.add(
            name if name in CREATE_FIELDS else "__all__",
            _("「%(name)s」は変更できない項目です。") % {"name": name},
        )
    reason = _clean_reason(errors, "reason", reason, what=_("変更"))
    changed_on = changed_on or today()
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        if not entry.is_active:
            raise refuse(
                "__all__",
                _("廃止された事務は変更できません。登録は抹消済みです%(basis)s。")
                % {"basis": note_in_force("register_abolition")},
            )
        cleaned = _clean_values({k: v for k, v in changes.items() if k in EDITABLE_FIELDS}, errors)
        merged = {name: getattr(entry, name) for name in EDITABLE_FIELDS} | cleaned
        _check_notes(merged, errors)
        _check_start(merged["starts_on"], entry.registered_on, errors)
        changed_on = _clean_date(errors, "changed_on", changed_on)
        _check_not_future(errors, "changed_on", changed_on)
        if changed_on is not None and changed_on < entry.registered_on:
            errors.add("changed_on", _("変更日は登録日以後の日付にしてください。"))
        changed = [
            name for name in EDITABLE_FIELDS if name in cleaned and cleaned[name] != getattr(entry, name)
        ]
        if not changed and not errors.errors:
            errors.add("__all__", _("変更された項目がありません。"))
        errors.raise_if_any()

        _ensure_history_baseline(entry)
        for name in changed:
            setattr(entry, name, cleaned[name])
        entry.changed_on = changed_on
        _save(entry, actor=actor, reason=reason)
        audit_record(
            actor=actor,
            action="register_entry.change",
            target_type=TARGET_TYPE,
            target_id=entry.pk,
            detail={"number": entry.number, "fields": changed},
        )
    return entry


def abolition_blockers(entry: RegisterEntry) -> list[str]:
    """Why ``entry`` cannot be abolished yet: the code's declarations and the contracts that name it."""
    from register.inventory import declared_fields

    blockers = []
    fields = declared_fields(entry.code)
    if fields:
        shown = _("、").join(fields[:5]) + (
            _(" ほか%(count)s件") % {"count": len(fields) - 5} if len(fields) > 5 else ""
        )
        blockers.append(
            _(
                "システムのフィールドがこの事務の記録項目として宣言されています（%(shown)s）。その処理を止めるか、宣言を別の事務に移してから廃止してください。"
            )
            % {"shown": shown}
        )
    blockers.extend(hooks.call(hooks.ENTRY_BLOCKERS, entry, default=[]))
    return blockers


def register_entry_abolish(
    *, actor: Actor, entry: RegisterEntry, abolished_on: dt.date | None, reason: str
) -> RegisterEntry:
    """Strike out the registration of an abolished activity (山梨県 要綱 第16条第4項).

    Refused, with nothing written, before the registration date, in the future, without a reason, on an
    entry already abolished, and while the processing still goes on: fields in the code still declare
    this entry in the field inventory, or a contract that has not ended names it.
    """
    errors = FieldErrors()
    reason = _clean_reason(errors, "reason", reason, what=_("廃止"))
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        if not entry.is_active:
            raise refuse("__all__", _("この事務は既に廃止されています。"))
        abolished = _clean_date(errors, "abolished_on", abolished_on)
        _check_not_future(errors, "abolished_on", abolished)
        if abolished is not None and abolished < entry.registered_on:
            errors.add(
                "abolished_on",
                _("廃止日は登録日（%(registered_on)s）以後の日付にしてください。")
                % {"registered_on": format(entry.registered_on, "%Y-%m-%d")},
            )
        for message in abolition_blockers(entry):
            errors.add("__all__", message)
        errors.raise_if_any()

        _ensure_history_baseline(entry)
        entry.status = RegisterEntry.Status.ABOLISHED
        entry.abolished_on = abolished
        _save(entry, actor=actor, reason=reason)
        audit_record(
            actor=actor,
            action="register_entry.abolish",
            target_type=TARGET_TYPE,
            target_id=entry.pk,
            detail={"number": entry.number, "code": entry.code},
        )
    return entry
