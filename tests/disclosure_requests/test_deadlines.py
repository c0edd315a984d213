"""Deadline arithmetic for 開示・訂正・利用停止 (domain §7; 要綱 第24–27, 30, 34–35, 37, 41–42条; APPI).

Worked examples with real dates first, then properties that hold for every date.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from disclosure_requests.deadlines import (
    Calendar,
    Deadline,
    DeadlineError,
    ExtensionGrant,
    Pause,
    count_days,
    decision_deadline,
    earliest_disclosure_after_objection,
    pause_days,
    requester_deadline,
    special_extension_deadlines,
    validate_extension,
    validate_pause,
    within_request_window,
)

D = dt.date
CAL = Calendar()
# The two seeded profiles: 山梨県 要綱 (15 + 15; special 15 / 30) and APPI (30 + 30; special 30 / 60).
YAMANASHI = {"base": 15, "extension": 15, "notice": 15, "substantial": 30}
APPI = {"base": 30, "extension": 30, "notice": 30, "substantial": 60}


def deadline(received_on, base_days=15, pauses=(), extensions=(), calendar=CAL, today=None) -> Deadline:
    return decision_deadline(
        received_on=received_on,
        base_days=base_days,
        pauses=pauses,
        extensions=extensions,
        calendar=calendar,
        today=today or received_on + dt.timedelta(days=200),
    )


def grant(
    days: int, notified_on: D, reason: str = "事務処理上の困難（請求に係る情報が多数の部署にわたるため）"
):
    return ExtensionGrant(days=days, reason=reason, notified_on=notified_on)


# --- worked examples: the library's decision deadline ---------------------------------------------

# (received_on, base days, due_on, closed reason, last open day before) — closed days never move it.
DECISION_EXAMPLES = [
    pytest.param(D(2026, 4, 1), 15, D(2026, 4, 16), "", None, id="15-days-first-day-not-counted"),
    pytest.param(D(2026, 4, 20), 15, D(2026, 5, 5), "こどもの日", D(2026, 5, 1), id="golden-week-warns"),
    pytest.param(D(2026, 12, 20), 15, D(2027, 1, 4), "", None, id="after-new-year-is-open"),
    pytest.param(D(2026, 12, 18), 15, D(2027, 1, 2), "年末年始", D(2026, 12, 28), id="new-year-warns"),
    pytest.param(D(2026, 4, 1), 30, D(2026, 5, 1), "", None, id="appi-30-days"),
    pytest.param(D(2026, 4, 16), 30, D(2026, 5, 16), "土曜日", D(2026, 5, 15), id="appi-on-saturday"),
    pytest.param(D(2025, 10, 9), 15, D(2025, 10, 24), "", None, id="2025-ordinary"),
    pytest.param(
        D(2025, 11, 9),
        15,
        D(2025, 11, 24),
        "振替休日（勤労感謝の日）",
        D(2025, 11, 21),
        id="substitute-holiday",
    ),
    pytest.param(D(2026, 9, 6), 15, D(2026, 9, 21), "敬老の日", D(2026, 9, 18), id="silver-week"),
]


@pytest.mark.parametrize(("received_on", "days", "due_on", "reason", "last_open"), DECISION_EXAMPLES)
def test_decision_deadline_counts_calendar_days_and_warns_on_closed_days(
    received_on, days, due_on, reason, last_open
) -> None:
    result = deadline(received_on, days)
    assert result.due_on == due_on
    assert result.base_due_on == due_on
    assert result.falls_on_closed_day is bool(reason)
    assert result.closed_reason == reason
    assert result.last_open_day_before == last_open
    assert not result.paused and result.pause_days == 0 and result.extension_days == 0


def test_count_days_does_not_count_the_day_of_receipt() -> None:
    assert count_days(D(2026, 4, 1), 15) == D(2026, 4, 16)
    assert count_days(D(2026, 4, 1), 0) == D(2026, 4, 1)


def test_library_closed_day_entered_by_the_library_warns_but_does_not_move_the_deadline() -> None:
    calendar = Calendar(library_closed=frozenset({D(2026, 4, 16)}))  # 館内整理日, a Thursday
    result = deadline(D(2026, 4, 1), 15, calendar=calendar)
    assert result.due_on == D(2026, 4, 16)
    assert result.closed_reason == "休館日"
    assert result.last_open_day_before == D(2026, 4, 15)


def test_library_closed_day_moves_a_requester_deadline() -> None:
    calendar = Calendar(library_closed=frozenset({D(2026, 4, 16)}))
    assert requester_deadline(D(2026, 4, 1), 15, calendar=calendar) == D(2026, 4, 17)
    assert requester_deadline(D(2026, 4, 1), 15, calendar=CAL) == D(2026, 4, 16)


def test_last_open_day_before_skips_library_closed_days_too() -> None:
    calendar = Calendar(library_closed=frozenset({D(2026, 5, 1)}))
    assert deadline(D(2026, 4, 20), 15, calendar=calendar).last_open_day_before == D(2026, 4, 30)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 4, 18), "土曜日"),
        (D(2026, 4, 19), "日曜日"),
        (D(2026, 11, 3), "文化の日"),
        (D(2026, 5, 6), "振替休日（憲法記念日）"),
        (D(2026, 9, 22), "国民の休日"),
        (D(2026, 12, 29), "年末年始"),
        (D(2027, 1, 1), "年末年始"),  # also 元日: the whole 12/29–1/3 closure is named
        (D(2027, 1, 3), "年末年始"),
        (D(2026, 12, 28), ""),
        (D(2027, 1, 4), ""),
        (D(2026, 4, 16), ""),
    ],
)
def test_closed_reason_names_the_closure(day, reason) -> None:
    assert CAL.closed_reason(day) == reason
    assert CAL.is_closed(day) is bool(reason)


def test_national_holiday_name_wins_over_weekday_name() -> None:
    assert CAL.closed_reason(D(2026, 5, 3)) == "憲法記念日"  # a Sunday


# --- 補正 ---------------------------------------------------------------------------------------


def test_amendment_from_5th_to_9th_adds_four_days() -> None:
    result = deadline(D(2026, 4, 1), pauses=[Pause(D(2026, 4, 5), D(2026, 4, 9))])
    assert result.pause_days == 4
    assert result.base_due_on == result.due_on == D(2026, 4, 20)
    assert not result.paused


def test_two_amendment_periods_add_up() -> None:
    pauses = [Pause(D(2026, 4, 5), D(2026, 4, 9)), Pause(D(2026, 4, 13), D(2026, 4, 15))]
    result = deadline(D(2026, 4, 1), pauses=pauses)
    assert result.pause_days == 6
    assert result.due_on == D(2026, 4, 22)


def test_open_amendment_stops_the_clock_and_shows_the_deadline_if_fixed_today() -> None:
    result = deadline(D(2026, 4, 1), pauses=[Pause(D(2026, 4, 5))], today=D(2026, 4, 10))
    assert result.paused
    assert result.pause_days == 5
    assert result.due_on == D(2026, 4, 21)
    assert not result.is_overdue(D(2026, 4, 30))  # a stopped clock is never overdue


def test_amendment_fixed_on_the_day_it_was_asked_adds_nothing() -> None:
    assert pause_days([Pause(D(2026, 4, 5), D(2026, 4, 5))], today=D(2026, 4, 20)) == 0


def test_amendment_completed_on_requested_day_is_accepted() -> None:
    validate_pause(
        Pause(D(2026, 4, 5), D(2026, 4, 5)), received_on=D(2026, 4, 1), existing=[], today=D(2026, 4, 5)
    )


@pytest.mark.parametrize(
    ("pause", "existing", "field", "message"),
    [
        pytest.param(Pause(D(2026, 3, 31)), [], "requested_on", "受付日", id="before-receipt"),
        pytest.param(Pause(D(2026, 4, 21)), [], "requested_on", "未来", id="requested-in-future"),
        pytest.param(
            Pause(D(2026, 4, 5), D(2026, 4, 4)),
            [],
            "completed_on",
            "補正の完了日が補正を求めた日より前です。",
            id="completed-before-requested",
        ),
        pytest.param(
            Pause(D(2026, 4, 5), D(2026, 4, 21)), [], "completed_on", "未来", id="completed-in-future"
        ),
        pytest.param(
            Pause(D(2026, 4, 8), D(2026, 4, 12)),
            [Pause(D(2026, 4, 5), D(2026, 4, 9))],
            "requested_on",
            "重なって",
            id="overlap",
        ),
        pytest.param(
            Pause(D(2026, 4, 8)),
            [Pause(D(2026, 4, 5), D(2026, 4, 9))],
            "requested_on",
            "重なって",
            id="open-overlaps-closed",
        ),
        pytest.param(
            Pause(D(2026, 4, 12)), [Pause(D(2026, 4, 5))], "completed_on", "完了していない補正", id="two-open"
        ),
        pytest.param(
            Pause(D(2026, 4, 2), D(2026, 4, 7)),
            [Pause(D(2026, 4, 5))],
            "requested_on",
            "重なって",
            id="closed-overlaps-open",
        ),
    ],
)
def test_validate_pause_refuses(pause, existing, field, message) -> None:
    with pytest.raises(DeadlineError) as caught:
        validate_pause(pause, received_on=D(2026, 4, 1), existing=existing, today=D(2026, 4, 20))
    assert caught.value.field == field
    assert message in str(caught.value)


def test_validate_pause_accepts_a_period_starting_the_day_the_previous_one_ended() -> None:
    validate_pause(
        Pause(D(2026, 4, 9), D(2026, 4, 12)),
        received_on=D(2026, 4, 1),
        existing=[Pause(D(2026, 4, 5), D(2026, 4, 9))],
        today=D(2026, 4, 20),
    )


def test_validate_pause_accepts_a_closed_period_before_an_open_one() -> None:
    validate_pause(
        Pause(D(2026, 4, 2), D(2026, 4, 4)),
        received_on=D(2026, 4, 1),
        existing=[Pause(D(2026, 4, 5))],
        today=D(2026, 4, 20),
    )


# --- extensions -----------------------------------------------------------------------------------


def test_extension_of_15_days_adds_15() -> None:
    result = deadline(D(2026, 4, 1), extensions=[grant(15, D(2026, 4, 10))])
    assert result.base_due_on == D(2026, 4, 16)
    assert result.due_on == D(2026, 5, 1)
    assert result.extension_days == 15


def test_appi_extension_of_30_days_warns_on_sunday() -> None:
    result = deadline(D(2026, 4, 1), APPI["base"], extensions=[grant(30, D(2026, 4, 20))])
    assert result.due_on == D(2026, 5, 31)
    assert result.closed_reason == "日曜日"
    assert result.last_open_day_before == D(2026, 5, 29)


def test_second_extension_beyond_the_total_is_refused_with_what_is_left() -> None:
    first = grant(10, D(2026, 4, 10))
    current = deadline(D(2026, 4, 1), extensions=[first])
    with pytest.raises(DeadlineError) as caught:
        validate_extension(
            grant(6, D(2026, 4, 20)),
            current=current,
            granted=[first],
            max_days=15,
            received_on=D(2026, 4, 1),
            kind="disclosure",
        )
    assert caught.value.field == "days"
    assert "延長できる日数は合計15日までです（残り5日）。" in str(caught.value)
    assert "第24条第2項" in str(caught.value)


def test_second_extension_within_the_total_is_accepted() -> None:
    first = grant(10, D(2026, 4, 10))
    current = deadline(D(2026, 4, 1), extensions=[first])
    validate_extension(
        grant(5, D(2026, 4, 26)), current=current, granted=[first], max_days=15, received_on=D(2026, 4, 1)
    )


def test_extension_notified_after_the_deadline_is_refused() -> None:
    current = deadline(D(2026, 4, 1))
    with pytest.raises(DeadlineError) as caught:
        validate_extension(
            grant(15, D(2026, 4, 17)), current=current, granted=[], max_days=15, received_on=D(2026, 4, 1)
        )
    assert caught.value.field == "notified_on"
    assert "期限を過ぎてからの延長はできません" in str(caught.value)


def test_extension_notified_on_the_last_day_is_accepted() -> None:
    current = deadline(D(2026, 4, 1))
    validate_extension(
        grant(15, D(2026, 4, 16)), current=current, granted=[], max_days=15, received_on=D(2026, 4, 1)
    )


def test_extension_notified_before_receipt_is_refused() -> None:
    with pytest.raises(DeadlineError) as caught:
        validate_extension(
            grant(5, D(2026, 3, 31)),
            current=deadline(D(2026, 4, 1)),
            granted=[],
            max_days=15,
            received_on=D(2026, 4, 1),
        )
    assert caught.value.field == "notified_on"


@pytest.mark.parametrize("days", [0, -3])
def test_extension_of_less_than_one_day_is_refused(days) -> None:
    with pytest.raises(DeadlineError) as caught:
        validate_extension(
            grant(days, D(2026, 4, 2)),
            current=deadline(D(2026, 4, 1)),
            granted=[],
            max_days=15,
            received_on=D(2026, 4, 1),
        )
    assert caught.value.field == "days"


@pytest.mark.parametrize("reason", ["", "  　 "])
def test_extension_without_a_reason_is_refused(reason) -> None:
    with pytest.raises(DeadlineError) as caught:
        validate_extension(
            grant(5, D(2026, 4, 2), reason),
            current=deadline(D(2026, 4, 1)),
            granted=[],
            max_days=15,
            received_on=D(2026, 4, 1),
        )
    assert caught.value.field == "reason"


def test_correction_extension_names_article_34() -> None:
    with pytest.raises(DeadlineError, match="第34条第2項"):
        validate_extension(
            grant(31, D(2026, 4, 2)),
            current=deadline(D(2026, 4, 1), 30),
            granted=[],
            max_days=30,
            received_on=D(2026, 4, 1),
            kind="correction",
        )


def test_extension_after_amendment_counts_from_the_moved_deadline() -> None:
    pauses = [Pause(D(2026, 4, 5), D(2026, 4, 9))]
    current = deadline(D(2026, 4, 1), pauses=pauses)
    assert current.due_on == D(2026, 4, 20)
    # 4/18 is after the 15 days but before the deadline as moved by the 補正.
    validate_extension(
        grant(15, D(2026, 4, 18)), current=current, granted=[], max_days=15, received_on=D(2026, 4, 1)
    )
    assert deadline(D(2026, 4, 1), pauses=pauses, extensions=[grant(15, D(2026, 4, 18))]).due_on == D(
        2026, 5, 5
    )


# --- special extension (第25条 / APPI art. 84) ----------------------------------------------------


def test_special_extension_yamanashi_notice_in_15_days_substantial_part_in_30() -> None:
    notice, substantial = special_extension_deadlines(
        received_on=D(2026, 4, 1), notice_days=15, substantial_days=30, calendar=CAL, today=D(2026, 4, 2)
    )
    assert notice.due_on == D(2026, 4, 16)
    assert substantial.due_on == D(2026, 5, 1)
    assert not notice.falls_on_closed_day and not substantial.falls_on_closed_day


def test_special_extension_appi_notice_in_30_days_substantial_part_in_60_with_warning() -> None:
    notice, substantial = special_extension_deadlines(
        received_on=D(2026, 4, 1), notice_days=30, substantial_days=60, calendar=CAL, today=D(2026, 4, 2)
    )
    assert notice.due_on == D(2026, 5, 1)
    assert substantial.due_on == D(2026, 5, 31)
    assert substantial.closed_reason == "日曜日"
    assert substantial.last_open_day_before == D(2026, 5, 29)


def test_special_extension_deadlines_add_amendment_days() -> None:
    notice, substantial = special_extension_deadlines(
        received_on=D(2026, 4, 1),
        notice_days=15,
        substantial_days=30,
        pauses=[Pause(D(2026, 4, 5), D(2026, 4, 9))],
        calendar=CAL,
        today=D(2026, 4, 20),
    )
    assert (notice.due_on, substantial.due_on) == (D(2026, 4, 20), D(2026, 5, 5))
    assert notice.pause_days == substantial.pause_days == 4


# --- deadlines the requester must meet ----------------------------------------------------------


def test_90_day_window_ending_on_sunday_moves_to_monday() -> None:
    assert count_days(D(2026, 1, 5), 90) == D(2026, 4, 5)  # a Sunday
    assert requester_deadline(D(2026, 1, 5), 90, calendar=CAL) == D(2026, 4, 6)


def test_90_day_window_ending_on_december_30_moves_to_january_4() -> None:
    assert count_days(D(2026, 10, 1), 90) == D(2026, 12, 30)
    assert requester_deadline(D(2026, 10, 1), 90, calendar=CAL) == D(2027, 1, 4)


def test_requester_deadline_across_silver_week_moves_past_all_of_it() -> None:
    assert requester_deadline(D(2026, 9, 4), 15, calendar=CAL) == D(2026, 9, 24)  # 9/19 Sat – 9/23 秋分の日


@pytest.mark.parametrize(
    ("received_on", "inside"),
    [
        (D(2026, 10, 1), True),  # the day of the disclosure
        (D(2026, 12, 30), True),
        (D(2027, 1, 4), True),  # the moved last day
        (D(2027, 1, 5), False),
        (D(2026, 9, 30), False),  # before the disclosure
    ],
)
def test_correction_request_window_is_90_days_from_the_disclosure(received_on, inside) -> None:
    assert (
        within_request_window(
            disclosed_on=D(2026, 10, 1), received_on=received_on, window_days=90, calendar=CAL
        )
        is inside
    )


def test_method_choice_30_days_from_the_notice() -> None:
    # 第27条3: decided and notified 2026-04-01 → 5/1 (a Friday) is the last day.
    assert requester_deadline(D(2026, 4, 1), 30, calendar=CAL) == D(2026, 5, 1)


def test_third_party_objection_leaves_two_full_weeks_before_disclosure() -> None:
    assert earliest_disclosure_after_objection(D(2026, 4, 1), 14) == D(2026, 4, 16)
    assert earliest_disclosure_after_objection(D(2026, 12, 25), 14) == D(2027, 1, 9)


# --- properties ------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))
library_days = st.frozensets(dates, max_size=20)


@st.composite
def pause_lists(draw, received_on: D) -> tuple[list[Pause], D]:
    """Non-overlapping 補正 periods after ``received_on`` (the last may be open) and a ``today`` after them."""
    pauses: list[Pause] = []
    cursor = received_on
    for _ in range(draw(st.integers(0, 3))):
        start = cursor + dt.timedelta(days=draw(st.integers(0, 20)))
        end = start + dt.timedelta(days=draw(st.integers(0, 20)))
        pauses.append(Pause(start, end))
        cursor = end
    if draw(st.booleans()):
        cursor += dt.timedelta(days=draw(st.integers(0, 10)))
        pauses.append(Pause(cursor))
    today = cursor + dt.timedelta(days=draw(st.integers(0, 30)))
    return pauses, today


@given(
    received_on=dates,
    base=st.integers(1, 90),
    extension_days=st.lists(st.integers(1, 15), max_size=3),
    data=st.data(),
)
def test_due_minus_receipt_is_base_plus_pauses_plus_extensions(
    received_on, base, extension_days, data
) -> None:
    pauses, today = data.draw(pause_lists(received_on))
    extensions = [grant(days, received_on) for days in extension_days]
    result = decision_deadline(
        received_on=received_on,
        base_days=base,
        pauses=pauses,
        extensions=extensions,
        calendar=CAL,
        today=today,
    )
    assert (result.due_on - received_on).days == base + result.pause_days + sum(extension_days)
    assert result.extension_days == sum(extension_days)
    assert result.pause_days == pause_days(pauses, today=today) >= 0
    assert result.paused is any(p.completed_on is None for p in pauses)
    assert result.due_on - result.base_due_on == dt.timedelta(days=sum(extension_days))


@given(received_on=dates, base=st.integers(1, 90), closed=library_days)
def test_decision_deadline_is_never_moved_by_closed_days(received_on, base, closed) -> None:
    today = received_on
    plain = deadline(received_on, base, today=today)
    calendar = Calendar(library_closed=closed | {plain.due_on})
    with_closed = deadline(received_on, base, calendar=calendar, today=today)
    assert plain.due_on == with_closed.due_on == count_days(received_on, base)
    assert with_closed.falls_on_closed_day
    assert with_closed.last_open_day_before is not None
    assert with_closed.last_open_day_before < with_closed.due_on
    assert not calendar.is_closed(with_closed.last_open_day_before)


@given(received_on=dates, base=st.integers(1, 90))
def test_closed_day_warning_matches_the_calendar(received_on, base) -> None:
    result = deadline(received_on, base)
    assert result.falls_on_closed_day is CAL.is_closed(result.due_on)
    assert (result.last_open_day_before is None) is (not result.falls_on_closed_day)


@given(start=dates, days=st.integers(0, 120))
def test_requester_deadline_is_open_not_before_raw_and_within_ten_days(start, days) -> None:
    raw = count_days(start, days)
    due = requester_deadline(start, days, calendar=CAL)
    assert not CAL.is_closed(due)
    assert raw <= due < raw + dt.timedelta(days=10)
    # Every day between the raw date and the moved one is closed.
    assert all(CAL.is_closed(raw + dt.timedelta(days=i)) for i in range((due - raw).days))


@given(day=dates, closed=library_days)
def test_next_open_day_is_open_and_idempotent(day, closed) -> None:
    calendar = Calendar(library_closed=closed)
    first = calendar.next_open_day(day)
    assert first >= day
    assert not calendar.is_closed(first)
    assert calendar.next_open_day(first) == first


@given(day=dates, closed=library_days)
def test_last_open_day_before_is_open_and_earlier(day, closed) -> None:
    calendar = Calendar(library_closed=closed)
    before = calendar.last_open_day_before(day)
    assert before < day
    assert not calendar.is_closed(before)
    assert all(calendar.is_closed(before + dt.timedelta(days=i)) for i in range(1, (day - before).days))


@given(received_on=dates, base=st.integers(1, 90), data=st.data())
def test_adding_an_amendment_never_makes_the_deadline_earlier(received_on, base, data) -> None:
    pauses, today = data.draw(pause_lists(received_on))
    requested = data.draw(st.dates(min_value=received_on, max_value=today))
    completed = data.draw(st.one_of(st.none(), st.dates(min_value=requested, max_value=today)))
    extra = Pause(requested, completed)
    try:
        validate_pause(extra, received_on=received_on, existing=pauses, today=today)
    except DeadlineError:
        assume(False)
    before = deadline(received_on, base, pauses=pauses, today=today)
    after = deadline(received_on, base, pauses=[*pauses, extra], today=today)
    assert after.due_on >= before.due_on


@given(received_on=dates, base=st.integers(1, 90), data=st.data())
def test_generated_amendment_periods_pass_validation(received_on, base, data) -> None:
    pauses, today = data.draw(pause_lists(received_on))
    for i, pause in enumerate(pauses):
        validate_pause(pause, received_on=received_on, existing=pauses[:i] + pauses[i + 1 :], today=today)


def _apply_extensions(received_on: D, base: int, splits: list[int], max_days: int) -> list[ExtensionGrant]:
    granted: list[ExtensionGrant] = []
    for days in splits:
        current = deadline(received_on, base, extensions=granted, today=received_on)
        new = grant(days, current.due_on)  # notified on the last day in force: still in time
        validate_extension(new, current=current, granted=granted, max_days=max_days, received_on=received_on)
        granted.append(new)
    return granted


@given(received_on=dates, max_days=st.sampled_from([15, 30]), data=st.data())
def test_validate_extension_accepts_any_split_within_the_maximum(received_on, max_days, data) -> None:
    splits = data.draw(
        st.lists(st.integers(1, max_days), min_size=1, max_size=5).filter(lambda s: sum(s) <= max_days)
    )
    granted = _apply_extensions(received_on, max_days, splits, max_days)
    assert deadline(received_on, max_days, extensions=granted).extension_days == sum(splits)


@settings(max_examples=200)
@given(received_on=dates, max_days=st.sampled_from([15, 30]), data=st.data())
def test_validate_extension_rejects_any_split_exceeding_the_maximum(received_on, max_days, data) -> None:
    splits = data.draw(
        st.lists(st.integers(1, 40), min_size=1, max_size=5).filter(lambda s: sum(s) > max_days)
    )
    allowed = 0
    while sum(splits[: allowed + 1]) <= max_days:
        allowed += 1
    granted = _apply_extensions(received_on, max_days, splits[:allowed], max_days)
    current = deadline(received_on, max_days, extensions=granted, today=received_on)
    with pytest.raises(DeadlineError) as caught:
        validate_extension(
            grant(splits[allowed], received_on),
            current=current,
            granted=granted,
            max_days=max_days,
            received_on=received_on,
        )
    assert caught.value.field == "days"
    assert f"残り{max_days - sum(splits[:allowed])}日" in str(caught.value)
