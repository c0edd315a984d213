"""What an access-log event's target and detail mean to a person, filled by each app from its
``AppConfig.ready`` so that the log names records without the audit app importing the apps.

- **Targets**: ``register_target("privacy_request", gettext_noop("開示等の請求"), resolver)``. The
  resolver takes the ``target_id`` strings of one page (or export) and returns what a person reads for
  each one it finds — the record's own number (R8-開示-0008, 第3号, 事案番号), a patron's masked card
  number, an item's barcode — never an internal id. An id the resolver does not return is a deleted
  record. One call per kind and page: no query per row.
- **Detail**: ``register_detail({"reason": gettext_noop("理由")}, values={"reason": {...}})``: the
  label of each detail key and, for keys whose values are codes, the label of each code.

Labels are stored as their Japanese source (``gettext_noop``) and translated when shown. Read the
registries when needed, not at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext

# target_id strings -> {target_id: display}; ids missing from the answer are deleted records.
Resolver = Callable[[Collection[str]], Mapping[str, str]]


@dataclass(frozen=True)
class TargetKind:
    label: str  # Japanese source text (gettext_noop)
    resolver: Resolver | None = None


TARGETS: dict[str, TargetKind] = {}
DETAIL_LABELS: dict[str, str] = {}
DETAIL_VALUES: dict[str, dict[str, str]] = {}


def register_target(kind: str, label: str, resolver: Resolver | None = None) -> None:
    """Name a target kind and, for a kind of record, how to show its records (``None``: no record)."""
    TARGETS[kind] = TargetKind(label=label, resolver=resolver)


def register_detail(labels: Mapping[str, str], values: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Add labels of detail keys, and labels of the codes some keys take as values."""
    DETAIL_LABELS.update(labels)
    for key, codes in (values or {}).items():
        DETAIL_VALUES.setdefault(key, {}).update(codes)


def kind_label(kind: str) -> str:
    """The label of a target kind in the active language (the kind itself when none is registered)."""
    known = TARGETS.get(kind)
    return gettext(known.label) if known else kind


def kind_choices() -> list[tuple[str, str]]:
    """Every registered target kind as (kind, label), in label order."""
    return sorted(((kind, gettext(k.label)) for kind, k in TARGETS.items()), key=lambda c: c[1])


@dataclass(frozen=True)
class TargetText:
    kind: str  # the kind's label
    record: str  # the record's own number or masked card number; "" for a kind without records
    deleted: bool = False


def resolve_targets(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], TargetText]:
    """The display of each (target_type, target_id): one resolver call per kind."""
    by_kind: dict[str, set[str]] = {}
    for kind, target_id in pairs:
        if kind:
            by_kind.setdefault(kind, set()).add(target_id)
    found: dict[tuple[str, str], TargetText] = {}
    for kind, ids in by_kind.items():
        known = TARGETS.get(kind)
        label = gettext(known.label) if known else kind
        resolver = known.resolver if known else None
        shown = resolver({i for i in ids if i}) if resolver is not None and any(ids) else {}
        for target_id in ids:
            if resolver is None or not target_id:
                # No id, or a kind nobody resolves: an internal id is never shown.
                found[(kind, target_id)] = TargetText(kind=label, record="")
            elif target_id in shown:
                found[(kind, target_id)] = TargetText(kind=label, record=shown[target_id])
            else:
                found[(kind, target_id)] = TargetText(kind=label, record="", deleted=True)
    return found


def int_ids(ids: Collection[str]) -> list[int]:
    """The ids that are integers (a resolver's helper: target_id is text)."""
    return [int(i) for i in ids if i.isdigit() and len(i) < 19]
