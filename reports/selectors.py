"""Annual reports to the board of education, per 年度 (April–March):

(a) the register status report (山梨県 要綱 第16条第6項: 「第2項の規定による登録の状況について、毎年1回、教育委員会に
    報告をしなければならない」): entries registered, changed and abolished in the year — from the entries
    and their django-simple-history versions — and the register as it stood on 3月31日;
(b) the 施行状況 report (山梨県 要綱 第50条: 「毎年1回、この要綱の施行の状況について教育委員会に報告しなければ
    ならない」): 開示・訂正・利用停止 requests by kind and outcome with the on-time rate, extensions,
    complaints, incidents, each contract's trainings and on-site audits, and the register's changes.

Both are built as plain data here (no ORM in the templates), shown as an HTML preview and rendered as
PDF (WeasyPrint, 和暦, page numbers). A download is audited ``annual_report.download``. The reports hold
counts and the register's own entries only — no personal data.

Requests are counted by the 年度 they were *received* in; their outcome is the one known when the
report is made (a request received in March and decided in April shows its April decision). A request
still undecided whose deadline had passed by the report's cut-off day (the 年度's last day, or today while
the 年度 runs) counts against the on-time rate: 期限内の決定 = on time / (decided + overdue undecided).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from disclosure_requests import complaints as complaint_counts
from disclosure_requests import services as request_services
from disclosure_requests.models import (
    OUTCOMES_BY_KIND,
    Decision,
    Extension,
    Outcome,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    RuleProfile,
)
from disclosure_requests.profiles import current_profile, library_calendar
from incidents.models import Incident
from privacy_admin.audit.services import audit_record
from privacy_admin.core import hooks
from privacy_admin.core.actor import Actor
from privacy_admin.core.calendar import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from privacy_admin.core.dates import today
from privacy_admin.core.pdf import render_pdf
from register.models import RegisterEntry

REGISTER_STATUS = "register_status"
ENFORCEMENT = "enforcement"
REPORTS: dict[str, StrOrPromise] = {
    REGISTER_STATUS: gettext_lazy("個人情報取扱事務登録簿の登録状況報告書"),
    ENFORCEMENT: gettext_lazy("施行状況報告書"),
}
TEMPLATES: dict[str, str] = {
    REGISTER_STATUS: "registry/reports/pdf/register_status.html",
    ENFORCEMENT: "registry/reports/pdf/enforcement.html",
}
FIRST_FISCAL_YEAR = 2000


def default_fiscal_year(on: dt.date | None = None) -> int:
    """The 年度 the pages open on: the current one, containing ``on`` (on 2026-06-15 → 2026, i.e. 令和8年度).

    The current year is where the officer's live work is (an overdue request shows up at once); the
    completed years are one choice away in the picker.
    """
    return fiscal_year_of(on or today())


def report_years(on: dt.date | None = None) -> list[int]:
    """The 年度 offered on the pages, newest first: from the earliest recorded data to the current one."""
    current = fiscal_year_of(on or today())
    days = [
        RegisterEntry.objects.order_by("registered_on").values_list("registered_on", flat=True).first(),
        PrivacyRequest.objects.order_by("received_on").values_list("received_on", flat=True).first(),
    ]
    first_incident = (
        Incident.objects.order_by("discovered_at").values_list("discovered_at", flat=True).first()
    )
    if first_incident is not None:
        days.append(timezone.localtime(first_incident).date())
    known = [fiscal_year_of(d) for d in days if d is not None]
    earliest = max(FIRST_FISCAL_YEAR, min([*known, current - 1]))
    return list(range(current, earliest - 1, -1))


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


# --- (a) 登録状況 (山梨県 要綱 第16条第6項) -----------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    number: int
    name: str
    department: str
    registered_on: dt.date
    starts_on: dt.date
    changed_on: dt.date | None
    abolished_on: dt.date | None


@dataclass(frozen=True)
class ChangeRow:
    number: int
    name: str
    changed_on: dt.date
    reason: str
    fields: list[str]


@dataclass
class RegisterStatus:
    year: int
    label: str
    start: dt.date
    end: dt.date
    registered: list[EntryRow]
    changed: list[ChangeRow]
    abolished: list[EntryRow]
    in_force_at_end: list[EntryRow]
    in_force_at_start: int

    @property
    def changed_entries(self) -> int:
        return len({c.number for c in self.changed})


_NOT_A_CHANGE = frozenset({"changed_on", "status", "abolished_on"})


def _field_label(name: str) -> str:
    return str(getattr(RegisterEntry._meta.get_field(name), "verbose_name", name))


def _row(version: Any) -> EntryRow:
    return EntryRow(
        number=version.number,
        name=version.name,
        department=version.department,
        registered_on=version.registered_on,
        starts_on=version.starts_on,
        changed_on=version.changed_on,
        abolished_on=version.abolished_on,
    )


def _effective_days(entry_versions: list[Any]) -> list[tuple[dt.date, Any, bool]]:
    """(the day a version took effect, the version, whether it is a change) for one entry's versions.

    The registration takes effect on the 登録日, an abolition on the 廃止日 and a change on the 変更日 it
    set — not the moment it was saved, which may be later than the day it records. A version whose
    day cannot be read from the entry (a save that set no new 変更日) takes the day it was saved.
    """
    result: list[tuple[dt.date, Any, bool]] = []
    previous = None
    for version in entry_versions:
        saved_on = timezone.localtime(version.history_date).date()
        if previous is None or version.history_type == "+":
            day, is_change = version.registered_on, False
        elif previous.status != version.status:
            day, is_change = version.abolished_on or saved_on, False
        else:
            fresh = version.changed_on is not None and version.changed_on != previous.changed_on
            day, is_change = (version.changed_on if fresh else saved_on), True
        result.append((day, version, is_change))
        previous = version
    return result


def register_status(year: int) -> RegisterStatus:
    """The register's year: what was registered, changed and abolished, and what stood on 3月31日.

    A change is a version of an entry (simple-history) that is neither its registration nor its
    abolition, dated by the 変更日 it set. An entry's row on 3月31日 is its last version in effect by
    that day (the entry itself when it has no versions: entries made by a data migration).
    """
    start, end = fiscal_year_bounds(year)
    entries = list(RegisterEntry.objects.order_by("number"))
    versions: dict[int, list[Any]] = {}
    for version in RegisterEntry.history.order_by("id", "history_date", "history_id"):
        versions.setdefault(version.id, []).append(version)
    effective = {pk: _effective_days(vs) for pk, vs in versions.items()}

    changed: list[ChangeRow] = []
    for days in effective.values():
        for i, (day, version, is_change) in enumerate(days):
            if is_change and start <= day <= end:
                delta = version.diff_against(days[i - 1][1])
                changed.append(
                    ChangeRow(
                        number=version.number,
                        name=version.name,
                        changed_on=day,
                        reason=version.history_change_reason or "",
                        fields=[_field_label(c.field) for c in delta.changes if c.field not in _NOT_A_CHANGE],
                    )
                )
    changed.sort(key=lambda c: (c.changed_on, c.number))

    def in_force(entry: RegisterEntry, day: dt.date) -> bool:
        return entry.registered_on <= day and (entry.abolished_on is None or entry.abolished_on > day)

    def as_of_end(entry: RegisterEntry) -> EntryRow:
        in_effect = [version for day, version, _c in effective.get(entry.pk, []) if day <= end]
        return _row(in_effect[-1]) if in_effect else _row(entry)

    at_end = [as_of_end(e) for e in entries if in_force(e, end)]
    return RegisterStatus(
        year=year,
        label=fiscal_year_label(year),
        start=start,
        end=end,
        registered=[as_of_end(e) for e in entries if start <= e.registered_on <= end],
        changed=changed,
        abolished=[_row(e) for e in entries if e.abolished_on is not None and start <= e.abolished_on <= end],
        in_force_at_end=at_end,
        in_force_at_start=sum(1 for e in entries if in_force(e, start - dt.timedelta(days=1))),
    )


# --- (b) 施行状況 (山梨県 要綱 第50条) --------------------------------------------------------------------------


@dataclass
class KindRow:
    kind: str
    label: str
    received: int = 0
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    withdrawn: int = 0
    pending: int = 0
    overdue: int = 0
    decided: int = 0
    on_time: int = 0
    extensions: int = 0
    special_extensions: int = 0

    @property
    def due(self) -> int:
        """The requests the on-time rate is taken over: those decided, and those still undecided whose
        deadline had passed by the report's cut-off day (a late decision not yet made is already late)."""
        return self.decided + self.overdue

    @property
    def on_time_rate(self) -> str:
        """「100.0%」, or 「—」 when nothing was decided and nothing is overdue."""
        return f"{self.on_time / self.due * 100:.1f}%" if self.due else "—"

    @property
    def outcome_parts(self) -> list[str]:
        """「全部開示 2件」 per outcome that happened (a report prints each unbroken)."""
        return [_("%(label)s %(n)s件") % {"label": label, "n": n} for label, n in self.outcomes if n]

    @property
    def outcome_text(self) -> str:
        shown = self.outcome_parts
        return _("、").join(shown) if shown else "—"


@dataclass(frozen=True)
class ContractRow:
    number: str
    title: str
    contractor: str
    starts_on: dt.date
    ends_on: dt.date
    trainings: int
    attendees: int
    audits: int


@dataclass
class IncidentCounts:
    by_kind: list[tuple[str, int]]
    total: int
    reportable: int
    commission_reported: int
    persons_notified: int
    closed: int
    open: int


@dataclass
class EnforcementReport:
    year: int
    label: str
    start: dt.date
    end: dt.date
    cutoff: dt.date
    requests: list[KindRow]
    totals: KindRow
    complaints: dict[str, Any]
    incidents: IncidentCounts
    contracts: list[ContractRow]
    register: RegisterStatus


def _final_decision(request: PrivacyRequest) -> Decision | None:
    finals = [d for d in request.decisions.all() if not d.is_partial_scope]
    return finals[-1] if finals else None


def decided_on_time(request: PrivacyRequest, *, calendar: Any = None) -> bool | None:
    """Was the request decided by its deadline, extensions and special extensions included?

    None when it has no final decision. The deadline is the one in force on the day of the decision
    (disclosure_requests.services.request_deadline); a decision while a 補正 stopped the clock is on time.
    Under a special extension of a 開示 request (山梨県 要綱 第25条), the decision on a substantial part must also
    have been made by the substantial-part deadline.
    """
    final = _final_decision(request)
    if final is None:
        return None
    calendar = calendar if calendar is not None else library_calendar()
    deadline = request_services.request_deadline(request, final.decided_on, calendar=calendar)
    on_time = deadline.paused or final.decided_on <= deadline.due_on
    partial = [d for d in request.decisions.all() if d.is_partial_scope]
    if partial:
        first = partial[0]
        substantial = request_services.special_deadlines(request, today=first.decided_on, calendar=calendar)[
            1
        ]
        on_time = on_time and (substantial.paused or first.decided_on <= substantial.due_on)
    return on_time


def report_cutoff(year: int, *, on: dt.date | None = None) -> dt.date:
    """The day an undecided request is judged overdue on: the 年度's last day, or today while it runs."""
    return min(fiscal_year_bounds(year)[1], on or today())


def overdue_undecided(request: PrivacyRequest, *, cutoff: dt.date, calendar: Any = None) -> bool:
    """Had the deadline in force passed on ``cutoff`` (the deadline day itself still in time) with no
    decision made? A request whose clock a 補正 has stopped is not overdue."""
    calendar = calendar if calendar is not None else library_calendar()
    deadline = request_services.request_deadline(request, cutoff, calendar=calendar)
    return not deadline.paused and deadline.due_on < cutoff


def request_rows(year: int, *, on: dt.date | None = None) -> tuple[list[KindRow], KindRow]:
    """Requests received in the 年度, by kind: outcome, withdrawn, pending, on time, extensions.

    ``overdue`` counts the undecided requests whose deadline had passed by the cut-off day
    (:func:`report_cutoff`: the 年度's end, or ``on``/today when earlier); they are counted against the
    on-time rate, whose denominator is ``decided + overdue``.
    """
    start, end = fiscal_year_bounds(year)
    cutoff = report_cutoff(year, on=on)
    calendar = library_calendar()
    qs = (
        PrivacyRequest.objects.filter(received_on__range=(start, end))
        .select_related("profile")
        .prefetch_related(
            "amendments",
            "extensions",
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "pk")),
        )
    )
    rows = {kind: KindRow(kind=kind, label=str(RequestKind(kind).label)) for kind in RequestKind.values}
    outcome_counts: dict[str, Counter[str]] = {kind: Counter() for kind in RequestKind.values}
    for request in qs:
        row = rows[request.kind]
        row.received += 1
        for extension in request.extensions.all():
            if extension.kind == Extension.Kind.SPECIAL:
                row.special_extensions += 1
            else:
                row.extensions += 1
        if request.status == RequestStatus.WITHDRAWN:
            row.withdrawn += 1
            continue
        final = _final_decision(request)
        if final is None or request.status in request_services.OPEN_STATUSES:
            row.pending += 1
            row.overdue += 1 if overdue_undecided(request, cutoff=cutoff, calendar=calendar) else 0
            continue
        outcome_counts[request.kind][final.outcome] += 1
        row.decided += 1
        row.on_time += 1 if decided_on_time(request, calendar=calendar) else 0
    for kind, row in rows.items():
        row.outcomes = [(str(Outcome(o).label), outcome_counts[kind][o]) for o in OUTCOMES_BY_KIND[kind]]
    totals = KindRow(kind="", label=_("合計"))
    for row in rows.values():
        for name in (
            "received",
            "withdrawn",
            "pending",
            "overdue",
            "decided",
            "on_time",
            "extensions",
            "special_extensions",
        ):
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    return list(rows.values()), totals


def incident_counts(year: int) -> IncidentCounts:
    """Incidents the library came to know of in the 年度 (by the day of knowing, library time)."""
    start, end = fiscal_year_bounds(year)
    qs = Incident.objects.filter(
        discovered_at__gte=_day_start(start), discovered_at__lt=_day_start(end + dt.timedelta(days=1))
    )
    kinds = dict(qs.values_list("kind").annotate(n=Count("pk")).order_by())
    reportable_q = (
        Q(involves_sensitive=True)
        | Q(financial_harm=True)
        | Q(wrongful_purpose=True)
        | Q(people_count__gt=100)
    )
    totals = qs.aggregate(
        total=Count("pk"),
        reportable=Count("pk", filter=reportable_q),
        commission_reported=Count("pk", filter=Q(commission_first_report_at__isnull=False)),
        persons_notified=Count("pk", filter=Q(persons_notified_on__isnull=False)),
        closed=Count("pk", filter=Q(status=Incident.Status.CLOSED)),
    )
    return IncidentCounts(
        by_kind=[(str(k.label), kinds.get(k.value, 0)) for k in Incident.Kind],
        total=totals["total"],
        reportable=totals["reportable"],
        commission_reported=totals["commission_reported"],
        persons_notified=totals["persons_notified"],
        closed=totals["closed"],
        open=totals["total"] - totals["closed"],
    )


def contract_rows(year: int) -> list[ContractRow]:
    """Contracts in force at some time in the 年度, with the trainings and on-site audits held in it
    (outsourcing answers: ``outsourcing.selectors.report_contract_rows``)."""
    rows: list[ContractRow] = hooks.call(hooks.CONTRACT_ROWS, year, default=[])
    return rows


def enforcement_status(year: int, *, on: dt.date | None = None) -> EnforcementReport:
    start, end = fiscal_year_bounds(year)
    requests, totals = request_rows(year, on=on)
    return EnforcementReport(
        year=year,
        label=fiscal_year_label(year),
        start=start,
        end=end,
        cutoff=report_cutoff(year, on=on),
        requests=requests,
        totals=totals,
        complaints=complaint_counts.complaints_count_by_fiscal_year(year),
        incidents=incident_counts(year),
        contracts=contract_rows(year),
        register=register_status(year),
    )


# --- pages, PDFs and the audited download ------------------------------------------------------------


def validate_year(year: object, *, on: dt.date | None = None) -> int:
    """A 年度 that exists and has begun (the current one may be reported as it stands)."""
    current = fiscal_year_of(on or today())
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_FISCAL_YEAR <= year <= current:
        raise ValidationError(
            {
                "fiscal_year": [
                    ValidationError(
                        _("年度は%(first_fiscal_year)sから%(current)sの間で選んでください。")
                        % {
                            "first_fiscal_year": fiscal_year_label(FIRST_FISCAL_YEAR),
                            "current": fiscal_year_label(current),
                        }
                    )
                ]
            }
        )
    return year


def _legal_basis() -> dict[str, Any]:
    """The law of the rule profile in force and its articles (``cite``: full, ``cite_short``), so that the
    reports cite 山梨県 要綱 第50条 or say nothing where the Act has no article (個人情報の保護に関する法律)."""
    try:
        citer = current_profile().citer()
    except RuleProfile.DoesNotExist:
        return {"law_name": "", "cite": {}, "cite_short": {}}
    return {"law_name": citer.law_name, "cite": citer.all_full(), "cite_short": citer.all_short()}


def report_context(report: str, year: int) -> dict[str, Any]:
    base = {
        "title": str(REPORTS[report]),
        "library_name": settings.LIBRARY_NAME,
        "library_head": settings.LIBRARY_HEAD,
        "board": getattr(settings, "LIBRARY_APPEAL_AUTHORITY", _("教育委員会")),
        "generated_on": today(),
        **_legal_basis(),
    }
    if report == REGISTER_STATUS:
        return base | {"status": register_status(year)}
    return base | {"report": enforcement_status(year)}


def render_report_pdf(report: str, year: int) -> bytes:
    # An official document: in the library's language (Japanese) whatever the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(TEMPLATES[report], report_context(report, year))


def report_filename(report: str, year: int) -> str:
    return f"{report.replace('_', '-')}-FY{year}.pdf"


def annual_report_download(*, actor: Actor, report: str, year: int) -> tuple[bytes, str]:
    """Render one annual report as PDF and record the download (``annual_report.download``)."""
    if report not in REPORTS:
        raise ValidationError({"report": [ValidationError(_("報告書の種類を選んでください。"))]})
    year = validate_year(year)
    content = render_report_pdf(report, year)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="annual_report.download",
            target_type="annual_report",
            target_id=f"{report}:{year}",
            detail={"report": report, "fiscal_year": year},
        )
    return content, report_filename(report, year)
