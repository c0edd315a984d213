"""Shared by the incident services and reads: the clock, the history step names, and the checks of the
facts 山梨県 要綱 第48条 asks for (項目・内容・数量、発生場所、発生状況).

The checks collect every problem into one ``ValidationError`` keyed by the argument at fault, in
Japanese; they never write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from incidents import deadlines as rules
from incidents.models import Incident
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.errors import FieldErrors
from privacy_admin.core.text import clean_text
from register.models import RegisterEntry

TARGET_TYPE = "incident"
MAX_TEXT = 4000  # the TextFields (発生状況, 応急措置, 原因, 再発防止策) have no max_length of their own
MAX_PEOPLE = 10_000_000

# History change reasons, one per step (the detail page's history and timeline read them).
CHANGE_RECORD = "record"
CHANGE_FACTS = "facts"
CHANGE_BOARD = "board_report"
CHANGE_WRITTEN = "written_report"
CHANGE_TRIGGERS = "set_triggers"
CHANGE_COMMISSION_FIRST = "commission_first_report"
CHANGE_COMMISSION_FINAL = "commission_final_report"
CHANGE_PERSONS = "persons_notified"
CHANGE_CLOSE = "close"
CHANGE_LABELS: dict[str, StrOrPromise] = {
    CHANGE_RECORD: gettext_lazy("事案の記録"),
    CHANGE_FACTS: gettext_lazy("事実関係の修正"),
    CHANGE_BOARD: gettext_lazy("教育委員会への第一報"),
    CHANGE_WRITTEN: gettext_lazy("報告書及び今後の対処方針の提出"),
    CHANGE_TRIGGERS: gettext_lazy("報告対象の確認（チェックリスト）"),
    CHANGE_COMMISSION_FIRST: gettext_lazy("個人情報保護委員会への速報"),
    CHANGE_COMMISSION_FINAL: gettext_lazy("個人情報保護委員会への確報"),
    CHANGE_PERSONS: gettext_lazy("本人への通知"),
    CHANGE_CLOSE: gettext_lazy("完了"),
}

STAGE_FIRST = "first"
STAGE_FINAL = "final"


def _now() -> dt.datetime:
    return timezone.now()


def now() -> dt.datetime:
    """The services' clock ("not in the future" reads it; tests freeze ``_now``)."""
    return _now()


def today() -> dt.date:
    """The library's calendar day (Asia/Tokyo)."""
    return timezone.localtime(_now()).date()


def written_report_days() -> int:
    """山梨県 要綱 第48条「遅滞なく」: the marker in days (setting ``INCIDENT_WRITTEN_REPORT_DAYS``)."""
    return int(getattr(settings, "INCIDENT_WRITTEN_REPORT_DAYS", rules.WRITTEN_REPORT_DAYS))


def known_on(incident: Incident) -> dt.date:
    """The day the library knew of the incident (発覚日), on the library's calendar."""
    return timezone.localtime(incident.discovered_at).date()


# --- validation helpers ------------------------------------------------------------------------------


def field_of(name: str) -> Any:
    return Incident._meta.get_field(name)


def label_of(name: str) -> str:
    return str(field_of(name).verbose_name)


def check_text(
    errors: FieldErrors, key: str, raw: object, *, field: str | None = None, required: bool
) -> str:
    """Strip and NFC-normalise; bounded by the model's max_length (or ``MAX_TEXT``); no invisible chars."""
    model_field = field_of(field or key)
    return clean_text(
        errors,
        key,
        raw,
        label=str(model_field.verbose_name),
        required=required,
        limit=int(getattr(model_field, "max_length", 0) or MAX_TEXT),
        multiline=model_field.get_internal_type() == "TextField",
    )


def check_moment(
    errors: FieldErrors, key: str, value: object, *, label: str, required: bool = True
) -> dt.datetime | None:
    """An aware datetime that is given (when required) and not in the future."""
    if value is None or value == "":
        if required:
            errors.add(key, _("%(label)sを入力してください。") % {"label": label})
        return None
    if not isinstance(value, dt.datetime):
        errors.add(key, _("%(label)sを正しい日時で入力してください。") % {"label": label})
        return None
    if timezone.is_naive(value):
        errors.add(key, _("%(label)sのタイムゾーンが不明です。") % {"label": label})
        return None
    if value > now():
        errors.add(key, _("%(label)sに未来の日時は入力できません。") % {"label": label})
        return None
    return value


def check_day(errors: FieldErrors, key: str, value: object, *, label: str) -> dt.date | None:
    """A date (not a datetime) that is given and not in the future."""
    if value is None or value == "":
        errors.add(key, _("%(label)sを入力してください。") % {"label": label})
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.add(key, _("%(label)sを正しい日付で入力してください。") % {"label": label})
        return None
    if value > today():
        errors.add(key, _("%(label)sに未来の日付は入力できません。") % {"label": label})
        return None
    return value


def local(at: dt.datetime) -> dt.date:
    """The library's calendar day of an aware datetime."""
    return timezone.localtime(at).date()


# --- facts (山梨県 要綱 第48条: 項目・内容・数量、発生場所、発生状況) ---------------------------------------------


def facts(
    errors: FieldErrors,
    *,
    title: object,
    kind: object,
    discovered_at: object,
    discovered_by: object,
    occurred_at: object,
    data_items: object,
    other_items: object,
    register_entries: object,
    people_count: object,
    place: object,
    circumstances: object,
    first_measures: object,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": check_text(errors, "title", title, required=True),
        "discovered_by": check_text(errors, "discovered_by", discovered_by, required=True),
        "other_items": check_text(errors, "other_items", other_items, required=False),
        "place": check_text(errors, "place", place, required=True),
        "circumstances": check_text(errors, "circumstances", circumstances, required=True),
        "first_measures": check_text(errors, "first_measures", first_measures, required=False),
    }
    if not isinstance(kind, str) or kind not in Incident.Kind.values:
        errors.add(
            "kind",
            _("種別を選んでください（%(kinds)s）。")
            % {"kinds": _("・").join(str(k.label) for k in Incident.Kind)},
        )
    values["kind"] = kind
    found = check_moment(errors, "discovered_at", discovered_at, label=_("発覚日時"))
    values["discovered_at"] = found
    occurred = check_moment(errors, "occurred_at", occurred_at, label=_("発生日時"), required=False)
    if occurred is not None and found is not None and occurred > found:
        errors.add("occurred_at", _("発生日時が発覚日時より後になっています。"))
    values["occurred_at"] = occurred
    if isinstance(people_count, bool) or not isinstance(people_count, int):
        errors.add("people_count", _("本人の数を整数で入力してください。"))
    elif people_count < 1:
        errors.add(
            "people_count", _("本人の数は1以上で入力してください（正確な数が分からないときは見込みの数）。")
        )
    elif people_count > MAX_PEOPLE:
        errors.add("people_count", _("本人の数が大きすぎます。"))
    values["people_count"] = people_count
    items: list[str] = []
    if isinstance(data_items, str) or not isinstance(data_items, Iterable):
        errors.add("data_items", _("個人情報の項目は一覧から選んでください。"))
    else:
        for value in data_items:
            if value not in DataItem.values:
                errors.add("data_items", _("個人情報の項目は一覧（データ項目の語彙）から選んでください。"))
                break
            if value not in items:
                items.append(str(value))
    items.sort(key=DataItem.values.index)
    if not items and not values["other_items"] and "data_items" not in errors and "other_items" not in errors:
        errors.add(
            "data_items", _("漏えい等した個人情報の項目を1つ以上選ぶか、その他の項目に記入してください。")
        )
    values["data_items"] = items
    entries: list[RegisterEntry] = []
    if isinstance(register_entries, str) or not isinstance(register_entries, Iterable):
        errors.add("register_entries", _("関係する登録簿の事務は一覧から選んでください。"))
    else:
        keys = [e.pk if isinstance(e, RegisterEntry) else e for e in register_entries]
        if any(isinstance(k, bool) or not isinstance(k, int) for k in keys):
            errors.add("register_entries", _("関係する登録簿の事務は一覧から選んでください。"))
        else:
            entries = list(RegisterEntry.objects.filter(pk__in=keys).order_by("number"))
            if len(entries) != len(set(keys)):
                errors.add("register_entries", _("選んだ登録簿の事務が見つかりません。"))
    values["register_entries"] = entries
    return values
