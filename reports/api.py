"""The annual reports as figures (山梨県 要綱 第16条第6項 and 第50条), for privacy officers and administrators.

``GET /reports/{fiscal_year}/register-status`` and ``GET /reports/{fiscal_year}/enforcement`` return
the figures the PDFs print — counts and the register's numbers, no personal data — so that a city's
own reporting can take them without retyping. The PDFs themselves are downloaded on the reports page,
where each download is logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, P, PathEx, Router, Schema
from ninja.errors import HttpError

from privacy_admin.accounts.api_auth import staff_auth
from privacy_admin.core.api_schemas import error_responses
from privacy_admin.core.roles import Role
from reports import selectors

router = Router(tags=["reports"])

ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
_ROLES_TEXT = "利用できる役割: 個人情報保護責任者、システム管理者。"
FiscalYear = PathEx[int, P(ge=selectors.FIRST_FISCAL_YEAR, le=9999, description="年度（4月始まりの西暦年）")]


class ReportEntryOut(Schema):
    number: int = Field(description="登録番号")
    name: str = Field(description="事務の名称")
    registered_on: dt.date
    changed_on: dt.date | None
    abolished_on: dt.date | None


class RegisterStatusOut(Schema):
    fiscal_year: int
    label: str = Field(description="年度の表示（令和8年度 など）")
    start: dt.date
    end: dt.date
    in_force_at_start: int = Field(ge=0, description="年度の初めに登録されていた事務の数")
    registered: list[ReportEntryOut] = Field(description="年度中に登録した事務")
    changed_entries: int = Field(ge=0, description="年度中に登録事項を変更した事務の数")
    abolished: list[ReportEntryOut] = Field(description="年度中に廃止した事務")
    in_force_at_end: list[ReportEntryOut] = Field(description="年度末（3月31日）に登録されている事務")


class OutcomeOut(Schema):
    label: str
    count: int = Field(ge=0)


class KindOut(Schema):
    kind: str = Field(description="請求の種類（合計の行は total）")
    label: str
    received: int = Field(ge=0)
    withdrawn: int = Field(ge=0)
    pending: int = Field(ge=0, description="年度末に未決定")
    overdue: int = Field(
        ge=0, description="うち、基準日（年度末日、年度の途中では当日）に決定の期限を過ぎていたもの"
    )
    decided: int = Field(ge=0)
    on_time: int = Field(ge=0, description="期限内に決定した件数")
    extensions: int = Field(ge=0)
    special_extensions: int = Field(ge=0)
    outcomes: list[OutcomeOut]


class IncidentCountsOut(Schema):
    total: int = Field(ge=0)
    reportable: int = Field(ge=0)
    commission_reported: int = Field(ge=0)
    persons_notified: int = Field(ge=0)
    closed: int = Field(ge=0)
    open: int = Field(ge=0)


class ContractOut(Schema):
    number: str
    title: str
    contractor: str
    trainings: int = Field(ge=0)
    attendees: int = Field(ge=0)
    audits: int = Field(ge=0)


class EnforcementOut(Schema):
    fiscal_year: int
    label: str
    start: dt.date
    end: dt.date
    requests: list[KindOut]
    totals: KindOut
    complaints_received: int = Field(ge=0)
    complaints_answered_in_year: int = Field(ge=0)
    incidents: IncidentCountsOut
    contracts: list[ContractOut]
    register: RegisterStatusOut = Field(description="登録簿の状況")


def _year(year: int) -> int:
    try:
        return selectors.validate_year(year)
    except ValidationError as exc:
        raise HttpError(404, " ".join(exc.messages)) from None


def _entry(row: selectors.EntryRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "name": row.name,
        "registered_on": row.registered_on,
        "changed_on": row.changed_on,
        "abolished_on": row.abolished_on,
    }


def _status(status: selectors.RegisterStatus) -> dict[str, Any]:
    return {
        "fiscal_year": status.year,
        "label": status.label,
        "start": status.start,
        "end": status.end,
        "in_force_at_start": status.in_force_at_start,
        "registered": [_entry(r) for r in status.registered],
        "changed_entries": status.changed_entries,
        "abolished": [_entry(r) for r in status.abolished],
        "in_force_at_end": [_entry(r) for r in status.in_force_at_end],
    }


def _kind(row: selectors.KindRow) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "label": row.label,
        "received": row.received,
        "withdrawn": row.withdrawn,
        "pending": row.pending,
        "overdue": row.overdue,
        "decided": row.decided,
        "on_time": row.on_time,
        "extensions": row.extensions,
        "special_extensions": row.special_extensions,
        "outcomes": [{"label": label, "count": n} for label, n in row.outcomes],
    }


@router.get(
    "/reports/{fiscal_year}/register-status",
    auth=staff_auth(*ROLES),
    response={200: RegisterStatusOut, **error_responses(400, 401, 403, 404, 422, 500)},
    summary="登録簿の登録状況（山梨県 要綱 第16条第6項）",
    description="年度中の登録・変更・廃止と年度末の登録簿。まだ始まっていない年度は 404。" + _ROLES_TEXT,
    operation_id="report_register_status",
)
def report_register_status(request: HttpRequest, fiscal_year: FiscalYear) -> Any:
    return _status(selectors.register_status(_year(fiscal_year)))


@router.get(
    "/reports/{fiscal_year}/enforcement",
    auth=staff_auth(*ROLES),
    response={200: EnforcementOut, **error_responses(400, 401, 403, 404, 422, 500)},
    summary="施行状況（山梨県 要綱 第50条）",
    description=(
        "請求の種類ごとの件数・決定・期限内の決定・延長、苦情、漏えい等事案、委託契約ごとの研修と監査、"
        "登録簿の変更。まだ始まっていない年度は 404。" + _ROLES_TEXT
    ),
    operation_id="report_enforcement",
)
def report_enforcement(request: HttpRequest, fiscal_year: FiscalYear) -> Any:
    report = selectors.enforcement_status(_year(fiscal_year))
    incidents = report.incidents
    return {
        "fiscal_year": report.year,
        "label": report.label,
        "start": report.start,
        "end": report.end,
        "requests": [_kind(r) for r in report.requests],
        "totals": _kind(report.totals),
        "complaints_received": report.complaints.get("received", 0),
        "complaints_answered_in_year": report.complaints.get("answered_in_year", 0),
        "incidents": {
            "total": incidents.total,
            "reportable": incidents.reportable,
            "commission_reported": incidents.commission_reported,
            "persons_notified": incidents.persons_notified,
            "closed": incidents.closed,
            "open": incidents.open,
        },
        "contracts": [
            {
                "number": c.number,
                "title": c.title,
                "contractor": c.contractor,
                "trainings": c.trainings,
                "attendees": c.attendees,
                "audits": c.audits,
            }
            for c in report.contracts
        ],
        "register": _status(report.register),
    }
