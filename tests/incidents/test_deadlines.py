"""The pure deadline rules of an incident: 要綱 第48条 (board) and 個人情報保護法 第68条 with 施行規則
第43条–第45条 (Commission, persons), the Commission's counting (the day of knowing is day 1; a last day
on a 行政機関の休日 moves to the next open day)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents import deadlines as rules
from incidents.deadlines import Progress, Step, Triggers
from privacy_admin.core.calendar import Calendar

JST = ZoneInfo("Asia/Tokyo")
UTC = dt.UTC


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=JST)


def items_by_step(items: list[rules.DueItem]) -> dict[Step, rules.DueItem]:
    return {i.step: i for i in items}


REPORTABLE = Triggers(people_count=120)
NOT_REPORTABLE = Triggers(people_count=1)
NOTHING_DONE = Progress()


# --- triggers (規則 第43条) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("triggers", "reportable"),
    [
        (Triggers(people_count=1), False),
        (Triggers(people_count=100), False),  # 「百人を超える」: 100 itself is not enough
        (Triggers(people_count=101), True),
        (Triggers(involves_sensitive=True, people_count=1), True),
        (Triggers(financial_harm=True, people_count=1), True),
        (Triggers(wrongful_purpose=True, people_count=1), True),
    ],
)
def test_reportable_when_any_trigger_of_article_43_is_met(triggers: Triggers, reportable: bool) -> None:
    assert triggers.reportable is reportable
    assert bool(triggers.met()) is reportable


def test_met_lists_the_triggers_in_the_order_of_article_43() -> None:
    triggers = Triggers(involves_sensitive=True, wrongful_purpose=True, people_count=500)
    assert [t.basis for t in triggers.met()] == ["規則第43条第1号", "規則第43条第3号", "規則第43条第4号"]


def test_final_report_days_are_60_for_a_wrongful_purpose_even_with_other_triggers() -> None:
    assert Triggers(people_count=101).final_report_days == 30
    assert Triggers(wrongful_purpose=True, involves_sensitive=True, people_count=500).final_report_days == 60


# --- the board (要綱 第48条) -------------------------------------------------------------------------


def test_not_reportable_incident_owes_only_the_two_steps_of_article_48() -> None:
    items = rules.due_items(
        discovered_at=at(2026, 6, 15),
        triggers=NOT_REPORTABLE,
        progress=Progress(),
        today=dt.date(2026, 6, 15),
    )
    assert [i.step for i in items] == [Step.BOARD_FIRST_REPORT, Step.WRITTEN_REPORT]


def test_first_report_to_the_board_is_due_on_the_day_of_knowing_and_overdue_the_next_day() -> None:
    def board(today: dt.date, progress: Progress = NOTHING_DONE) -> rules.DueItem:
        items = rules.due_items(
            discovered_at=at(2026, 6, 15, 16, 30), triggers=NOT_REPORTABLE, progress=progress, today=today
        )
        return items_by_step(items)[Step.BOARD_FIRST_REPORT]

    assert board(dt.date(2026, 6, 15)).due_on == dt.date(2026, 6, 15)
    assert board(dt.date(2026, 6, 15)).timing == "直ちに"
    assert not board(dt.date(2026, 6, 15)).overdue
    assert board(dt.date(2026, 6, 16)).overdue
    same_day = board(dt.date(2026, 6, 20), Progress(board_reported_at=at(2026, 6, 15, 17, 0)))
    assert same_day.done and not same_day.overdue and not same_day.late
    next_day = board(dt.date(2026, 6, 20), Progress(board_reported_at=at(2026, 6, 16, 9, 0)))
    assert next_day.done and next_day.late and not next_day.overdue


def test_day_of_knowing_is_the_library_day_not_utc() -> None:
    # 2026-06-15 23:30 JST is 14:30 UTC on the same day; 2026-06-16 00:30 JST is still 6/15 in UTC.
    just_after_midnight = dt.datetime(2026, 6, 15, 15, 30, tzinfo=UTC)  # = 6/16 00:30 JST
    items = rules.due_items(
        discovered_at=just_after_midnight,
        triggers=NOT_REPORTABLE,
        progress=Progress(),
        today=dt.date(2026, 6, 16),
    )
    assert items_by_step(items)[Step.BOARD_FIRST_REPORT].due_on == dt.date(2026, 6, 16)


def test_written_report_marker_is_the_setting_days_after_knowing_and_overdue_after_it() -> None:
    def written(today: dt.date, days: int = rules.WRITTEN_REPORT_DAYS) -> rules.DueItem:
        items = rules.due_items(
            discovered_at=at(2026, 6, 1),
            triggers=NOT_REPORTABLE,
            progress=Progress(),
            today=today,
            written_report_days=days,
        )
        return items_by_step(items)[Step.WRITTEN_REPORT]

    assert written(dt.date(2026, 6, 15)).due_on == dt.date(2026, 6, 15)
    assert written(dt.date(2026, 6, 15)).marker and written(dt.date(2026, 6, 15)).timing == "遅滞なく"
    assert not written(dt.date(2026, 6, 15)).overdue
    assert written(dt.date(2026, 6, 16)).overdue
    assert written(dt.date(2026, 6, 2), days=7).due_on == dt.date(2026, 6, 8)


def test_negative_written_report_days_are_refused() -> None:
    with pytest.raises(ValueError):
        rules.due_items(
            discovered_at=at(2026, 6, 1),
            triggers=NOT_REPORTABLE,
            progress=Progress(),
            today=dt.date(2026, 6, 1),
            written_report_days=-1,
        )


def test_a_naive_discovery_time_is_refused() -> None:
    with pytest.raises(ValueError):
        rules.due_items(
            discovered_at=dt.datetime(2026, 6, 1, 10, 0),
            triggers=NOT_REPORTABLE,
            progress=Progress(),
            today=dt.date(2026, 6, 1),
        )


# --- the Commission and the persons (法第68条; 規則 第44条・第45条) -------------------------------------


def test_reportable_incident_owes_the_commission_reports_and_the_notice() -> None:
    items = rules.due_items(
        discovered_at=at(2026, 6, 15), triggers=REPORTABLE, progress=Progress(), today=dt.date(2026, 6, 15)
    )
    by_step = items_by_step(items)
    assert set(by_step) == set(Step)
    # 速報: 「速やかに」, the 3rd day counting the day of knowing as the 1st.
    assert by_step[Step.COMMISSION_FIRST_REPORT].due_on == dt.date(2026, 6, 17)
    assert by_step[Step.COMMISSION_FIRST_REPORT].timing == "速やかに"
    assert by_step[Step.COMMISSION_FIRST_REPORT].marker
    # 本人への通知: 「速やかに」, the same marker.
    assert by_step[Step.PERSONS_NOTICE].due_on == dt.date(2026, 6, 17)
    assert by_step[Step.PERSONS_NOTICE].timing == "速やかに"
    # 確報: 30th day counting 6/15 as day 1 = 7/14 (a Tuesday).
    final = by_step[Step.COMMISSION_FINAL_REPORT]
    assert final.due_on == dt.date(2026, 7, 14)
    assert final.timing == "30日以内" and not final.marker and final.moved_from is None
    assert final.basis == "法第68条第1項、規則第44条第2項"


def test_final_report_for_a_wrongful_purpose_is_due_on_the_60th_day() -> None:
    items = rules.due_items(
        discovered_at=at(2026, 6, 15),
        triggers=Triggers(wrongful_purpose=True, people_count=3),
        progress=Progress(),
        today=dt.date(2026, 6, 15),
    )
    final = items_by_step(items)[Step.COMMISSION_FINAL_REPORT]
    assert final.due_on == dt.date(2026, 8, 13)  # 6/15 is day 1, 8/13 (Thu) day 60
    assert final.timing == "60日以内"


@pytest.mark.parametrize(
    ("known", "due", "moved_from", "reason"),
    [
        # day 30 = 2026-07-18 (Saturday) → Monday 7/20 is 海の日 → Tuesday 7/21
        (dt.date(2026, 6, 19), dt.date(2026, 7, 21), dt.date(2026, 7, 18), "土曜日"),
        # day 30 = 2026-12-29 (年末年始) → 2027-01-04 (Monday)
        (dt.date(2026, 11, 30), dt.date(2027, 1, 4), dt.date(2026, 12, 29), "年末年始"),
        # day 30 = 2026-05-03 (憲法記念日, Sunday) → 5/4, 5/5, 5/6 (振替休日) are holidays → 5/7
        (dt.date(2026, 4, 4), dt.date(2026, 5, 7), dt.date(2026, 5, 3), "憲法記念日"),
    ],
)
def test_final_report_due_on_a_closed_day_moves_to_the_next_open_day(
    known: dt.date, due: dt.date, moved_from: dt.date, reason: str
) -> None:
    assert rules.final_report_due(known, wrongful_purpose=False) == (due, moved_from, reason)


def test_library_closed_days_do_not_move_the_commission_deadline() -> None:
    # The library's own 休館日 is not a 行政機関の休日: the default calendar ignores it.
    day30 = dt.date(2026, 7, 14)
    assert rules.final_report_due(dt.date(2026, 6, 15), wrongful_purpose=False)[0] == day30
    library = Calendar(library_closed=frozenset({day30}))
    assert rules.final_report_due(dt.date(2026, 6, 15), wrongful_purpose=False, calendar=library)[0] == (
        dt.date(2026, 7, 15)
    )


def test_done_steps_are_not_overdue_and_next_due_is_the_earliest_pending_step() -> None:
    progress = Progress(
        board_reported_at=at(2026, 6, 15, 11, 0),
        commission_first_report_at=at(2026, 6, 16, 15, 0),
    )
    items = rules.due_items(
        discovered_at=at(2026, 6, 15), triggers=REPORTABLE, progress=progress, today=dt.date(2026, 6, 18)
    )
    by_step = items_by_step(items)
    assert not by_step[Step.COMMISSION_FIRST_REPORT].overdue
    assert by_step[Step.PERSONS_NOTICE].overdue  # marker 6/17 passed, not done
    nxt = rules.next_due(items)
    assert nxt is not None and nxt.step == Step.PERSONS_NOTICE
    assert [i.step for i in rules.pending(items)] == [
        Step.PERSONS_NOTICE,
        Step.WRITTEN_REPORT,
        Step.COMMISSION_FINAL_REPORT,
    ]


def test_next_due_is_none_when_everything_is_done() -> None:
    progress = Progress(
        board_reported_at=at(2026, 6, 15, 11, 0),
        written_report_on=dt.date(2026, 6, 20),
        commission_first_report_at=at(2026, 6, 16, 15, 0),
        commission_final_report_on=dt.date(2026, 7, 1),
        persons_notified_on=dt.date(2026, 6, 17),
    )
    items = rules.due_items(
        discovered_at=at(2026, 6, 15), triggers=REPORTABLE, progress=progress, today=dt.date(2026, 9, 1)
    )
    assert rules.next_due(items) is None
    assert not any(i.overdue for i in items)


def test_nth_day_counts_the_first_day_as_day_one() -> None:
    assert rules.nth_day(dt.date(2026, 1, 31), 1) == dt.date(2026, 1, 31)
    assert rules.nth_day(dt.date(2026, 1, 31), 30) == dt.date(2026, 3, 1)
    with pytest.raises(ValueError):
        rules.nth_day(dt.date(2026, 1, 1), 0)


# --- properties ------------------------------------------------------------------------------------

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
times = st.times()
flags = st.booleans()
people = st.integers(min_value=1, max_value=100_000)


@given(known=days, wrongful=flags)
def test_final_report_due_is_never_a_closed_day_and_at_most_a_short_run_after_the_last_day(
    known: dt.date, wrongful: bool
) -> None:
    due, moved_from, reason = rules.final_report_due(known, wrongful_purpose=wrongful)
    last = rules.nth_day(known, 60 if wrongful else 30)
    assert not rules.GOVERNMENT_CALENDAR.is_closed(due)
    assert last <= due <= last + dt.timedelta(days=10)
    assert (moved_from is None) == (due == last) == (reason == "")
    # Every day between the 30th/60th day and the due day is a closed day.
    day = last
    while day < due:
        assert rules.GOVERNMENT_CALENDAR.is_closed(day)
        day += dt.timedelta(days=1)


@given(known=days, clock=times, s=flags, f=flags, w=flags, n=people, offset=st.integers(-5, 120))
def test_items_are_sorted_overdue_iff_pending_and_past_due_and_commission_steps_iff_reportable(
    known: dt.date, clock: dt.time, s: bool, f: bool, w: bool, n: int, offset: int
) -> None:
    triggers = Triggers(involves_sensitive=s, financial_harm=f, wrongful_purpose=w, people_count=n)
    discovered = dt.datetime.combine(known, clock, tzinfo=JST)
    today = known + dt.timedelta(days=offset)
    items = rules.due_items(discovered_at=discovered, triggers=triggers, progress=Progress(), today=today)
    assert [i.due_on for i in items] == sorted(i.due_on for i in items)
    assert len(items) == (5 if triggers.reportable else 2)
    assert triggers.reportable == (s or f or w or n > 100)
    for item in items:
        assert item.overdue == (today > item.due_on)
        assert item.due_on >= known
        assert item.days_left(today) == (item.due_on - today).days
    first = items_by_step(items)[Step.BOARD_FIRST_REPORT]
    assert first.due_on == known


@given(known=days, done_offset=st.integers(0, 90), today_offset=st.integers(0, 120))
def test_a_done_step_is_never_overdue_and_late_iff_done_after_due(
    known: dt.date, done_offset: int, today_offset: int
) -> None:
    done_on = known + dt.timedelta(days=done_offset)
    progress = Progress(
        board_reported_at=dt.datetime.combine(done_on, dt.time(9, 0), tzinfo=JST),
        written_report_on=done_on,
        commission_first_report_at=dt.datetime.combine(done_on, dt.time(9, 0), tzinfo=JST),
        commission_final_report_on=done_on,
        persons_notified_on=done_on,
    )
    items = rules.due_items(
        discovered_at=dt.datetime.combine(known, dt.time(8, 0), tzinfo=JST),
        triggers=REPORTABLE,
        progress=progress,
        today=known + dt.timedelta(days=today_offset),
    )
    for item in items:
        assert item.done_on == done_on
        assert not item.overdue
        assert item.late == (done_on > item.due_on)
    assert rules.next_due(items) is None
