"""Reads of 開示等請求 that depend on who asks (architecture §2).

Requests hold the requester's personal data and what they asked about: only privacy officers and
administrators reach them (domain §1). For anyone else a request does not exist (404), so that a
contractor's operator cannot even learn that a number is taken.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.http import Http404

from privacy_admin.core.actor import Actor
from privacy_admin.core.calendar import Calendar
from privacy_admin.core.roles import Role, has_role
from privacy_admin.core.view_events import no_view_event, view_logged_by_caller

from . import deadlines
from .models import (
    Amendment,
    Complaint,
    CorrectionExecution,
    Decision,
    DisclosureExecution,
    Extension,
    OnlineApplication,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    ThirdPartyConsultation,
)
from .profiles import library_calendar
from .services import (
    DISCLOSING_OUTCOMES,
    GRANTING_OUTCOMES,
    OPEN_STATUSES,
    earliest_disclosure_on,
    effective_due_on,
    method_choice_deadline,
    nth_open_day_after,
    request_deadline,
    request_identity_documents,
    request_record_view,
    special_deadlines,
    special_extension_of,
)
from .services import today as library_today
from .timeline import Event, HistoryRow, Steps, history_rows, missing_items, next_steps, timeline_events

READ_ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
NOT_FOUND = "請求が見つかりません。"


def may_handle_requests(actor: Actor) -> bool:
    return has_role(actor, *READ_ROLES)


@view_logged_by_caller(
    "the scoped base of every request read; the detail page and the API write privacy_request.view (request_record_view)"
)
def requests_visible_to(actor: Actor) -> QuerySet[PrivacyRequest]:
    qs = PrivacyRequest.objects.select_related("profile")
    if not may_handle_requests(actor):
        return qs.none()
    return qs


def _with_deadline_rows(qs: QuerySet[PrivacyRequest]) -> QuerySet[PrivacyRequest]:
    """What ``request_deadline`` reads, fetched in three queries for the whole list."""
    return qs.prefetch_related("amendments", "extensions", "decisions")


@view_logged_by_caller(
    "a request to show or change: request_detail_for and the API write privacy_request.view, a step writes its own event"
)
def get_request_for(actor: Actor, pk: int | str, *, for_update: bool = False) -> PrivacyRequest:
    """The request, if ``actor`` may handle requests; Http404 otherwise (absent and forbidden look alike)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    if key < 1 or key > 2**63 - 1:
        raise Http404(NOT_FOUND)
    qs = requests_visible_to(actor)
    if for_update:
        qs = qs.select_for_update()
    request = qs.filter(pk=key).first()
    if request is None:
        raise Http404(NOT_FOUND)
    return request


def get_amendment_for(actor: Actor, request: PrivacyRequest, pk: int) -> Amendment:
    amendment = (
        Amendment.objects.filter(request=request, pk=pk).first() if may_handle_requests(actor) else None
    )
    if amendment is None:
        raise Http404(NOT_FOUND)
    return amendment


@view_logged_by_caller(
    "a consultation of a request whose page wrote privacy_request.view; its letter writes letter.issue / letter.download"
)
def get_consultation_for(actor: Actor, request: PrivacyRequest, pk: int) -> ThirdPartyConsultation:
    consultation = (
        ThirdPartyConsultation.objects.filter(request=request, pk=pk).first()
        if may_handle_requests(actor)
        else None
    )
    if consultation is None:
        raise Http404(NOT_FOUND)
    return consultation


@no_view_event("resolves a 受付番号 typed on a complaint form to the link; the page shows the number only")
def request_by_number_for(actor: Actor, number: str) -> PrivacyRequest | None:
    """The request with this 受付番号, if ``actor`` may handle requests (a complaint's link to it)."""
    return requests_visible_to(actor).filter(number=number).first()


# --- complaints (山梨県 要綱 第45条): the same roles as requests; anyone else reaches none (404) ---------------


@view_logged_by_caller(
    "the scoped base of complaint reads; the detail page writes complaint.view (complaint_record_view)"
)
def complaints_visible_to(actor: Actor) -> QuerySet[Complaint]:
    qs = Complaint.objects.select_related("assigned_to", "related_request")
    if not may_handle_requests(actor):
        return qs.none()
    return qs


@view_logged_by_caller(
    "the detail page writes complaint.view (complaint_record_view); a step writes its own event"
)
def get_complaint_for(actor: Actor, pk: int | str) -> Complaint:
    """The complaint, if ``actor`` may handle complaints; Http404 otherwise (absent and forbidden look alike).

    Reading it is not logged here: the detail page writes "complaint.view" (``complaint_record_view``)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404("苦情が見つかりません。") from None
    if key < 1 or key > 2**63 - 1:
        raise Http404("苦情が見つかりません。")
    complaint = complaints_visible_to(actor).filter(pk=key).first()
    if complaint is None:
        raise Http404("苦情が見つかりません。")
    return complaint


@no_view_event(
    "the list shows no complainant's name or contact (complaint_views); opening one writes complaint.view"
)
def complaints_listed(
    actor: Actor, *, status: str = "", fiscal_year_range: tuple[dt.date, dt.date] | None = None
) -> QuerySet[Complaint]:
    """The list page: open first, then answered, then closed; newest first within each."""
    qs = complaints_visible_to(actor).annotate(
        status_order=Case(
            When(status=Complaint.Status.OPEN, then=Value(0)),
            When(status=Complaint.Status.ANSWERED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    if status:
        qs = qs.filter(status=status)
    if fiscal_year_range is not None:
        qs = qs.filter(received_on__range=fiscal_year_range)
    return qs.order_by("status_order", "-received_on", "-pk")


def complaints_open_count(actor: Actor) -> int:
    return complaints_visible_to(actor).filter(status=Complaint.Status.OPEN).count()


@view_logged_by_caller(
    "request_detail_for and the API's request_detail write privacy_request.view for the request it loads"
)
def request_with_steps(request: PrivacyRequest) -> PrivacyRequest:
    """The same request with every step loaded (detail page, API answer)."""
    return (
        PrivacyRequest.objects.select_related("profile", "patron", "based_on", "assigned_to")
        .prefetch_related(
            "amendments",
            "extensions",
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "pk")),
            "consultations",
        )
        .get(pk=request.pk)
    )


# --- the detail page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestDetail:
    """Everything the detail page shows of one request, read for one actor on one day."""

    request: PrivacyRequest
    today: dt.date
    deadline: deadlines.Deadline
    is_open: bool
    overdue: bool
    decisions: list[Decision]
    execution: DisclosureExecution | None
    correction_execution: CorrectionExecution | None
    timeline: list[Event]
    history: list[HistoryRow]
    steps: Steps
    special: Extension | None
    # Open requests only: the deadlines a special extension would set (山梨県 要綱 第25条, 第35条, 第42条).
    special_notice_due: deadlines.Deadline | None
    special_substantial_due: deadlines.Deadline | None
    method_choice_due: dt.date | None
    earliest_disclosure: dt.date | None
    missing_items: list[str]
    identity_document_label: str

    @property
    def days_left(self) -> int:
        return self.deadline.days_left(self.today)

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def request_detail_for(
    actor: Actor, request: PrivacyRequest | int | str, *, what: str = "detail", today: dt.date | None = None
) -> RequestDetail:
    """The request's detail page for ``actor`` (Http404 outside scope), its look written to the access log.

    Every step, execution and history version is read here, in a fixed number of queries; the timeline,
    the history and the next steps are built from them by the pure functions of ``timeline``."""
    if isinstance(request, PrivacyRequest):
        # Already reached through get_request_for (a step's POST): the actor is checked again all the same.
        if not may_handle_requests(actor):
            raise Http404(NOT_FOUND)
        pr = request_with_steps(request)
    else:
        pr = request_with_steps(get_request_for(actor, request))
    with transaction.atomic():  # the view event is a write of its own: one transaction of its own
        request_record_view(actor=actor, request=pr, what=what)
    day = today if today is not None else library_today()
    calendar = library_calendar()
    deadline = request_deadline(pr, day, calendar=calendar)
    is_open = pr.status in OPEN_STATUSES
    execution = DisclosureExecution.objects.filter(request=pr).first()
    correction = CorrectionExecution.objects.filter(request=pr).first()
    versions = pr.history.select_related("history_user").order_by("history_date", "history_id")
    notice_due = substantial_due = None
    if is_open:
        notice_due, substantial_due = special_deadlines(pr, today=day, calendar=calendar)
    return RequestDetail(
        request=pr,
        today=day,
        deadline=deadline,
        is_open=is_open,
        overdue=is_open and deadline.is_overdue(day),
        decisions=list(pr.decisions.all()),
        execution=execution,
        correction_execution=correction,
        timeline=timeline_events(pr, execution=execution, correction=correction),
        history=history_rows(versions),
        steps=next_steps(pr, executed=execution is not None),
        special=special_extension_of(pr) if pr.special_extension else None,
        special_notice_due=notice_due,
        special_substantial_due=substantial_due,
        method_choice_due=method_choice_deadline(pr, calendar=calendar),
        earliest_disclosure=earliest_disclosure_on(pr),
        missing_items=missing_items(pr) if is_open else [],
        identity_document_label=dict(request_identity_documents()).get(
            pr.identity_document_type, pr.identity_document_type
        ),
    )


# --- lists ------------------------------------------------------------------------------------------


def request_years(actor: Actor) -> list[int]:
    """Years with a request received, newest first (the list page's filter)."""
    dates = requests_visible_to(actor).dates("received_on", "year", order="DESC")
    return [d.year for d in dates]


@no_view_event(
    "the list shows 受付番号, kind, status and deadlines, no requester's data; opening one writes privacy_request.view"
)
def requests_filtered(
    actor: Actor, *, kind: str = "", status: str = "", year: int | None = None
) -> QuerySet[PrivacyRequest]:
    qs = requests_visible_to(actor)
    if kind:
        qs = qs.filter(kind=kind)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(received_on__year=year)
    return qs.order_by("-received_on", "-pk")


# --- the dashboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRow:
    request: PrivacyRequest
    deadline: deadlines.Deadline
    days_left: int
    overdue: bool
    # The last day the library can act (the last open day before a deadline that falls on a closed day).
    act_by: dt.date

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


@dataclass(frozen=True)
class CalendarItem:
    request: PrivacyRequest
    label: str
    overdue: bool = False
    major: bool = True  # a decision deadline (not the requester's or a third party's)


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    closed_reason: str
    is_today: bool
    items: list[CalendarItem] = field(default_factory=list)


@dataclass
class Dashboard:
    today: dt.date
    open_rows: list[OpenRow]
    overdue: list[OpenRow]
    due_this_week: list[OpenRow]
    due_soon: list[OpenRow]
    waiting_on_requester: list[OpenRow]
    awaiting_opinion: list[tuple[PrivacyRequest, ThirdPartyConsultation]]
    awaiting_disclosure: list[tuple[PrivacyRequest, dt.date | None]]
    month: dt.date
    weeks: list[list[CalendarDay]]
    prev_month: dt.date
    next_month: dt.date
    week_end: dt.date
    soon_until: dt.date
    week_start: dt.date | None = None


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The dashboard's "this week": Monday to Sunday of the week ``day`` falls in (a Sunday is the last
    day of its week, so on a Sunday "this week" is the six days before and today). The page shows both
    ends, so that the span is never a guess."""
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


@no_view_event("deadline rows for the dashboard: 受付番号, status and dates, no requester's data")
def open_request_rows(actor: Actor, *, today: dt.date, calendar: Calendar | None = None) -> list[OpenRow]:
    """Requests waiting for their decision, most urgent first (paused ones last: their clock is stopped)."""
    calendar = calendar if calendar is not None else library_calendar()
    rows = []
    qs = _with_deadline_rows(requests_visible_to(actor).filter(status__in=OPEN_STATUSES))
    for request in qs:
        deadline = request_deadline(request, today, calendar=calendar)
        rows.append(
            OpenRow(
                request=request,
                deadline=deadline,
                days_left=deadline.days_left(today),
                overdue=deadline.is_overdue(today),
                act_by=effective_due_on(deadline),
            )
        )
    rows.sort(key=lambda r: (r.deadline.paused, r.deadline.due_on, r.request.number))
    return rows


@no_view_event("dashboard rows: 受付番号 and the last day to choose a method, no requester's data")
def awaiting_execution(
    actor: Actor, *, calendar: Calendar | None = None
) -> list[tuple[PrivacyRequest, dt.date | None]]:
    """Decided requests whose decision is still to be carried out (開示の実施, 訂正・利用停止の実施),
    with the last day to ask for a method of disclosure (第27条第3項) where there is one."""
    calendar = calendar if calendar is not None else library_calendar()
    result: list[tuple[PrivacyRequest, dt.date | None]] = []
    decided = requests_visible_to(actor).filter(status=RequestStatus.DECIDED).order_by("received_on", "pk")
    for request in decided.prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "pk"))
    ):
        final = [d for d in request.decisions.all() if not d.is_partial_scope] or list(
            request.decisions.all()
        )
        if not final or final[-1].outcome not in GRANTING_OUTCOMES | DISCLOSING_OUTCOMES:
            continue
        last_day = (
            method_choice_deadline(request, calendar=calendar)
            if request.kind == RequestKind.DISCLOSURE
            else None
        )
        result.append((request, last_day))
    return result


@no_view_event("counts, 受付番号 and deadlines for the officers' dashboard, no requester's data")
def dashboard(
    actor: Actor, *, today: dt.date, month: dt.date | None = None, soon_open_days: int = 3
) -> Dashboard:
    calendar = library_calendar()
    rows = open_request_rows(actor, today=today, calendar=calendar)
    running = [r for r in rows if not r.deadline.paused]
    week_start, week_end = week_of(today)
    soon_until = nth_open_day_after(today, soon_open_days, calendar)
    awaiting_opinion = [
        (c.request, c)
        for c in ThirdPartyConsultation.objects.filter(
            request__in=[r.request.pk for r in rows], opinion_received_on__isnull=True
        )
        .select_related("request")
        .order_by("opinion_due_on", "pk")
    ]
    awaiting_disclosure = awaiting_execution(actor, calendar=calendar)

    month = _month_start(month or today)
    weeks = _month_weeks(month, today=today, calendar=calendar)
    by_day = {d.day: d for week in weeks for d in week}
    for row in rows:
        day = by_day.get(row.deadline.due_on)
        if day is not None:
            label = "決定期限（補正中・仮）" if row.deadline.paused else "決定期限"
            day.items.append(CalendarItem(row.request, label, overdue=row.overdue))
        for amendment in row.request.amendments.all():
            if amendment.completed_on is None and amendment.reply_by in by_day:
                by_day[amendment.reply_by].items.append(
                    CalendarItem(row.request, "補正の回答期限", major=False)
                )
    for request, consultation in awaiting_opinion:
        if consultation.opinion_due_on in by_day:
            by_day[consultation.opinion_due_on].items.append(
                CalendarItem(request, "意見書の提出期限", major=False)
            )
    for request, last_day in awaiting_disclosure:
        if last_day is not None and last_day in by_day:
            by_day[last_day].items.append(CalendarItem(request, "実施方法の申出期限", major=False))
    return Dashboard(
        today=today,
        open_rows=rows,
        overdue=[r for r in running if r.overdue],
        due_this_week=[r for r in running if not r.overdue and r.deadline.due_on <= week_end],
        due_soon=[r for r in running if r.act_by <= soon_until],
        waiting_on_requester=[r for r in rows if r.deadline.paused],
        awaiting_opinion=awaiting_opinion,
        awaiting_disclosure=awaiting_disclosure,
        month=month,
        weeks=weeks,
        prev_month=_add_months(month, -1),
        next_month=_add_months(month, 1),
        week_end=week_end,
        soon_until=soon_until,
        week_start=week_start,
    )


def _month_weeks(month: dt.date, *, today: dt.date, calendar: Calendar) -> list[list[CalendarDay]]:
    """The weeks of ``month``, Sunday first as on a Japanese wall calendar."""
    weeks = pycalendar.Calendar(firstweekday=6).monthdatescalendar(month.year, month.month)
    return [
        [
            CalendarDay(
                day=day,
                in_month=day.month == month.month,
                closed_reason=calendar.closed_reason(day),
                is_today=day == today,
            )
            for day in week
        ]
        for week in weeks
    ]


# --- 電子申請 (issue 16) ------------------------------------------------------------------------------


def online_applications_awaiting(actor: Actor) -> list[OnlineApplication]:
    """Online requests awaiting the identity check, oldest first, with the patron's answers."""
    if not may_handle_requests(actor):
        return []
    rows = list(
        OnlineApplication.objects.filter(status=OnlineApplication.Status.AWAITING)
        .select_related("patron")
        .order_by("submitted_on", "pk")
    )
    if rows:
        from privacy_admin.audit.services import audit_record

        audit_record(
            standalone=True,
            actor=actor,
            action="online_application.list",
            target_type="online_application",
            detail={"count": len(rows)},
        )
    return rows


def get_online_application_for(actor: Actor, pk: int) -> OnlineApplication:
    """One online request, for an officer to receive (404 for anyone else); writes its view event."""
    from privacy_admin.audit.services import audit_record

    application = (
        OnlineApplication.objects.select_related("patron").filter(pk=pk).first()
        if may_handle_requests(actor) and 1 <= pk <= 2**63 - 1
        else None
    )
    if application is None:
        raise Http404(NOT_FOUND)
    audit_record(
        standalone=True,
        actor=actor,
        action="online_application.view",
        target_type="online_application",
        target_id=application.pk,
        patron_id=application.patron_id,
    )
    return application


@view_logged_by_caller("マイページ's selector writes the patron's own view event")
def online_applications_of_patron(patron_id: int) -> list[OnlineApplication]:
    """The patron's own online requests not yet received (マイページ shows their status)."""
    return list(
        OnlineApplication.objects.filter(
            patron_id=patron_id, status=OnlineApplication.Status.AWAITING
        ).order_by("-submitted_on", "-pk")
    )
