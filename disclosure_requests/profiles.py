"""Rule profiles and the library calendar: which periods apply here, and which days the library is closed.

Writes follow the service rule (architecture §1, §3): keyword-only, one transaction, audited in it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.calendar import Calendar

from .citations import unfilled
from .models import ClosedDay, RuleProfile

# Seeded by migrations 0002 and 0008 (山梨県 要綱, 個人情報の保護に関する法律, and the template for a city's
# 施行条例): kept as the law has them; copy one to edit.
SEEDED_PROFILE_CODES = frozenset({"yamanashi-15", "appi", "ordinance-template"})

# What a profile holds besides identity and the "current" flag — its day counts, its law's name and the
# article of each rule (citations), and the template mark; copied as they are.
DAY_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in RuleProfile._meta.concrete_fields
    if f.name not in {"id", "code", "name", "source", "is_current"}
)

_CODE_MAX = RuleProfile._meta.get_field("code").max_length or 32
_NAME_MAX = RuleProfile._meta.get_field("name").max_length or 100


def current_profile() -> RuleProfile:
    """The profile this library applies (exactly one is current; the migration makes 山梨県 要綱 current)."""
    profile = RuleProfile.objects.filter(is_current=True).first()
    if profile is None:
        raise RuleProfile.DoesNotExist(
            "この図書館で適用する期限ルールが選ばれていません（マスタ管理で選んでください）。"
        )
    return profile


def cite_in_force(key: str, *, short: bool = True) -> str:
    """The citation of rule ``key`` under the profile in force (「山梨県 要綱第16条第2項」, 「法第75条第1項」),
    '' when its law has no article for the rule or no profile is chosen (the text then leaves it out)."""
    try:
        profile = current_profile()
    except RuleProfile.DoesNotExist:
        return ""
    return profile.cite(key, short=short)


def note_in_force(key: str) -> str:
    """``cite_in_force`` in brackets after a sentence or a name (「（山梨県 要綱第16条第2項）」), or ''."""
    text = cite_in_force(key)
    return f"（{text}）" if text else ""


def library_calendar(years: Iterable[int] | None = None) -> Calendar:
    """A Calendar with the library's own closed days (ClosedDay rows) of ``years``, or all of them.

    Weekends, national holidays and 12/29–1/3 are built into Calendar and need no rows.
    """
    rows = ClosedDay.objects.all()
    if years is not None:
        wanted = sorted(set(years))
        if not wanted:
            return Calendar()
        rows = rows.filter(date__year__in=wanted)
    return Calendar(library_closed=frozenset(rows.values_list("date", flat=True)))


def _unique(value: str, *, max_length: int, taken: set[str], tail_format: str) -> str:
    """``value`` + the first free tail ("-copy", "-copy2", …), cut to fit ``max_length``."""
    for n in range(1, 1000):
        tail = tail_format.format(n="" if n == 1 else n)
        candidate = value[: max_length - len(tail)] + tail
        if candidate not in taken:
            return candidate
    raise ValueError("no free name for the copy")  # pragma: no cover - 1000 copies of one profile


def rule_profile_copy(*, actor: Actor, profile: RuleProfile) -> RuleProfile:
    """Copy ``profile`` under a new code and name, not current, so a municipality can edit its own
    periods (an APPI ordinance may set shorter ones, APPI art. 83) without touching the seeded rules."""
    with transaction.atomic():
        codes = set(RuleProfile.objects.values_list("code", flat=True))
        names = set(RuleProfile.objects.values_list("name", flat=True))
        copy = RuleProfile(
            code=_unique(profile.code, max_length=_CODE_MAX, taken=codes, tail_format="-copy{n}"),
            name=_unique(profile.name, max_length=_NAME_MAX, taken=names, tail_format="（複製{n}）"),
            source=profile.source,
            is_current=False,
            **{name: getattr(profile, name) for name in DAY_FIELDS},
        )
        copy.save(force_insert=True)
        audit_record(
            actor=actor,
            action="rule_profile.copy",
            target_type="rule_profile",
            target_id=copy.pk,
            detail={"code": copy.code, "copied_from": profile.code},
        )
    return copy


class ProfileNotApplicable(ValueError):
    """The profile cannot be the library's own yet (a template, or its law's articles not filled in)."""


def not_applicable_reason(profile: RuleProfile) -> str:
    """'' when ``profile`` can be made the library's own; otherwise why not (Japanese)."""
    missing = unfilled(law_name=profile.law_name, citations=profile.citations or {})
    if profile.is_template:
        return str(
            _("「%(name)s」はひな形です。複製して条項を記入し、「ひな形」の印を外してから適用してください。")
            % {"name": profile.name}
        )
    if missing:
        return str(
            _("「%(name)s」には記入していない項目があります（%(items)s）。記入してから適用してください。")
            % {"name": profile.name, "items": "、".join(missing)}
        )
    return ""


def rule_profile_make_current(*, actor: Actor, profile: RuleProfile) -> RuleProfile:
    """Make ``profile`` the library's own rules; the one current before is un-set in the same
    transaction (exactly one is current — the one_current_profile constraint). Requests already
    received keep the profile they were received under."""
    with transaction.atomic():
        # Lock every profile row so two administrators switching at once do not interleave.
        rows = list(RuleProfile.objects.select_for_update().order_by("pk"))
        target = next((p for p in rows if p.pk == profile.pk), None)
        if target is None:
            raise RuleProfile.DoesNotExist("期限ルールが見つかりません。")
        reason = not_applicable_reason(target)
        if reason:
            raise ProfileNotApplicable(reason)
        previous = [p.code for p in rows if p.is_current and p.pk != target.pk]
        if target.is_current:
            profile.is_current = True
            return profile
        RuleProfile.objects.filter(is_current=True).exclude(pk=target.pk).update(is_current=False)
        RuleProfile.objects.filter(pk=target.pk).update(is_current=True)
        profile.is_current = True
        audit_record(
            actor=actor,
            action="rule_profile.make_current",
            target_type="rule_profile",
            target_id=target.pk,
            detail={"code": target.code, "previous": previous[0] if previous else ""},
        )
    return profile
