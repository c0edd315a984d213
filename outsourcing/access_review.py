"""Access review (操作状況の点検): what each operator did in a period, from the access log.

002: "操作履歴は自動保存され、後日の確認を可能としている" — the log is kept so that someone looks at it. For a
privacy officer, per operator (contractor operators by default, any staff on request) and period: the
patrons viewed, actions by type, events outside opening hours, refused attempts (out of scope included)
and failed sign-ins, with anomalies flagged by the rules in ``anomalies``.

Every figure is aggregated in SQL, grouped by operator, over the ``seq`` range of the period (two
index probes, ``audit.selectors.seq_range``) so that the ``(actor, seq)`` and ``(action, seq)`` indexes
serve the scans: a review of every operator costs the same handful of queries as a review of one.
Reads only; the view and the PDF are audited by the caller (``oversight.access_review_record_*``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import ExtractHour, RowNumber, TruncDate
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from privacy_admin.audit.labels import action_label, role_label
from privacy_admin.audit.models import AuditEvent, Outcome
from privacy_admin.audit.selectors import seq_range
from privacy_admin.core.roles import Role
from privacy_admin.core.targets import resolve_targets

from .models import Contract, Handler


def opening_hours() -> tuple[int, int]:
    """[open, close) in local time (setting ACCESS_REVIEW_OPENING_HOURS, validated at start-up); an event
    outside them is flagged. 002: 練馬区の図書館は "平日は午後8時まで開館"."""
    open_, close = (int(h) for h in settings.ACCESS_REVIEW_OPENING_HOURS.split("-"))
    return open_, close


# Anomaly rules (see ``anomalies``).
VIEW_RATIO = 2  # patrons viewed > VIEW_RATIO × reservations handed over at their counter + VIEW_ALLOWANCE
VIEW_ALLOWANCE = 10
REFUSED_LIMIT = 3  # refused attempts ≥ REFUSED_LIMIT
MAX_PERIOD_DAYS = 366
EVENT_LIST_LIMIT = 30  # refused / outside-hours events listed per operator

# A look at one patron's data: the record page, or a search that showed exactly one patron.
VIEW_ACTIONS = ("patron.view", "patron.search")
HANDOVER_ACTION = "circulation.reservation_lend"  # 予約資料の受渡し, logged with the counter's branch code
SIGN_IN_FAILURES = ("auth.login_failed", "auth.locked_out")  # logged with the account as target


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- the period -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date

    @property
    def days(self) -> list[dt.date]:
        n = (self.date_to - self.date_from).days + 1
        return [self.date_from + dt.timedelta(days=i) for i in range(n)]


def default_period(on: dt.date) -> Period:
    """From the first day of last month to today: last month's review and this month so far."""
    last_month = (on.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return Period(last_month, on)


def parse_period(date_from: dt.date, date_to: dt.date) -> Period:
    if date_from > date_to:
        raise ValidationError({"date_to": [_("終了日が開始日より前です。")]})
    if (date_to - date_from).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError(
            {
                "date_to": [
                    _("期間は%(max_period_days)s日以内で指定してください。")
                    % {"max_period_days": MAX_PERIOD_DAYS}
                ]
            }
        )
    return Period(date_from, date_to)


# --- who is reviewed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operator:
    id: int
    username: str
    role: str  # Japanese label
    active: bool
    contract_id: int | None = None
    contract_number: str = ""
    counter_codes: tuple[str, ...] = ()  # where their reservations are handed over
    counter_names: tuple[str, ...] = ()  # the same branches by name, for the page

    @property
    def is_contract_operator(self) -> bool:
        return self.contract_id is not None


_ROLE_ORDER = (Role.ADMINISTRATOR, Role.PRIVACY_OFFICER, Role.COUNTER, Role.CONTRACTOR)


def reviewable_operators(*, all_staff: bool = False, only: int | None = None) -> list[Operator]:
    """Contractor operators (every account with the role, active or not, so that a closed account's
    last month can still be reviewed); with ``all_staff`` every account holding a staff role. 3 queries."""
    roles = Role.values if all_staff else [Role.CONTRACTOR.value]
    qs = (
        get_user_model()
        .objects.filter(groups__name__in=roles)
        .distinct()
        .select_related("staff_profile__branch")
        .prefetch_related("groups")
        .order_by("username")
    )
    if only is not None:
        qs = qs.filter(pk=only)
    users = list(qs)
    handlers = {
        h.user_id: h.contract
        for h in Handler.objects.filter(user_id__in=[u.pk for u in users]).select_related("contract")
    }
    codes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for contract_id, code, name in Contract.branches.through.objects.filter(
        contract_id__in={c.pk for c in handlers.values()}
    ).values_list("contract_id", "branch__code", "branch__name"):
        codes[contract_id].append((code, name))
    result = []
    for user in users:
        held = {g.name for g in user.groups.all()}
        role = next((r for r in _ROLE_ORDER if r.value in held), Role.CONTRACTOR)
        contract = handlers.get(user.pk)
        if contract is not None:
            branches = sorted(codes[contract.pk])
        else:
            profile = getattr(user, "staff_profile", None) if hasattr(user, "staff_profile") else None
            branch = getattr(profile, "branch", None)
            branches = [(branch.code, branch.name)] if branch is not None else []
        counters = tuple(code for code, _name in branches)
        result.append(
            Operator(
                id=user.pk,
                username=user.get_username(),
                role=role_label(role.value, str(role.label)),
                active=user.is_active,
                contract_id=contract.pk if contract else None,
                contract_number=contract.number if contract else "",
                counter_codes=counters,
                counter_names=tuple(name for _code, name in branches),
            )
        )
    return result


# --- the rules ------------------------------------------------------------------------------------------


def view_threshold(handovers: int) -> int:
    return VIEW_RATIO * handovers + VIEW_ALLOWANCE


def anomalies(
    *, patrons_viewed: int, handovers: int, outside_hours: int, refused: int, contract_operator: bool
) -> list[str]:
    """Why an operator's period needs a closer look, in Japanese; empty when nothing stands out.

    1. A contractor operator viewed more patrons than VIEW_RATIO × the reservations handed over at
       their counter + VIEW_ALLOWANCE: a pickup counter looks a patron up to hand over a reservation
       (002), so many more look-ups than handovers suggests browsing. Library staff are not held to it.
    2. Any event outside opening hours (ACCESS_REVIEW_OPENING_HOURS).
    3. REFUSED_LIMIT or more refused attempts (pages of another role, patrons out of scope).
    """
    found = []
    limit = view_threshold(handovers)
    if contract_operator and patrons_viewed > limit:
        found.append(
            _(
                "閲覧した利用者数（%(patrons_viewed)s人）が、窓口での予約資料の受渡し件数（%(handovers)s件）"
                "の%(view_ratio)s倍＋%(view_allowance)s（%(limit)s人）を超えています。"
            )
            % {
                "patrons_viewed": patrons_viewed,
                "handovers": handovers,
                "view_ratio": VIEW_RATIO,
                "view_allowance": VIEW_ALLOWANCE,
                "limit": limit,
            }
        )
    if outside_hours > 0:
        open_, close = opening_hours()
        found.append(
            _("開館時間（%(open)s時〜%(close)s時）外の操作が%(outside_hours)s件あります。")
            % {"open": open_, "close": close, "outside_hours": outside_hours}
        )
    if refused >= REFUSED_LIMIT:
        found.append(
            _("拒否された操作（権限外・範囲外）が%(refused)s件あります（%(refused_limit)s件以上）。")
            % {"refused": refused, "refused_limit": REFUSED_LIMIT}
        )
    return found


# --- the figures ----------------------------------------------------------------------------------------


def _outside_hours() -> Q:
    hour = ExtractHour("occurred_at", tzinfo=_tz())
    open_, close = opening_hours()
    return Q(LessThan(hour, open_)) | Q(GreaterThanOrEqual(hour, close))


def _in_period(period: Period) -> QuerySet[AuditEvent] | None:
    """Events of the (inclusive, local) period, bounded by seq so that the indexes serve it."""
    seqs = seq_range(period.date_from, period.date_to)
    if seqs is None:
        return None
    low, high = seqs
    qs = AuditEvent.objects.all()
    if low is not None:
        qs = qs.filter(seq__gte=low)
    if high is not None:
        qs = qs.filter(seq__lte=high)
    start = dt.datetime.combine(period.date_from, dt.time.min, tzinfo=_tz())
    end = dt.datetime.combine(period.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=_tz())
    return qs.filter(occurred_at__gte=start, occurred_at__lt=end)


_VIEWED = Q(action__in=VIEW_ACTIONS, outcome=Outcome.SUCCESS, patron_id__isnull=False)
_REFUSED = Q(outcome=Outcome.DENIED)


@dataclass
class Summary:
    operator: Operator
    events: int = 0
    patrons_viewed: int = 0
    handovers: int = 0
    outside_hours: int = 0
    refused: int = 0
    sign_in_failures: int = 0
    anomalies: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.anomalies)


def summarize(operators: list[Operator], period: Period) -> list[Summary]:
    """One row per operator: 3 grouped queries after the seq range, whatever the number of operators."""
    return _summarize(operators, _in_period(period) if operators else None)


def _summarize(operators: list[Operator], events: QuerySet[AuditEvent] | None) -> list[Summary]:
    rows = {op.id: Summary(op) for op in operators}
    if events is not None:
        per_actor = (
            events.filter(actor_id__in=list(rows))
            .values("actor_id")
            .annotate(
                n=Count("seq"),
                viewed=Count("patron_id", filter=_VIEWED, distinct=True),
                outside=Count("seq", filter=_outside_hours()),
                refused=Count("seq", filter=_REFUSED),
            )
        )
        for row in per_actor:
            s = rows[row["actor_id"]]
            s.events, s.patrons_viewed = row["n"], row["viewed"]
            s.outside_hours, s.refused = row["outside"], row["refused"]
        codes = sorted({c for op in operators for c in op.counter_codes})
        handovers: dict[str, int] = {}
        if codes:
            handovers = dict(
                events.filter(action=HANDOVER_ACTION, outcome=Outcome.SUCCESS, branch_code__in=codes)
                .values("branch_code")
                .annotate(n=Count("seq"))
                .values_list("branch_code", "n")
            )
        failures = dict(
            events.filter(
                action__in=SIGN_IN_FAILURES, target_type="user", target_id__in=[str(i) for i in rows]
            )
            .values("target_id")
            .annotate(n=Count("seq"))
            .values_list("target_id", "n")
        )
        for s in rows.values():
            s.handovers = sum(handovers.get(c, 0) for c in s.operator.counter_codes)
            s.sign_in_failures = failures.get(str(s.operator.id), 0)
    for s in rows.values():
        s.anomalies = anomalies(
            patrons_viewed=s.patrons_viewed,
            handovers=s.handovers,
            outside_hours=s.outside_hours,
            refused=s.refused,
            contract_operator=s.operator.is_contract_operator,
        )
    return [rows[op.id] for op in operators]


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    events: int = 0
    viewed: int = 0
    outside: int = 0
    refused: int = 0


@dataclass(frozen=True)
class ActionCount:
    code: str
    label: str
    count: int
    refused: int


@dataclass
class Detail:
    summary: Summary
    actions: list[ActionCount] = field(default_factory=list)
    days: list[DayRow] = field(default_factory=list)
    refused_events: list[AuditEvent] = field(default_factory=list)
    outside_events: list[AuditEvent] = field(default_factory=list)
    chart: Chart | None = None

    @property
    def operator(self) -> Operator:
        return self.summary.operator


# The pages a refused "view" event names by their view name (loans:items): the menu's name of each part.
PAGE_GROUPS: dict[str, str] = {
    "loans": gettext_noop("貸出・資料"),
    "patrons": gettext_noop("利用者"),
    "requests": gettext_noop("開示等請求"),
    "letters": gettext_noop("開示等請求の通知書"),
    "complaints": gettext_noop("苦情"),
    "incidents": gettext_noop("漏えい等事案"),
    "registry": gettext_noop("登録簿"),
    "register_print": gettext_noop("登録簿の印刷"),
    "public_register": gettext_noop("公開の登録簿"),
    "annual_reports": gettext_noop("年次報告書"),
    "outsourcing": gettext_noop("委託契約"),
    "oversight": gettext_noop("委託の監督"),
    "access_review": gettext_noop("操作状況の点検"),
    "audit": gettext_noop("アクセスログ"),
    "accounts": gettext_noop("アカウント"),
    "backups": gettext_noop("バックアップ媒体"),
    "devmail": gettext_noop("開発用送信箱"),
    "admin": gettext_noop("マスタ管理"),
    "mypage": gettext_noop("マイページ"),
}


def page_text(view_name: str) -> str:
    """A page named by its view name, for a person: 「貸出・資料の画面」 for ``loans:items``."""
    group = PAGE_GROUPS.get(view_name.split(":", 1)[0]) if ":" in view_name else None
    if group is None:
        return _("画面")
    return _("%(group)sの画面") % {"group": _(group)}


def _name_targets(events: list[AuditEvent]) -> None:
    """Set ``target_text`` on each event: the kind of record and its own number (R8-開示-0008, a masked
    card number) from the access log's target registry, a page by its part of the menu — never an
    internal id or a view name. One query per kind of record."""
    shown = resolve_targets((e.target_type, e.target_id) for e in events)
    for event in events:
        if event.target_type == "view":
            text = page_text(event.target_id)
        else:
            target = shown.get((event.target_type, event.target_id))
            if target is None:
                text = ""
            elif target.deleted:
                text = _("%(kind)s（削除済み）") % {"kind": target.kind}
            else:
                text = f"{target.kind} {target.record}".strip()
        event.target_text = text  # type: ignore[attr-defined]


def details_for(operators: list[Operator], period: Period) -> list[Detail]:
    """Summary, actions by type, daily counts and the refused / outside-hours events of each operator.
    A fixed number of queries (9) for any number of operators."""
    events = _in_period(period) if operators else None
    summaries = _summarize(operators, events)
    ids = [op.id for op in operators]
    actions: dict[int, list[ActionCount]] = defaultdict(list)
    daily: dict[int, dict[dt.date, DayRow]] = defaultdict(dict)
    refused: dict[int, list[AuditEvent]] = defaultdict(list)
    outside: dict[int, list[AuditEvent]] = defaultdict(list)
    if events is not None:
        mine = events.filter(actor_id__in=ids)
        for row in (
            mine.values("actor_id", "action")
            .annotate(n=Count("seq"), denied=Count("seq", filter=_REFUSED))
            .order_by("actor_id", "-n", "action")
        ):
            code = row["action"]
            actions[row["actor_id"]].append(
                ActionCount(code, action_label(code) or code, row["n"], row["denied"])
            )
        for row in (
            mine.annotate(day=TruncDate("occurred_at", tzinfo=_tz()))
            .values("actor_id", "day")
            .annotate(
                n=Count("seq"),
                viewed=Count("patron_id", filter=_VIEWED, distinct=True),
                outside=Count("seq", filter=_outside_hours()),
                denied=Count("seq", filter=_REFUSED),
            )
            .order_by()
        ):
            day = row["day"]
            daily[row["actor_id"]][day] = DayRow(day, row["n"], row["viewed"], row["outside"], row["denied"])
        # The newest EVENT_LIST_LIMIT of each operator, in one query (ROW_NUMBER per operator).
        newest = Window(RowNumber(), partition_by=[F("actor_id")], order_by=F("seq").desc())
        for condition, into in ((_REFUSED, refused), (_outside_hours(), outside)):
            for event in (
                mine.filter(condition)
                .annotate(rank=newest)
                .filter(rank__lte=EVENT_LIST_LIMIT)
                .order_by("-seq")
            ):
                event.action_label = action_label(event.action)  # type: ignore[attr-defined]
                into[event.actor_id].append(event)  # type: ignore[index]
    _name_targets([e for listed in (refused, outside) for events_of in listed.values() for e in events_of])
    result = []
    for s in summaries:
        by_day = daily[s.operator.id]
        days = [by_day.get(d, DayRow(d)) for d in period.days]
        result.append(
            Detail(
                summary=s,
                actions=actions[s.operator.id],
                days=days,
                refused_events=refused[s.operator.id],
                outside_events=outside[s.operator.id],
                chart=daily_chart(days),
            )
        )
    return result


# --- the chart: a server-rendered inline SVG (no JavaScript) --------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str  # "in-hours" | "outside"
    title: str


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    plot_width: float
    plot_height: float
    bars: list[Bar]
    line_points: str  # the patrons-viewed polyline
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    max_value: int
    empty: bool

    @property
    def right(self) -> float:
        return self.left + self.plot_width

    @property
    def center(self) -> tuple[float, float]:
        return self.left + self.plot_width / 2, self.top + self.plot_height / 2

    @property
    def label_left(self) -> int:
        return self.left - 6

    @property
    def label_y(self) -> int:
        return self.height - 8


def _nice_ceiling(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** int(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return 10 * magnitude  # pragma: no cover


def _bar(x: float, y: float, width: float, height: float, css: str, title: str) -> Bar:
    return Bar(round(x, 2), round(y, 2), round(width, 2), round(height, 2), css, title)


def daily_chart(days: list[DayRow], *, width: int = 720, height: int = 240) -> Chart:
    """Daily bars (events within opening hours, and outside them stacked in red) and a line of the
    patrons viewed each day. Coordinates are computed here; the template only draws them."""
    left, top, right, bottom = 44, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(days), 1)
    top_value = _nice_ceiling(max([d.events for d in days] + [d.viewed for d in days] + [0]))
    slot = plot_w / n
    bar_w = max(slot * 0.75, 0.5)

    def y_of(v: int) -> float:
        return top + plot_h - plot_h * v / top_value

    bars: list[Bar] = []
    points = []
    for i, d in enumerate(days):
        x = left + i * slot + (slot - bar_w) / 2
        label = f"{d.day.month}/{d.day.day}"
        inside = d.events - d.outside
        if inside:
            h = plot_h * inside / top_value
            bars.append(
                _bar(
                    x,
                    y_of(inside),
                    bar_w,
                    h,
                    "in-hours",
                    _("%(day)s 開館時間内 %(count)s件") % {"day": label, "count": inside},
                )
            )
        if d.outside:
            h = plot_h * d.outside / top_value
            bars.append(
                _bar(
                    x,
                    y_of(d.events),
                    bar_w,
                    h,
                    "outside",
                    _("%(day)s 開館時間外 %(count)s件") % {"day": label, "count": d.outside},
                )
            )
        points.append(f"{round(left + i * slot + slot / 2, 2)},{round(y_of(d.viewed), 2)}")
    step = max(1, math.ceil(n / 10))
    x_ticks = [
        Tick(round(left + i * slot + slot / 2, 2), f"{d.day.month}/{d.day.day}")
        for i, d in enumerate(days)
        if i % step == 0
    ]
    y_ticks = [Tick(round(y_of(v), 2), str(v)) for v in (0, top_value // 2, top_value)]
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        plot_width=plot_w,
        plot_height=plot_h,
        bars=bars,
        line_points=" ".join(points),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        max_value=top_value,
        empty=not any(d.events for d in days),
    )
