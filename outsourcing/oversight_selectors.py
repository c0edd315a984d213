"""Reads for the oversight pages and the daily reminder (domain.md §6; 002; 004 特記事項11-13).

Library staff (privacy officers, administrators) see every contract's oversight. An operator reaches
only their own contract's business reports: ``operator_contract_for`` and ``operator_report_for`` answer
404 for anything else, and log the attempt, so that an operator cannot tell another contract exists.

Counts are computed in SQL with one correlated subquery per column, so the overview costs the same few
queries for 3 contracts or 300.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from privacy_admin.core.actor import Actor
from privacy_admin.core.calendar import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from privacy_admin.core.dates import format_japanese_month, to_wareki
from privacy_admin.core.roles import Role, has_role
from privacy_admin.core.view_events import no_view_event, view_logged_by_caller

from .models import (
    BusinessReport,
    Contract,
    ContractReview,
    CorrectiveAction,
    Handler,
    OnSiteAudit,
    TrainingSession,
)
from .scope import scope_for

REVIEW_WARNING_DAYS = 30  # the reminder warns of reviews due within this many days
# Daily reports are expected Monday to Saturday (weekday() 0-5): the pickup counters of 002 open six
# days a week. Sundays and holidays are not expected; a report filed on one is still accepted.
REPORT_WEEKDAYS = frozenset(range(6))


def _count(qs: QuerySet[Any], outer: str = "contract") -> Coalesce:
    """A correlated COUNT(*) of ``qs`` rows whose ``outer`` column is the outer contract."""
    sub = qs.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


# --- the overview: 委託の監督 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    contract: Contract
    review_state: str  # "overdue" | "soon" | "ok" | "ended"
    last_audit_on: dt.date | None
    trainings_this_year: int
    unreviewed_reports: int
    overdue_actions: int
    untrained_handlers: int


def review_state(contract: Contract, *, on: dt.date) -> str:
    if contract.status == Contract.Status.ENDED:
        return "ended"
    if contract.review_due_on < on:
        return "overdue"
    if contract.review_due_on <= on + dt.timedelta(days=REVIEW_WARNING_DAYS):
        return "soon"
    return "ok"


@no_view_event("the oversight overview: contract numbers, dates and counts, no handler's name")
def overview_rows(*, on: dt.date) -> list[OverviewRow]:
    """Every contract with its review date, last audit, this 年度's trainings, unreviewed reports,
    overdue corrective actions and handlers with no training. One query."""
    fy_start, fy_end = fiscal_year_bounds(fiscal_year_of(on))
    untrained = Handler.objects.exclude(
        Exists(TrainingSession.objects.filter(attendees=OuterRef("pk"), contract_id=OuterRef("contract_id")))
    )
    contracts = (
        Contract.objects.select_related("contractor")
        .annotate(
            last_audit_on=Subquery(
                OnSiteAudit.objects.filter(contract=OuterRef("pk"))
                .order_by()
                .values("contract")
                .annotate(last=Max("audited_on"))
                .values("last")
            ),
            trainings_this_year=_count(TrainingSession.objects.filter(held_on__range=(fy_start, fy_end))),
            unreviewed_reports=_count(BusinessReport.objects.filter(reviewed_at__isnull=True)),
            overdue_actions=_count(
                CorrectiveAction.objects.filter(done_on__isnull=True, due_on__lt=on), "audit__contract"
            ),
            untrained_handlers=_count(untrained),
        )
        .order_by("status", "review_due_on", "number")
    )
    return [
        OverviewRow(
            contract=c,
            review_state=review_state(c, on=on),
            last_audit_on=c.last_audit_on,
            trainings_this_year=c.trainings_this_year,
            unreviewed_reports=c.unreviewed_reports,
            overdue_actions=c.overdue_actions,
            untrained_handlers=c.untrained_handlers,
        )
        for c in contracts
    ]


# --- one contract ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandlerRow:
    handler: Handler
    trained: bool
    trainings: int


@dataclass(frozen=True)
class YearCount:
    year: int
    label: str
    sessions: int
    library: int
    contractor: int
    attendances: int


@view_logged_by_caller(
    "handlers shown on a contract's oversight page, which the library side opens through library_contract_for"
)
def handlers_with_training(contract: Contract) -> list[HandlerRow]:
    """The contract's handlers; one with no training under this contract may not work (gate)."""
    handlers = contract.handlers.select_related("user").annotate(
        n_trainings=Count("trainings", filter=Q(trainings__contract_id=contract.pk), distinct=True)
    )
    return [HandlerRow(h, h.n_trainings > 0, h.n_trainings) for h in handlers]


@view_logged_by_caller(
    "training sessions shown on a contract's oversight page (library_contract_for / operator_contract_for)"
)
def trainings_of(contract: Contract) -> list[TrainingSession]:
    return list(
        contract.trainings.select_related("recorded_by")
        .prefetch_related(Prefetch("attendees", queryset=Handler.objects.order_by("name")))
        .order_by("-held_on", "-pk")
    )


def training_counts_by_year(sessions: list[TrainingSession]) -> list[YearCount]:
    """Sessions per 年度 (April to March), newest first, split by provider (002: 区から1回、事業者で2回)."""
    years: dict[int, list[TrainingSession]] = {}
    for s in sessions:
        years.setdefault(fiscal_year_of(s.held_on), []).append(s)
    rows = []
    for year in sorted(years, reverse=True):
        group = years[year]
        rows.append(
            YearCount(
                year=year,
                label=fiscal_year_label(year),
                sessions=len(group),
                library=sum(1 for s in group if s.provider == TrainingSession.Provider.LIBRARY),
                contractor=sum(1 for s in group if s.provider == TrainingSession.Provider.CONTRACTOR),
                attendances=sum(len(s.attendees.all()) for s in group),
            )
        )
    return rows


@dataclass
class AuditRow:
    audit: OnSiteAudit
    ng: int
    actions: list[CorrectiveAction] = field(default_factory=list)
    open_actions: int = 0
    overdue_actions: int = 0


@view_logged_by_caller("on-site audits shown on a contract's oversight page (library side only)")
def audits_of(contract: Contract, *, on: dt.date) -> list[AuditRow]:
    audits = contract.audits.prefetch_related(
        Prefetch("actions", queryset=CorrectiveAction.objects.order_by("due_on", "pk"))
    ).order_by("-audited_on", "-pk")
    rows = []
    for audit in audits:
        actions = list(audit.actions.all())
        rows.append(
            AuditRow(
                audit=audit,
                ng=sum(1 for v in audit.checklist.values() if v == "ng"),
                actions=actions,
                open_actions=sum(1 for a in actions if a.done_on is None),
                overdue_actions=sum(1 for a in actions if action_overdue(a, on=on)),
            )
        )
    return rows


def action_overdue(action: CorrectiveAction, *, on: dt.date) -> bool:
    return action.done_on is None and action.due_on < on


def reviews_of(contract: Contract) -> list[ContractReview]:
    return list(contract.reviews.select_related("reviewed_by").order_by("-reviewed_on", "-pk"))


# --- business reports: what is expected, what is missing ------------------------------------------------


def month_bounds(month_start: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(month_start.year, month_start.month)[1]
    return month_start.replace(day=1), month_start.replace(day=last)


def expected_report_days(contract: Contract, *, first: dt.date, last: dt.date, on: dt.date) -> list[dt.date]:
    """The days in [first, last] a daily report is expected: Monday to Saturday, inside the contract's
    term, up to yesterday (today's report may still come)."""
    start = max(first, contract.starts_on)
    end = min(last, contract.ends_on, on - dt.timedelta(days=1))
    days = []
    day = start
    while day <= end:
        if day.weekday() in REPORT_WEEKDAYS:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def missing_daily_reports(contract: Contract, *, month_start: dt.date, on: dt.date) -> list[dt.date]:
    first, last = month_bounds(month_start)
    expected = expected_report_days(contract, first=first, last=last, on=on)
    if not expected:
        return []
    filed = set(
        contract.reports.filter(
            kind=BusinessReport.Kind.DAILY, period_start__range=(expected[0], expected[-1])
        ).values_list("period_start", flat=True)
    )
    return [d for d in expected if d not in filed]


def missing_monthly_reports(contract: Contract, *, on: dt.date) -> list[dt.date]:
    """Months of the contract's term that have ended (before this month) without a monthly report."""
    this_month = on.replace(day=1)
    month = contract.starts_on.replace(day=1)
    expected = []
    while month < this_month and month <= contract.ends_on:
        expected.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    filed = set(
        contract.reports.filter(kind=BusinessReport.Kind.MONTHLY).values_list("period_start", flat=True)
    )
    return [m for m in expected if m not in filed]


def month_label(month_start: dt.date) -> str:
    """令和8年4月 (元年 for the first year of an era; 2026年4月 when DATE_ERA_STYLE is 西暦)."""
    return format_japanese_month(month_start, style=settings.DATE_ERA_STYLE)


def period_label(report: BusinessReport) -> str:
    """What a report covers: 令和8年4月1日 for a daily report, 令和8年4月分 for a monthly one."""
    if report.kind == BusinessReport.Kind.MONTHLY:
        return month_label(report.period_start) + "分"
    return to_wareki(report.period_start)


def reports_of(contract: Contract, *, month_start: dt.date | None = None) -> list[BusinessReport]:
    """The contract's reports (of one month when given), each with ``period_label`` set."""
    qs = contract.reports.select_related("submitted_by", "reviewed_by").order_by("-period_start", "kind")
    if month_start is not None:
        first, last = month_bounds(month_start)
        qs = qs.filter(period_start__range=(first, last))
    reports = list(qs)
    for report in reports:
        report.period_label = period_label(report)  # type: ignore[attr-defined]
    return reports


def unreviewed_count(contract: Contract) -> int:
    return contract.reports.filter(reviewed_at__isnull=True).count()


# --- what an operator may reach -------------------------------------------------------------------------


def _out_of_scope(actor: Actor, *, what: str, target_id: object) -> Http404:
    from .oversight import report_record_out_of_scope

    report_record_out_of_scope(actor=actor, what=what, target_id=target_id)
    return Http404("見つかりません。")


LIBRARY_ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)


@view_logged_by_caller(
    "a contract's oversight page for the library side; recording on it writes the oversight.* events"
)
def library_contract_for(actor: Actor, pk: int) -> Contract:
    """Any contract, for the library side (privacy officers, administrators); 404 for anyone else."""
    contract = (
        Contract.objects.select_related("contractor").filter(pk=pk).first()
        if has_role(actor, *LIBRARY_ROLES)
        else None
    )
    if contract is None:
        raise Http404("委託契約が見つかりません。")
    return contract


@view_logged_by_caller(
    "an on-site audit to add corrective actions to; the action writes oversight.action_add"
)
def library_audit_for(actor: Actor, pk: int) -> OnSiteAudit:
    """An on-site audit, for the library side only; 404 for anyone else (operators never see audits)."""
    audit = (
        OnSiteAudit.objects.select_related("contract", "recorded_by").filter(pk=pk).first()
        if has_role(actor, *LIBRARY_ROLES)
        else None
    )
    if audit is None:
        raise Http404("実地監査が見つかりません。")
    return audit


@view_logged_by_caller(
    "the operator's own contract page; another contract is refused and logged (oversight.report_out_of_scope)"
)
def operator_contract_for(actor: Actor, pk: int) -> Contract:
    """The operator's own contract, while it is in force and they are trained (``scope_for``); 404
    otherwise. Asking for another contract leaves a trace (denied) in the access log."""
    scope = scope_for(actor)
    if scope.contract_id is None or scope.contract_id != pk:
        raise _out_of_scope(actor, what="contract", target_id=pk)
    return Contract.objects.select_related("contractor").get(pk=pk)


@view_logged_by_caller("the contract an operator reports under; submitting writes oversight.report_submit")
def operator_home_contract(actor: Actor) -> Contract:
    """The contract an operator reports under; 404 when they have none they may work under."""
    scope = scope_for(actor)
    if scope.contract_id is None:
        raise Http404("委託契約が見つかりません。")
    return Contract.objects.select_related("contractor").get(pk=scope.contract_id)


def operator_report_for(actor: Actor, pk: int) -> BusinessReport:
    """A report of the operator's own contract; 404 (logged) for any other."""
    scope = scope_for(actor)
    report = (
        BusinessReport.objects.select_related("contract", "reviewed_by")
        .filter(pk=pk, contract_id=scope.contract_id)
        .first()
        if scope.contract_id is not None
        else None
    )
    if report is None:
        raise _out_of_scope(actor, what="business_report", target_id=pk)
    return report


# --- the reminder ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDue:
    number: str
    due_on: dt.date
    overdue: bool
    pre_approved: bool


@dataclass(frozen=True)
class ActionOverdue:
    number: str
    audited_on: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class ReminderItems:
    reviews: list[ReviewDue]
    actions: list[ActionOverdue]
    unreviewed_reports: int


def reminder_items(*, on: dt.date) -> ReminderItems:
    """Reviews due within REVIEW_WARNING_DAYS or overdue, and corrective actions past due, of every
    contract not ended — 事前一括承認基準 ones included (002). Contract numbers and dates only."""
    horizon = on + dt.timedelta(days=REVIEW_WARNING_DAYS)
    live = Contract.objects.exclude(status=Contract.Status.ENDED)
    reviews = [
        ReviewDue(number, due, due < on, procedure == Contract.Procedure.PRE_APPROVAL)
        for number, due, procedure in live.filter(review_due_on__lte=horizon)
        .order_by("review_due_on", "number")
        .values_list("number", "review_due_on", "procedure")
    ]
    actions = [
        ActionOverdue(number, audited_on, due_on)
        for number, audited_on, due_on in CorrectiveAction.objects.filter(
            done_on__isnull=True, due_on__lt=on, audit__contract__in=live
        )
        .order_by("due_on", "pk")
        .values_list("audit__contract__number", "audit__audited_on", "due_on")
    ]
    unreviewed = BusinessReport.objects.filter(reviewed_at__isnull=True, contract__in=live).count()
    return ReminderItems(reviews=reviews, actions=actions, unreviewed_reports=unreviewed)
