"""What an incident still owes, and by when — pure functions, no ORM (architecture rule 6).

Two sets of rules apply to a leak, loss or damage of personal information (or the risk of it):

山梨県 要綱 第48条 (to the board of education, always)
  「直ちにその旨を教育委員会に報告し、速やかに応急措置を講じた後、遅滞なく当該事件等に係る個人情報の
  項目・内容・数量、当該事件等の発生場所、発生状況等を詳細に記載した報告書及び今後の対処方針を記した
  文書を提出し」.
  - first report: 直ちに — due on the day the library knew; overdue once that day has passed.
  - written report and the plan to prevent it: 遅滞なく — no number of days in the text; the product
    shows ``WRITTEN_REPORT_DAYS`` after the day of knowing as a marker (a library setting in waiting).

個人情報保護法 第68条 with 施行規則 第43条–第45条 (to the Commission and to each person, only when the
incident is one of 規則 第43条's: 要配慮個人情報; 不正に利用されることにより財産的被害が生じるおそれ;
不正の目的をもって行われたおそれ (不正アクセス等); 本人の数が百人を超える)
  - 速報 (規則 第44条第1項): 「当該事態を知った後、速やかに」. The Commission's guidance gives
    「概ね3〜5日以内」 from the time of knowing (ガイドライン（通則編）3-5-3-3; 事務対応ガイド（行政機関等
    向け）4-4-1). We show the 3rd day — the earliest reading of that range — as the marker.
  - 確報 (規則 第44条第2項): 「当該事態を知った日から三十日以内（…第三号に定めるものである場合にあって
    は、六十日以内）」. The Commission counts the day of knowing as day 1 (ガイドライン（通則編）3-5-3-4:
    「その時点を1日目とする」), and when the 30th / 60th day is a Saturday, Sunday, national holiday or
    12/29–1/3 the deadline is the next day that is none of these. (民法 第140条's 初日不算入 is *not*
    the Commission's practice here: counting from the next day would give a date one day too late.)
    60 days apply whenever the wrongful-purpose trigger is met, even with others (3-5-3-4).
  - notice to each person (規則 第45条): 「当該事態の状況に応じて速やかに」. No number of days; shown as
    「速やかに」 with the same marker as the 速報.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from privacy_admin.core.calendar import Calendar

JST = ZoneInfo("Asia/Tokyo")
ONE_DAY = dt.timedelta(days=1)

# 山梨県 要綱 第48条「遅滞なく」: the text sets no number of days. A marker only, counted from the day the library
# knew; should become a library setting (INCIDENT_WRITTEN_REPORT_DAYS).
WRITTEN_REPORT_DAYS = 14
# 規則 第44条第1項「速やかに」: the guidance's 「概ね3〜5日以内」, earliest end; the day of knowing is day 1.
PROMPT_REPORT_DAY = 3
# 規則 第44条第2項: 30 days; 60 when the incident may have been done for a wrongful purpose (第43条第3号).
FINAL_REPORT_DAYS = 30
FINAL_REPORT_DAYS_WRONGFUL = 60
# 規則 第43条第4号: 「本人の数が百人を超える」 (more than 100, so 100 itself is not enough).
PEOPLE_THRESHOLD = 100

# 行政機関の休日 (行政機関の休日に関する法律 第1条): Saturdays, Sundays, national holidays, 12/29–1/3 —
# the library's own closed days play no part in the Commission's deadline.
GOVERNMENT_CALENDAR = Calendar()


class Step(enum.StrEnum):
    BOARD_FIRST_REPORT = "board_first_report"
    WRITTEN_REPORT = "written_report"
    COMMISSION_FIRST_REPORT = "commission_first_report"
    COMMISSION_FINAL_REPORT = "commission_final_report"
    PERSONS_NOTICE = "persons_notice"


STEP_LABELS: dict[Step, str] = {
    Step.BOARD_FIRST_REPORT: "教育委員会への第一報",
    Step.WRITTEN_REPORT: "報告書及び今後の対処方針の提出",
    Step.COMMISSION_FIRST_REPORT: "個人情報保護委員会への速報",
    Step.COMMISSION_FINAL_REPORT: "個人情報保護委員会への確報",
    Step.PERSONS_NOTICE: "本人への通知",
}
# The board steps cite the rule profile in force (its "incident_board_report"), passed in as ``board_basis``:
# 山梨県 要綱第48条第1項 for a designated manager; nothing under the Act, which sets no report to the board.
STEP_BASIS: dict[Step, str] = {
    Step.COMMISSION_FIRST_REPORT: "法第68条第1項、規則第44条第1項",
    Step.COMMISSION_FINAL_REPORT: "法第68条第1項、規則第44条第2項",
    Step.PERSONS_NOTICE: "法第68条第2項、規則第45条",
}
_STEP_ORDER = {step: i for i, step in enumerate(Step)}


@dataclass(frozen=True)
class Trigger:
    code: str
    label: str
    basis: str


# The checklist, in the order of 規則 第43条.
TRIGGERS: tuple[Trigger, ...] = (
    Trigger("involves_sensitive", "要配慮個人情報が含まれる", "規則第43条第1号"),
    Trigger("financial_harm", "不正に利用されることにより財産的被害が生じるおそれがある", "規則第43条第2号"),
    Trigger(
        "wrongful_purpose",
        "不正の目的をもって行われたおそれがある（不正アクセス、持ち出し等）",
        "規則第43条第3号",
    ),
    Trigger("more_than_100", "本人の数が100人を超える", "規則第43条第4号"),
)


@dataclass(frozen=True)
class Triggers:
    """The checklist of 規則 第43条. ``more_than_100`` is read from the number of people."""

    involves_sensitive: bool = False
    financial_harm: bool = False
    wrongful_purpose: bool = False
    people_count: int = 0

    @property
    def more_than_100(self) -> bool:
        return self.people_count > PEOPLE_THRESHOLD

    @property
    def reportable(self) -> bool:
        """Any trigger met: report to the Commission and notify each person (法第68条)."""
        return any(getattr(self, t.code) for t in TRIGGERS)

    def met(self) -> list[Trigger]:
        return [t for t in TRIGGERS if getattr(self, t.code)]

    @property
    def final_report_days(self) -> int:
        return FINAL_REPORT_DAYS_WRONGFUL if self.wrongful_purpose else FINAL_REPORT_DAYS


@dataclass(frozen=True)
class Progress:
    """What has been done (None: not yet)."""

    board_reported_at: dt.datetime | None = None
    written_report_on: dt.date | None = None
    commission_first_report_at: dt.datetime | None = None
    commission_final_report_on: dt.date | None = None
    persons_notified_on: dt.date | None = None


@dataclass(frozen=True)
class DueItem:
    step: Step
    label: str
    due_on: dt.date
    done_on: dt.date | None
    overdue: bool  # not done and the due day has passed
    timing: str  # the rule's own words: 直ちに, 遅滞なく, 速やかに, 30日以内, 60日以内
    basis: str  # the article
    # 確報 only: the 30th/60th day when it fell on a closed day and the deadline moved to the next day.
    moved_from: dt.date | None = None
    closed_reason: str = ""
    # True when ``due_on`` is a marker for 「速やかに」/「遅滞なく」 rather than a day set by the rule.
    marker: bool = False

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def late(self) -> bool:
        """Done, but after the due day."""
        return self.done_on is not None and self.done_on > self.due_on

    def days_left(self, today: dt.date) -> int:
        """Days from ``today`` to the due day (0 on the day itself, negative once past)."""
        return (self.due_on - today).days


def local_date(moment: dt.datetime, tz: dt.tzinfo = JST) -> dt.date:
    """The library's calendar day of an aware datetime. A naive datetime is refused: it has no day."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("aware datetime required (a naive datetime has no calendar day)")
    return moment.astimezone(tz).date()


def nth_day(first_day: dt.date, n: int) -> dt.date:
    """The ``n``-th day counting ``first_day`` as day 1 (n ≥ 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return first_day + dt.timedelta(days=n - 1)


def final_report_due(
    known_on: dt.date, *, wrongful_purpose: bool, calendar: Calendar = GOVERNMENT_CALENDAR
) -> tuple[dt.date, dt.date | None, str]:
    """(due day, the 30th/60th day if it moved, why it moved) of the 確報 (規則 第44条第2項).

    The day of knowing is day 1; a 30th/60th day on a 行政機関の休日 moves to the next day that is not one.
    """
    days = FINAL_REPORT_DAYS_WRONGFUL if wrongful_purpose else FINAL_REPORT_DAYS
    last = nth_day(known_on, days)
    reason = calendar.closed_reason(last)
    if not reason:
        return last, None, ""
    return calendar.next_open_day(last), last, reason


def _item(
    step: Step,
    *,
    due_on: dt.date,
    done_on: dt.date | None,
    today: dt.date,
    timing: str,
    marker: bool = False,
    moved_from: dt.date | None = None,
    closed_reason: str = "",
    basis: str | None = None,
) -> DueItem:
    return DueItem(
        step=step,
        label=STEP_LABELS[step],
        due_on=due_on,
        done_on=done_on,
        overdue=done_on is None and today > due_on,
        timing=timing,
        basis=STEP_BASIS.get(step, "") if basis is None else basis,
        moved_from=moved_from,
        closed_reason=closed_reason,
        marker=marker,
    )


def due_items(
    *,
    discovered_at: dt.datetime,
    triggers: Triggers,
    progress: Progress,
    today: dt.date,
    written_report_days: int = WRITTEN_REPORT_DAYS,
    calendar: Calendar = GOVERNMENT_CALENDAR,
    tz: dt.tzinfo = JST,
    board_basis: str = "",
) -> list[DueItem]:
    """Every step the incident requires, earliest due first.

    Always the two of 山梨県 要綱 第48条; when ``triggers.reportable`` also the Commission's 速報 and 確報 and the
    notice to each person (法第68条). ``discovered_at`` is when the library knew (aware datetime);
    ``board_basis`` is what the two board steps cite (the rule profile's, '' for none).
    """
    if written_report_days < 0:
        raise ValueError("written_report_days must not be negative")
    known = local_date(discovered_at, tz)

    def day_of(moment: dt.datetime | None) -> dt.date | None:
        return None if moment is None else local_date(moment, tz)

    items = [
        _item(
            Step.BOARD_FIRST_REPORT,
            due_on=known,
            done_on=day_of(progress.board_reported_at),
            today=today,
            timing="直ちに",
            basis=board_basis,
        ),
        _item(
            Step.WRITTEN_REPORT,
            due_on=known + dt.timedelta(days=written_report_days),
            done_on=progress.written_report_on,
            today=today,
            timing="遅滞なく",
            marker=True,
            basis=board_basis,
        ),
    ]
    if triggers.reportable:
        prompt = nth_day(known, PROMPT_REPORT_DAY)
        final, moved_from, reason = final_report_due(
            known, wrongful_purpose=triggers.wrongful_purpose, calendar=calendar
        )
        items += [
            _item(
                Step.COMMISSION_FIRST_REPORT,
                due_on=prompt,
                done_on=day_of(progress.commission_first_report_at),
                today=today,
                timing="速やかに",
                marker=True,
            ),
            _item(
                Step.COMMISSION_FINAL_REPORT,
                due_on=final,
                done_on=progress.commission_final_report_on,
                today=today,
                timing=f"{triggers.final_report_days}日以内",
                moved_from=moved_from,
                closed_reason=reason,
            ),
            _item(
                Step.PERSONS_NOTICE,
                due_on=prompt,
                done_on=progress.persons_notified_on,
                today=today,
                timing="速やかに",
                marker=True,
            ),
        ]
    items.sort(key=lambda i: (i.due_on, _STEP_ORDER[i.step]))
    return items


def next_due(items: list[DueItem]) -> DueItem | None:
    """The earliest step not yet done (None when all are done)."""
    pending = [i for i in items if not i.done]
    return min(pending, key=lambda i: (i.due_on, _STEP_ORDER[i.step])) if pending else None


def pending(items: list[DueItem]) -> list[DueItem]:
    return [i for i in items if not i.done]
