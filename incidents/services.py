"""Incidents: a leak, loss or damage of personal information, or the risk of it (山梨県 要綱 第48条; 個人情報保護法
第68条, 施行規則 第43条–第45条). Every write.

Each service is keyword-only, validates before it writes, raises ``ValidationError`` with Japanese
messages keyed by the argument at fault and changes nothing when the input is bad. It locks the incident
row, saves a django-simple-history version named after the step (``history_change_reason``) and writes
its access-log event ``incident.*`` in the same ``transaction.atomic()``. The event names the incident by
id and carries counts and codes only: an incident's description may hold personal data.

What is due and when: the pure module ``incident_deadlines``; reads: ``incident_selectors``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from incidents import deadlines as rules
from incidents.models import Incident
from incidents.selectors import board_note, incident_due_items, missing_steps
from incidents.validation import (
    CHANGE_BOARD,
    CHANGE_CLOSE,
    CHANGE_COMMISSION_FINAL,
    CHANGE_COMMISSION_FIRST,
    CHANGE_FACTS,
    CHANGE_PERSONS,
    CHANGE_RECORD,
    CHANGE_TRIGGERS,
    CHANGE_WRITTEN,
    STAGE_FINAL,
    STAGE_FIRST,
    TARGET_TYPE,
    check_day,
    check_moment,
    check_text,
    facts,
    known_on,
    label_of,
    local,
    now,
)
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor, user_of
from privacy_admin.core.dates import format_date
from privacy_admin.core.errors import FieldErrors, refuse
from privacy_admin.core.numbering import create_numbered, next_number, record_prefix
from register.models import RegisterEntry


def _audit(
    *,
    actor: Actor,
    action: str,
    incident: Incident,
    detail: dict[str, Any] | None = None,
    standalone: bool = False,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=TARGET_TYPE,
        target_id=incident.pk,
        detail=detail,
        standalone=standalone,
    )


def _save(incident: Incident, reason: str, *, actor: Actor) -> None:
    """Save with the step's name (and who took it) on the django-simple-history version."""
    incident._change_reason = reason  # type: ignore[attr-defined]
    if getattr(actor, "is_authenticated", False):
        incident._history_user = actor  # type: ignore[attr-defined]
    incident.save()


def _lock(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _refresh(incident: Incident) -> None:
    incident.refresh_from_db()
    cache = getattr(incident, "_prefetched_objects_cache", None)
    if cache:
        cache.clear()


def _require_open(incident: Incident, what: str) -> None:
    if incident.status != Incident.Status.OPEN:
        raise refuse("__all__", _("この事案は完了しているため、%(what)sはできません。") % {"what": what})


def _next_number(discovered_on: dt.date) -> str:
    """R8-事案-001: the 和暦 year of the day of knowing and a sequence within it — the style of the
    requests' and complaints' numbers. Incidents numbered before (事案-2026-001) keep their numbers."""
    return next_number(Incident.objects.all(), record_prefix(discovered_on, "事案"), width=3)


# --- services ---------------------------------------------------------------------------------------


def incident_record(
    *,
    actor: Actor,
    title: str,
    kind: str,
    discovered_at: dt.datetime,
    discovered_by: str,
    people_count: int,
    place: str,
    circumstances: str,
    data_items: Iterable[str] = (),
    other_items: str = "",
    occurred_at: dt.datetime | None = None,
    first_measures: str = "",
    register_entries: Iterable[RegisterEntry | int] = (),
) -> Incident:
    """Record an incident the library knew of (山梨県 要綱 第48条) under R<和暦年>-事案-<連番>.

    The day of knowing (``discovered_at``) starts every deadline: the first report to the board is due
    that day. More than 100 people makes it reportable to the Commission at once (規則 第43条第4号).
    """
    errors = FieldErrors()
    values = facts(
        errors,
        title=title,
        kind=kind,
        discovered_at=discovered_at,
        discovered_by=discovered_by,
        occurred_at=occurred_at,
        data_items=data_items,
        other_items=other_items,
        register_entries=register_entries,
        people_count=people_count,
        place=place,
        circumstances=circumstances,
        first_measures=first_measures,
    )
    errors.raise_if_any()
    entries = values.pop("register_entries")

    def create() -> Incident:
        incident = Incident(
            number=_next_number(local(values["discovered_at"])), recorded_by=user_of(actor), **values
        )
        _save(incident, CHANGE_RECORD, actor=actor)
        incident.register_entries.set(entries)
        _audit(
            actor=actor,
            action="incident.record",
            incident=incident,
            detail={
                "kind": incident.kind,
                "people_count": incident.people_count,
                "data_items": incident.data_items,
                "register_entry_ids": [e.pk for e in entries],
                "reportable": incident.reportable,
            },
        )
        return incident

    # Two records may take the same number at once: the later draws the next one.
    return create_numbered(
        create,
        exhausted=lambda: refuse("__all__", _("事案番号を採番できませんでした。もう一度登録してください。")),
    )


def incident_update_facts(
    *,
    actor: Actor,
    incident: Incident,
    title: str,
    kind: str,
    discovered_at: dt.datetime,
    discovered_by: str,
    people_count: int,
    place: str,
    circumstances: str,
    data_items: Iterable[str] = (),
    other_items: str = "",
    occurred_at: dt.datetime | None = None,
    first_measures: str = "",
    register_entries: Iterable[RegisterEntry | int] = (),
) -> Incident:
    """Correct or complete the facts while the incident is open (the number does not change).

    Steps already recorded must stay on or after the day of knowing.
    """
    with transaction.atomic():
        locked = _lock(incident)
        _require_open(locked, _("事実関係の修正"))
        errors = FieldErrors()
        values = facts(
            errors,
            title=title,
            kind=kind,
            discovered_at=discovered_at,
            discovered_by=discovered_by,
            occurred_at=occurred_at,
            data_items=data_items,
            other_items=other_items,
            register_entries=register_entries,
            people_count=people_count,
            place=place,
            circumstances=circumstances,
            first_measures=first_measures,
        )
        found = values["discovered_at"]
        if found is not None:
            recorded = [
                (_("教育委員会への第一報"), locked.board_reported_at),
                (_("個人情報保護委員会への速報"), locked.commission_first_report_at),
            ]
            for label, moment in recorded:
                if moment is not None and moment < found:
                    errors.add(
                        "discovered_at",
                        _("発覚日時が、記録済みの%(label)sの日時より後になっています。") % {"label": label},
                    )
            days = [
                (_("報告書の提出日"), locked.written_report_on),
                (_("確報の日"), locked.commission_final_report_on),
                (_("本人への通知の日"), locked.persons_notified_on),
            ]
            for label, day in days:
                if day is not None and day < local(found):
                    errors.add(
                        "discovered_at",
                        _("発覚日が、記録済みの%(label)sより後になっています。") % {"label": label},
                    )
        errors.raise_if_any()
        entries = values.pop("register_entries")
        was_reportable = locked.reportable
        for name, value in values.items():
            setattr(locked, name, value)
        _save(locked, CHANGE_FACTS, actor=actor)
        locked.register_entries.set(entries)
        _audit(
            actor=actor,
            action="incident.update_facts",
            incident=locked,
            detail={
                "kind": locked.kind,
                "people_count": locked.people_count,
                "data_items": locked.data_items,
                "register_entry_ids": [e.pk for e in entries],
                "reportable": locked.reportable,
                "reportable_changed": locked.reportable != was_reportable,
            },
        )
    _refresh(incident)
    return incident


def incident_board_report(
    *, actor: Actor, incident: Incident, reported_at: dt.datetime, reported_by: str
) -> Incident:
    """The first report to the board of education (山梨県 要綱 第48条: 「直ちにその旨を教育委員会に報告し」).

    Its time and who made it. Recording it again corrects it (the earlier version stays in the history).
    """
    with transaction.atomic():
        locked = _lock(incident)
        _require_open(locked, _("第一報の記録"))
        errors = FieldErrors()
        at = check_moment(errors, "reported_at", reported_at, label=_("第一報の日時"))
        who = check_text(errors, "reported_by", reported_by, field="board_reported_by", required=True)
        if at is not None and at < locked.discovered_at:
            errors.add("reported_at", _("第一報の日時が発覚日時より前です。"))
        errors.raise_if_any()
        assert at is not None
        corrected = locked.board_reported_at is not None
        locked.board_reported_at = at
        locked.board_reported_by = who
        _save(locked, CHANGE_BOARD, actor=actor)
        _audit(
            actor=actor,
            action="incident.board_report",
            incident=locked,
            detail={"corrected": corrected, "same_day": local(at) == known_on(locked)},
        )
    _refresh(incident)
    return incident


def incident_written_report(
    *, actor: Actor, incident: Incident, submitted_on: dt.date, cause: str, prevention_plan: str
) -> Incident:
    """The written report and the plan to prevent it (山梨県 要綱 第48条: 「速やかに応急措置を講じた後、遅滞なく
    …報告書及び今後の対処方針を記した文書を提出し」).

    Refused before the first report to the board and before the first measures are recorded.
    """
    with transaction.atomic():
        locked = _lock(incident)
        _require_open(locked, _("報告書の記録"))
        missing = []
        note = board_note()
        if locked.board_reported_at is None:
            missing.append(_("教育委員会への第一報%(basis)sを先に記録してください。") % {"basis": note})
        if not locked.first_measures:
            missing.append(
                _("報告書は応急措置を講じた後に提出します%(basis)s。応急措置の内容を先に記録してください。")
                % {"basis": note}
            )
        if missing:
            raise refuse("__all__", *missing)
        assert locked.board_reported_at is not None
        errors = FieldErrors()
        day = check_day(errors, "submitted_on", submitted_on, label=_("報告書の提出日"))
        cause_text = check_text(errors, "cause", cause, required=True)
        plan = check_text(errors, "prevention_plan", prevention_plan, required=True)
        if day is not None and day < local(locked.board_reported_at):
            errors.add("submitted_on", _("報告書の提出日が第一報の日より前です。"))
        errors.raise_if_any()
        corrected = locked.written_report_on is not None
        locked.written_report_on = day
        locked.cause = cause_text
        locked.prevention_plan = plan
        _save(locked, CHANGE_WRITTEN, actor=actor)
        _audit(
            actor=actor, action="incident.written_report", incident=locked, detail={"corrected": corrected}
        )
    _refresh(incident)
    return incident


def incident_set_triggers(
    *,
    actor: Actor,
    incident: Incident,
    involves_sensitive: bool,
    financial_harm: bool,
    wrongful_purpose: bool,
) -> Incident:
    """The checklist of 規則 第43条. More than 100 people (第4号) is read from the number of people.

    When any item is met, the report to the Commission and the notice to each person become due (法第68条).
    """
    errors = FieldErrors()
    flags = {
        "involves_sensitive": involves_sensitive,
        "financial_harm": financial_harm,
        "wrongful_purpose": wrongful_purpose,
    }
    for key, value in flags.items():
        if not isinstance(value, bool):
            errors.add(key, _("「%(key)s」に当たるかどうかを選んでください。") % {"key": label_of(key)})
    errors.raise_if_any()
    with transaction.atomic():
        locked = _lock(incident)
        _require_open(locked, _("チェックリストの記録"))
        was_reportable = locked.reportable
        for key, value in flags.items():
            setattr(locked, key, value)
        locked.checklist_confirmed_at = now()
        _save(locked, CHANGE_TRIGGERS, actor=actor)
        _audit(
            actor=actor,
            action="incident.set_triggers",
            incident=locked,
            detail={
                **flags,
                "more_than_100": locked.more_than_100,
                "reportable": locked.reportable,
                "reportable_changed": locked.reportable != was_reportable,
            },
        )
    _refresh(incident)
    return incident


def incident_commission_report(
    *,
    actor: Actor,
    incident: Incident,
    stage: str,
    reported_at: dt.datetime | None = None,
    reported_on: dt.date | None = None,
) -> Incident:
    """A report to the Personal Information Protection Commission (法第68条第1項; 規則 第44条).

    ``stage="first"``: the 速報, with its time (``reported_at``); ``stage="final"``: the 確報, with its
    day (``reported_on``). Refused when no trigger of 規則 第43条 is met, and the 確報 before the 速報.
    """
    if stage not in (STAGE_FIRST, STAGE_FINAL):
        raise refuse("stage", _("速報か確報かを選んでください。"))
    with transaction.atomic():
        locked = _lock(incident)
        _require_open(locked, _("個人情報保護委員会への報告の記録"))
        if not locked.reportable:
            raise refuse(
                "__all__",
                _(
                    "この事案は報告対象の事態（規則第43条各号）に当たらないため、個人情報保護委員会への報告は"
                    "記録できません。当たる場合は、先にチェックリストを更新してください。"
                ),
            )
        errors = FieldErrors()
        known = known_on(locked)
        if stage == STAGE_FIRST:
            at = check_moment(errors, "reported_at", reported_at, label=_("速報の日時"))
            if at is not None and at < locked.discovered_at:
                errors.add("reported_at", _("速報の日時が発覚日時より前です。"))
            if (
                at is not None
                and locked.commission_final_report_on is not None
                and local(at) > locked.commission_final_report_on
            ):
                errors.add("reported_at", _("速報の日時が、記録済みの確報の日より後です。"))
            errors.raise_if_any()
            corrected = locked.commission_first_report_at is not None
            locked.commission_first_report_at = at
            reason, action = CHANGE_COMMISSION_FIRST, "incident.commission_first_report"
        else:
            if locked.commission_first_report_at is None:
                raise refuse(
                    "__all__", _("速報を記録してから確報を記録してください（規則第44条第1項・第2項）。")
                )
            day = check_day(errors, "reported_on", reported_on, label=_("確報の日"))
            if day is not None and day < local(locked.commission_first_report_at):
                errors.add("reported_on", _("確報の日が速報の日より前です。"))
            if day is not None and day < known:
                errors.add("reported_on", _("確報の日が発覚日より前です。"))
            errors.raise_if_any()
            corrected = locked.commission_final_report_on is not None
            locked.commission_final_report_on = day
            reason, action = CHANGE_COMMISSION_FINAL, "incident.commission_final_report"
        _save(locked, reason, actor=actor)
        item = next(i for i in incident_due_items(locked) if i.step == _STEP_OF_STAGE[stage])
        _audit(
            actor=actor,
            action=action,
            incident=locked,
            detail={"stage": stage, "corrected": corrected, "on_time": not item.late},
        )
    _refresh(incident)
    return incident


_STEP_OF_STAGE = {
    STAGE_FIRST: rules.Step.COMMISSION_FIRST_REPORT,
    STAGE_FINAL: rules.Step.COMMISSION_FINAL_REPORT,
}


def incident_persons_notified(
    *, actor: Actor, incident: Incident, notified_on: dt.date, method: str
) -> Incident:
    """The notice to each person (法第68条第2項; 規則 第45条: 「当該事態の状況に応じて速やかに」).

    Required when the incident is reportable; a library may also notify when it is not.
    """
    with transaction.atomic():
        locked = _lock(incident)
        _require_open(locked, _("本人への通知の記録"))
        errors = FieldErrors()
        day = check_day(errors, "notified_on", notified_on, label=_("本人への通知の日"))
        how = check_text(errors, "method", method, field="persons_notice_method", required=True)
        if day is not None and day < known_on(locked):
            errors.add("notified_on", _("本人への通知の日が発覚日より前です。"))
        errors.raise_if_any()
        corrected = locked.persons_notified_on is not None
        locked.persons_notified_on = day
        locked.persons_notice_method = how
        _save(locked, CHANGE_PERSONS, actor=actor)
        _audit(
            actor=actor,
            action="incident.persons_notified",
            incident=locked,
            detail={"corrected": corrected, "required": locked.reportable},
        )
    _refresh(incident)
    return incident


def incident_close(*, actor: Actor, incident: Incident, closed_on: dt.date) -> Incident:
    """Close the incident once every step it requires is recorded; the list of what is missing otherwise."""
    with transaction.atomic():
        locked = _lock(incident)
        if locked.status == Incident.Status.CLOSED:
            raise refuse("__all__", _("この事案はすでに完了しています。"))
        missing = missing_steps(locked)
        if missing:
            raise refuse(
                "__all__",
                _("次の手続きが記録されていないため、完了にできません。"),
                *(_("・%(m)s") % {"m": m} for m in missing),
            )
        errors = FieldErrors()
        day = check_day(errors, "closed_on", closed_on, label=_("完了日"))
        if day is not None:
            done = [i.done_on for i in incident_due_items(locked) if i.done_on is not None]
            if locked.persons_notified_on is not None:
                done.append(locked.persons_notified_on)
            latest = max([known_on(locked), *done])
            if day < latest:
                errors.add(
                    "closed_on",
                    _("完了日が、記録済みの最後の手続きの日（%(latest)s）より前です。")
                    % {"latest": format_date(latest)},
                )
        errors.raise_if_any()
        locked.closed_on = day
        locked.status = Incident.Status.CLOSED
        _save(locked, CHANGE_CLOSE, actor=actor)
        _audit(
            actor=actor,
            action="incident.close",
            incident=locked,
            detail={"reportable": locked.reportable, "late_steps": [str(i.step) for i in _late(locked)]},
        )
    _refresh(incident)
    return incident


def _late(incident: Incident) -> list[rules.DueItem]:
    return [i for i in incident_due_items(incident) if i.late]


def incident_record_view(*, actor: Actor, incident: Incident, what: str = "detail") -> None:
    """An incident's description may hold personal data: every look (page or PDF) leaves a trace."""
    _audit(actor=actor, action="incident.view", incident=incident, detail={"view": what}, standalone=True)
