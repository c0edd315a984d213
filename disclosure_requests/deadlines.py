"""Statutory deadlines for 開示・訂正・利用停止 requests — pure functions, no ORM (architecture rule 6).

INTERFACE FIXED: the services and the API rely on exactly these names and signatures; add, do not
rename.

Rules (domain.md §7; 山梨県 要綱 第24–25, 27, 30, 34–35, 37, 41–42条; APPI arts. 83–84, 87, 90, 94–95, 98,
102–103; 民法 第140条; 地方自治法 第4条の2):
- The day of receipt is not counted (初日不算入): received 4/1 with 15 days → due 4/16.
- Each 補正 period adds its length: (completed_on - requested_on).days — from the day after the fix
  was requested to the day the fixed request arrived (総務省 審査基準: 「補正を求めた日の翌日から当該
  補正が完了した日までの日数」). Several periods add up. An open period (completed_on None) stops the
  clock: the result is ``paused`` and ``due_on`` is the due date as if the fix arrived today.
- Extensions add up to the profile's maximum in total; each has a reason and a notice date on or
  before the deadline in force when it is given.
- The library's own decision deadline is NOT moved by closed days; the result warns when it falls on
  one and gives the last open day before it.
- A deadline the requester must meet (90-day window, 30 days to choose a method, a 補正 reply) moves
  to the next open day when it falls on a closed day.
- Closed days: Saturdays, Sundays, national holidays (jpholiday), 12/29–1/3, and the library's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from privacy_admin.core.calendar import Calendar
from privacy_admin.core.dates import format_local_date, japanese_active

# The articles a refused extension names, by request kind, when the caller does not pass the article of
# the request's rule profile (山梨県 要綱 / 個人情報の保護に関する法律).
EXTENSION_ARTICLES: dict[str, str] = {
    "disclosure": gettext_noop("山梨県 要綱 第24条第2項、法第83条第2項"),
    "correction": gettext_noop("山梨県 要綱 第34条第2項、法第94条第2項"),
    "suspension": gettext_noop("山梨県 要綱 第41条第2項、法第102条第2項"),
}
_ANY_EXTENSION_ARTICLE = gettext_noop("山梨県 要綱 第24条第2項・第34条第2項・第41条第2項")


def _ymd(day: dt.date) -> str:
    if not japanese_active():
        return format_local_date(day)
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Pause:
    """One 補正 period."""

    requested_on: dt.date
    completed_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.completed_on is None

    def days(self, *, today: dt.date) -> int:
        """The days this period adds: to the day the fix arrived, or (while open) to ``today``."""
        end = self.completed_on if self.completed_on is not None else today
        return max(0, (end - self.requested_on).days)


@dataclass(frozen=True)
class ExtensionGrant:
    days: int
    reason: str
    notified_on: dt.date


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date  # the decision deadline (base + 補正 days + extensions); never moved by closed days
    base_due_on: dt.date  # received_on + base days + 補正 days, before extensions
    paused: bool  # an open 補正: the clock is stopped
    pause_days: int  # total days added by completed (and, when paused, the running) 補正 periods
    extension_days: int  # total days of extensions granted
    falls_on_closed_day: bool
    closed_reason: str  # '' when open
    last_open_day_before: dt.date | None  # set only when falls_on_closed_day

    def days_left(self, today: dt.date) -> int:
        """Days from ``today`` to ``due_on`` (0 on the day itself, negative once overdue)."""
        return (self.due_on - today).days

    def is_overdue(self, today: dt.date) -> bool:
        return not self.paused and today > self.due_on


class DeadlineError(ValueError):
    """A rule was broken (message in Japanese, naming the rule); raised by the validate_* functions."""

    def __init__(self, message: str, *, field: str = "__all__") -> None:
        super().__init__(message)
        self.field = field


def count_days(start: dt.date, days: int) -> dt.date:
    """初日不算入: the last day of a period of ``days`` days starting the day after ``start``."""
    # 民法 第140条: the first day is not counted, so the period ends ``days`` days after ``start``.
    return start + dt.timedelta(days=days)


def pause_days(pauses: Iterable[Pause], *, today: dt.date) -> int:
    """Days added by 補正 (山梨県 要綱 第24条 ただし書): 「補正を求めた日の翌日から当該補正が完了した日まで」,
    i.e. ``completed_on - requested_on`` per period; an open period counts up to ``today``."""
    return sum(p.days(today=today) for p in pauses)


def _deadline(
    due_on: dt.date, *, base_due_on: dt.date, paused: bool, pause: int, extension: int, calendar: Calendar
) -> Deadline:
    reason = calendar.closed_reason(due_on)
    return Deadline(
        due_on=due_on,
        base_due_on=base_due_on,
        paused=paused,
        pause_days=pause,
        extension_days=extension,
        falls_on_closed_day=bool(reason),
        closed_reason=reason,
        last_open_day_before=calendar.last_open_day_before(due_on) if reason else None,
    )


def decision_deadline(
    *,
    received_on: dt.date,
    base_days: int,
    pauses: Iterable[Pause] = (),
    extensions: Iterable[ExtensionGrant] = (),
    calendar: Calendar,
    today: dt.date,
) -> Deadline:
    """The library's own decision deadline (山梨県 要綱 第24条 / 第34条 / 第41条; APPI arts. 83, 94, 102).

    received_on + base_days (初日不算入) + 補正 days + extension days. Closed days do not move it: the
    holiday rule of 地方自治法 第4条の2 applies to acts of residents, not to the library's own duty.
    """
    pauses = list(pauses)
    paused = any(p.is_open for p in pauses)
    added = pause_days(pauses, today=today)
    extension = sum(e.days for e in extensions)
    base_due_on = count_days(received_on, base_days) + dt.timedelta(days=added)
    due_on = base_due_on + dt.timedelta(days=extension)
    return _deadline(
        due_on, base_due_on=base_due_on, paused=paused, pause=added, extension=extension, calendar=calendar
    )


def requester_deadline(start: dt.date, days: int, *, calendar: Calendar) -> dt.date:
    """A deadline the requester must meet: count_days, then moved to the next open day (地方自治法 第4条の2)."""
    return calendar.next_open_day(count_days(start, days))


def _overlaps(a: Pause, b: Pause) -> bool:
    # A period covers the days (requested_on, completed_on]; an open one runs on without end.
    # One may start on the day another ended: those two share no counted day.
    a_end = a.completed_on or dt.date.max
    b_end = b.completed_on or dt.date.max
    return a.requested_on < b_end and b.requested_on < a_end


def validate_pause(pause: Pause, *, received_on: dt.date, existing: Iterable[Pause], today: dt.date) -> None:
    """requested_on not before receipt nor in the future; completed_on not before requested_on nor in the
    future; periods do not overlap and at most one is open.

    ``existing`` are the request's other periods: leave out the one being edited (e.g. when completing it).
    """
    if pause.requested_on < received_on:
        raise DeadlineError(
            _("補正を求めた日（%(requested_on)s）が請求の受付日（%(received_on)s）より前です。")
            % {"requested_on": _ymd(pause.requested_on), "received_on": _ymd(received_on)},
            field="requested_on",
        )
    if pause.requested_on > today:
        raise DeadlineError(_("補正を求めた日に未来の日付は入力できません。"), field="requested_on")
    if pause.completed_on is not None:
        if pause.completed_on < pause.requested_on:
            raise DeadlineError(_("補正の完了日が補正を求めた日より前です。"), field="completed_on")
        if pause.completed_on > today:
            raise DeadlineError(_("補正の完了日に未来の日付は入力できません。"), field="completed_on")
    for other in existing:
        if pause.is_open and other.is_open:
            raise DeadlineError(
                _(
                    "完了していない補正（%(requested_on)sに求めたもの）がすでにあります。その補正の完了日を先に入力してください。"
                )
                % {"requested_on": _ymd(other.requested_on)},
                field="completed_on",
            )
        if _overlaps(pause, other):
            until = _ymd(other.completed_on) if other.completed_on else _("未完了")
            raise DeadlineError(
                _(
                    "ほかの補正の期間（%(requested_on)s〜%(until)s）と重なっています。補正に要した日数は重ねて数えられません。"
                )
                % {"requested_on": _ymd(other.requested_on), "until": until},
                field="requested_on",
            )


def validate_extension(
    grant: ExtensionGrant,
    *,
    current: Deadline,
    granted: Iterable[ExtensionGrant],
    max_days: int,
    received_on: dt.date,
    kind: str = "",
    article: str = "",
) -> None:
    """days ≥ 1; total with earlier grants ≤ max_days; notified_on between receipt and current.due_on
    (an extension after the deadline is refused); reason not blank.

    ``current`` is the deadline in force (with the earlier grants); ``kind`` ("disclosure", "correction",
    "suspension") only chooses the article named in the messages.
    """
    article = article or _(EXTENSION_ARTICLES.get(kind, _ANY_EXTENSION_ARTICLE))
    if grant.days < 1:
        raise DeadlineError(_("延長日数は1日以上を入力してください。"), field="days")
    used = sum(g.days for g in granted)
    if used + grant.days > max_days:
        left = max(0, max_days - used)
        raise DeadlineError(
            _("延長できる日数は合計%(max_days)s日までです（残り%(left)s日）。（%(article)s）")
            % {"max_days": max_days, "left": left, "article": article},
            field="days",
        )
    if grant.notified_on < received_on:
        raise DeadlineError(
            _("延長の通知日（%(notified_on)s）が請求の受付日（%(received_on)s）より前です。")
            % {"notified_on": _ymd(grant.notified_on), "received_on": _ymd(received_on)},
            field="notified_on",
        )
    if grant.notified_on > current.due_on:
        raise DeadlineError(
            _(
                "期限を過ぎてからの延長はできません（決定期限は%(due_on)s）。延長は期限内に通知しなければなりません（%(article)s）"
                "。"
            )
            % {"due_on": _ymd(current.due_on), "article": article},
            field="notified_on",
        )
    if not grant.reason.strip():
        raise DeadlineError(
            _("延長の理由を入力してください。延長後の期間と延長の理由を書面で通知します（%(article)s）。")
            % {"article": article},
            field="reason",
        )


def special_extension_deadlines(
    *,
    received_on: dt.date,
    notice_days: int,
    substantial_days: int,
    pauses: Iterable[Pause] = (),
    calendar: Calendar,
    today: dt.date,
) -> tuple[Deadline, Deadline]:
    """(notice deadline, substantial-part deadline) for a special extension (山梨県 要綱 第25条 / APPI art. 84).

    The notice is due within the ordinary period (15 / 30 days); the substantial part within 30 / 60
    days; both plus 補正 days, and neither moved by closed days. 訂正・利用停止 (第35条, 第42条) use only
    the notice deadline.
    """
    pauses = list(pauses)
    paused = any(p.is_open for p in pauses)
    added = pause_days(pauses, today=today)
    result = []
    for days in (notice_days, substantial_days):
        due_on = count_days(received_on, days) + dt.timedelta(days=added)
        result.append(
            _deadline(due_on, base_due_on=due_on, paused=paused, pause=added, extension=0, calendar=calendar)
        )
    return result[0], result[1]


def within_request_window(
    *, disclosed_on: dt.date, received_on: dt.date, window_days: int, calendar: Calendar
) -> bool:
    """訂正 / 利用停止 within ``window_days`` of the disclosure (last day moved to the next open day)."""
    # 山梨県 要綱 第30条第3項, 第37条第3項 (APPI arts. 90, 98): 開示を受けた日から90日以内.
    return disclosed_on <= received_on <= requester_deadline(disclosed_on, window_days, calendar=calendar)


def earliest_disclosure_after_objection(decided_on: dt.date, wait_days: int) -> dt.date:
    """第26条3 / APPI art. 86: at least ``wait_days`` full days between the decision and carrying it out:
    decided 4/1 with 14 days → 4/16 at the earliest."""
    # 「…との間に少なくとも2週間を置かなければならない」: the days strictly between are 4/2–4/15.
    return decided_on + dt.timedelta(days=wait_days + 1)
