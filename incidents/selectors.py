"""Reads of incidents that depend on who asks (architecture §2), and what each incident still owes.

Only privacy officers and administrators reach incidents (domain §1: the officer records incidents);
for anyone else an incident does not exist (404). What is due and when comes from the pure module
``incident_deadlines``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure_requests.profiles import cite_in_force, note_in_force
from incidents import deadlines as rules
from incidents.models import Incident
from incidents.validation import today, written_report_days
from privacy_admin.core.actor import Actor
from privacy_admin.core.roles import Role, has_role

READ_ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
NOT_FOUND = "事案が見つかりません。"


def may_handle_incidents(actor: Actor) -> bool:
    return has_role(actor, *READ_ROLES)


def incidents_visible_to(actor: Actor) -> QuerySet[Incident]:
    qs = Incident.objects.all()
    return qs if may_handle_incidents(actor) else qs.none()


def get_incident_for(actor: Actor, pk: int | str) -> Incident:
    """The incident, if ``actor`` may handle incidents; Http404 otherwise (absent and forbidden look alike)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    if key < 1 or key > 2**63 - 1:
        raise Http404(NOT_FOUND)
    incident = incidents_visible_to(actor).filter(pk=key).first()
    if incident is None:
        raise Http404(NOT_FOUND)
    return incident


def triggers_of(incident: Any) -> rules.Triggers:
    """The checklist of an incident (or of one of its history versions)."""
    return rules.Triggers(
        involves_sensitive=incident.involves_sensitive,
        financial_harm=incident.financial_harm,
        wrongful_purpose=incident.wrongful_purpose,
        people_count=incident.people_count,
    )


def board_basis() -> str:
    """What the steps to the board of education cite under the rule profile in force (「山梨県 要綱第48条第1項」),
    '' when its law has none (the Act: the report inside the board is the city's own rule)."""
    return cite_in_force("incident_board_report")


def board_note() -> str:
    """「（山梨県 要綱第48条第1項）」 after a board step's name, or '' when the profile cites nothing."""
    return note_in_force("incident_board_report")


def incident_due_items(
    incident: Incident, on: dt.date | None = None, *, basis: str | None = None
) -> list[rules.DueItem]:
    """Every step the incident requires, with its due day, what is done and what is overdue on ``on``
    (``basis``: the board steps' citation when the caller has it already, else the profile's)."""
    return rules.due_items(
        discovered_at=incident.discovered_at,
        triggers=triggers_of(incident),
        progress=rules.Progress(
            board_reported_at=incident.board_reported_at,
            written_report_on=incident.written_report_on,
            commission_first_report_at=incident.commission_first_report_at,
            commission_final_report_on=incident.commission_final_report_on,
            persons_notified_on=incident.persons_notified_on,
        ),
        today=on if on is not None else today(),
        written_report_days=written_report_days(),
        tz=timezone.get_default_timezone(),
        board_basis=board_basis() if basis is None else basis,
    )


def checklist_confirmed_at(incident: Incident) -> dt.datetime | None:
    """When the checklist of 規則 第43条 was last recorded, or None."""
    return incident.checklist_confirmed_at


def missing_steps(incident: Incident) -> list[str]:
    """What must still be recorded before the incident can be closed (Japanese, one line each)."""
    missing = []
    note = board_note()
    if incident.board_reported_at is None:
        missing.append(_("教育委員会への第一報") + note)
    if not incident.first_measures:
        missing.append(_("応急措置の内容") + note)
    if incident.written_report_on is None:
        missing.append(_("報告書及び今後の対処方針の提出") + note)
    if checklist_confirmed_at(incident) is None:
        missing.append(_("報告対象の事態に当たるかのチェックリスト（規則 第43条）"))
    if incident.reportable:
        if incident.commission_first_report_at is None:
            missing.append(_("個人情報保護委員会への速報（法第68条第1項、規則 第44条第1項）"))
        if incident.commission_final_report_on is None:
            missing.append(_("個人情報保護委員会への確報（法第68条第1項、規則 第44条第2項）"))
        if incident.persons_notified_on is None:
            missing.append(_("本人への通知（法第68条第2項）"))
    return missing


@dataclass(frozen=True)
class Row:
    incident: Incident
    items: list[rules.DueItem]
    next: rules.DueItem | None
    overdue: list[rules.DueItem]

    @property
    def is_open(self) -> bool:
        return self.incident.status == Incident.Status.OPEN


def incident_rows(actor: Actor, *, on: dt.date | None = None, open_only: bool = False) -> list[Row]:
    """Incidents for the list: open ones first (the most urgent next step first), then closed ones
    (latest first). Closed incidents owe nothing, so their steps are not computed."""
    day = on if on is not None else today()
    qs = incidents_visible_to(actor)
    if open_only:
        qs = qs.filter(status=Incident.Status.OPEN)
    rows = []
    basis = board_basis()
    for incident in qs.order_by("-discovered_at", "-pk"):
        open_ = incident.status == Incident.Status.OPEN
        items = incident_due_items(incident, day, basis=basis) if open_ else []
        rows.append(
            Row(
                incident=incident,
                items=items,
                next=rules.next_due(items),
                overdue=[i for i in items if i.overdue],
            )
        )
    far = dt.date.max
    rows.sort(key=lambda r: (False, r.next.due_on if r.next else far) if r.is_open else (True, far))
    return rows


def dashboard_panel(actor: Actor, *, on: dt.date | None = None) -> list[Row]:
    """Open incidents with their next deadline, for the officers' dashboard."""
    return incident_rows(actor, on=on, open_only=True)
