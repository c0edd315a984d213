"""The incidents API (山梨県 要綱 第48条; APPI art. 68), for privacy officers and administrators.

``GET /incidents`` lists the incidents with the next step each one owes and its due day (the
officers' dashboard as JSON); ``GET /incidents/{incident_id}`` gives one with every step, what is
still missing before it may be closed, and writes ``incident.view`` (its description may hold
personal data). Recording and the reports themselves are done on the pages, which show the
checklist and the law beside each step.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, P, PathEx, Query, Router, Schema

from incidents import deadlines as rules
from incidents import selectors
from incidents.models import Incident
from incidents.services import incident_record_view
from privacy_admin.accounts.api_auth import staff_auth
from privacy_admin.core.api_schemas import BIGINT_MAX, OneOf, error_responses
from privacy_admin.core.roles import Role

router = Router(tags=["incidents"])

ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
_ROLES_TEXT = "利用できる役割: 個人情報保護責任者、システム管理者。"
IncidentId = PathEx[int, P(ge=1, le=BIGINT_MAX, description="事案の id")]


class StepOut(Schema):
    step: Annotated[str, OneOf(rules.Step)] = Field(description="手順")
    label: str = Field(description="手順の名称")
    due_on: dt.date = Field(description="期限（「直ちに」「速やかに」の手順は目安の日）")
    done_on: dt.date | None = Field(description="記録した日（未了なら null）")
    overdue: bool = Field(description="未了のまま期限を過ぎている")
    timing: str = Field(description="規定の文言（直ちに、30日以内 など）")
    basis: str = Field(description="根拠条文")


class IncidentOut(Schema):
    id: int
    number: str = Field(description="事案番号")
    title: str = Field(description="件名")
    kind: Annotated[str, OneOf(Incident.Kind)] = Field(description="種別")
    status: Annotated[str, OneOf(Incident.Status)] = Field(description="状態")
    discovered_at: dt.datetime = Field(description="発覚日時")
    people_count: int = Field(ge=0, description="本人の数")
    reportable: bool = Field(description="個人情報保護委員会への報告の対象（法第68条）")
    next_step: StepOut | None = Field(description="次に期限が来る未了の手順（完了した事案は null）")


class IncidentDetailOut(IncidentOut):
    steps: list[StepOut] = Field(description="事案が求めるすべての手順")
    missing: list[str] = Field(description="完了の前に記録が必要なもの")


class ListFilter(Schema):
    open_only: bool = Field(False, description="対応中の事案だけ")


def _step(item: rules.DueItem) -> dict[str, Any]:
    return {
        "step": str(item.step),
        "label": item.label,
        "due_on": item.due_on,
        "done_on": item.done_on,
        "overdue": item.overdue,
        "timing": item.timing,
        "basis": item.basis,
    }


def _incident(incident: Incident, next_item: rules.DueItem | None) -> dict[str, Any]:
    return {
        "id": incident.pk,
        "number": incident.number,
        "title": incident.title,
        "kind": incident.kind,
        "status": incident.status,
        "discovered_at": incident.discovered_at,
        "people_count": incident.people_count,
        "reportable": incident.reportable,
        "next_step": _step(next_item) if next_item else None,
    }


@router.get(
    "/incidents",
    auth=staff_auth(*ROLES),
    response={200: list[IncidentOut], **error_responses(400, 401, 403, 422, 500)},
    summary="漏えい等事案の一覧",
    description="対応中の事案を次の期限の近い順に、続けて完了した事案を返します。" + _ROLES_TEXT,
    operation_id="incident_list",
)
def incident_list(request: HttpRequest, filters: Query[ListFilter]) -> Any:
    rows = selectors.incident_rows(request.auth, open_only=filters.open_only)  # type: ignore[attr-defined]
    return [_incident(row.incident, row.next) for row in rows]


@router.get(
    "/incidents/{incident_id}",
    auth=staff_auth(*ROLES),
    response={200: IncidentDetailOut, **error_responses(400, 401, 403, 404, 422, 500)},
    summary="漏えい等事案",
    description="事案の手順と期限、完了までに記録が必要なものを返します。閲覧はアクセスログに残ります。"
    + _ROLES_TEXT,
    operation_id="incident_detail",
)
def incident_detail(request: HttpRequest, incident_id: IncidentId) -> Any:
    actor = request.auth  # type: ignore[attr-defined]
    incident = selectors.get_incident_for(actor, incident_id)
    incident_record_view(actor=actor, incident=incident, what="api")
    items = selectors.incident_due_items(incident) if incident.status == Incident.Status.OPEN else []
    return _incident(incident, rules.next_due(items)) | {
        "steps": [_step(i) for i in items],
        "missing": selectors.missing_steps(incident),
    }
