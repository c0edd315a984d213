"""Who reaches requests, and what the dashboard gathers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from disclosure_requests import complaints, selectors, services
from disclosure_requests.models import Channel, ClosedDay, Outcome, RequestStatus
from privacy_admin.audit.models import AuditEvent

from .request_helpers import TODAY, d, receive, today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_privacy_officers_and_administrators_reach_every_request(persona, privacy_officer) -> None:
    pr = receive(privacy_officer)

    assert list(selectors.requests_visible_to(persona)) == [pr]
    assert selectors.get_request_for(persona, pr.pk) == pr


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_everyone_else_reaches_none_and_gets_404(persona, privacy_officer) -> None:
    pr = receive(privacy_officer)

    assert not selectors.requests_visible_to(persona).exists()
    with pytest.raises(Http404):
        selectors.get_request_for(persona, pr.pk)
    assert selectors.open_request_rows(persona, today=TODAY) == []


def test_the_system_without_a_user_reaches_none(privacy_officer) -> None:
    receive(privacy_officer)

    assert not selectors.requests_visible_to(None).exists()


@pytest.mark.parametrize("pk", ["abc", -1, 0, 2**64, None, "1; DROP TABLE"])
def test_malformed_ids_are_404(privacy_officer, pk: Any) -> None:
    with pytest.raises(Http404):
        selectors.get_request_for(privacy_officer, pk)


def test_a_step_of_another_request_is_404(privacy_officer) -> None:
    pr = receive(privacy_officer)
    other = receive(privacy_officer)
    amendment = services.amendment_request(
        actor=privacy_officer, request=other, requested_on=d(6, 2), what_to_fix="x"
    )
    consultation = services.consultation_send(
        actor=privacy_officer,
        request=other,
        third_party_name="第三",
        third_party_address="",
        information_concerned="x",
        sent_on=d(6, 2),
    )

    with pytest.raises(Http404):
        selectors.get_amendment_for(privacy_officer, pr, amendment.pk)
    with pytest.raises(Http404):
        selectors.get_consultation_for(privacy_officer, pr, consultation.pk)
    assert selectors.get_amendment_for(privacy_officer, other, amendment.pk) == amendment


def test_the_dashboard_sorts_open_requests_and_groups_them(privacy_officer) -> None:
    overdue = receive(privacy_officer, received_on=d(5, 25))  # due 9 June
    soon = receive(privacy_officer, received_on=d(6, 2))  # due 17 June
    week_end = receive(privacy_officer, received_on=d(6, 6))  # due Sunday 21 June
    later = receive(privacy_officer, received_on=d(6, 10))  # due 25 June
    paused = receive(privacy_officer, received_on=d(6, 3))
    services.amendment_request(actor=privacy_officer, request=paused, requested_on=d(6, 5), what_to_fix="x")
    decided = receive(privacy_officer, received_on=d(5, 20))
    services.request_decide(actor=privacy_officer, request=decided, outcome=Outcome.FULL, decided_on=d(6, 1))
    consulting = receive(privacy_officer, received_on=d(6, 12))
    services.consultation_send(
        actor=privacy_officer,
        request=consulting,
        third_party_name="第三",
        third_party_address="",
        information_concerned="x",
        sent_on=d(6, 12),
    )

    board = selectors.dashboard(privacy_officer, today=TODAY)

    assert [r.request for r in board.open_rows] == [overdue, soon, week_end, later, consulting, paused]
    assert [r.request for r in board.overdue] == [overdue]
    assert board.overdue[0].days_overdue == 6
    assert [r.request for r in board.due_this_week] == [soon, week_end]
    assert board.week_end == d(6, 21)
    assert [r.request for r in board.waiting_on_requester] == [paused]
    # Three open days ahead is Thursday 18 June; a deadline on Sunday 21 June is acted on by Friday 19 June.
    assert [r.request for r in board.due_soon] == [overdue, soon]
    assert board.soon_until == d(6, 18)
    assert [pr for pr, _c in board.awaiting_opinion] == [consulting]
    assert board.awaiting_disclosure == [(decided, d(7, 1))]


def test_refusals_and_closed_requests_are_not_awaiting_anything(privacy_officer) -> None:
    refused = receive(privacy_officer)
    services.request_decide(
        actor=privacy_officer,
        request=refused,
        outcome=Outcome.NOT_HELD,
        decided_on=d(6, 5),
        reason_text="保有していない",
    )
    correction = receive(privacy_officer, kind="correction", disclosed_on=d(5, 20), correction_content="x")
    services.request_decide(
        actor=privacy_officer, request=correction, outcome=Outcome.CORRECT, decided_on=d(6, 5)
    )

    board = selectors.dashboard(privacy_officer, today=TODAY)

    assert board.awaiting_disclosure == [(correction, None)]


def test_the_calendar_runs_sunday_first_and_marks_closed_days_and_deadlines(privacy_officer) -> None:
    ClosedDay.objects.create(date=d(6, 24), reason="館内整理日")
    pr = receive(privacy_officer, received_on=d(6, 5))  # due Saturday 20 June
    amending = receive(privacy_officer, received_on=d(6, 8))
    services.amendment_request(
        actor=privacy_officer, request=amending, requested_on=d(6, 10), what_to_fix="x"
    )

    board = selectors.dashboard(privacy_officer, today=TODAY)

    days = {c.day: c for week in board.weeks for c in week}
    assert board.weeks[0][0].day == d(5, 31) and board.weeks[0][0].day.weekday() == 6
    assert not days[d(5, 31)].in_month and days[d(6, 1)].in_month
    assert days[TODAY].is_today
    assert days[d(6, 20)].closed_reason == "土曜日" and days[d(6, 24)].closed_reason == "休館日"
    assert [(i.request, i.label) for i in days[d(6, 20)].items] == [(pr, "決定期限")]
    # The requester's reply (6/10 + 14 days) falls on the closed 24 June and moves to the next open day.
    assert days[d(6, 24)].items == []
    assert [(i.request, i.label, i.major) for i in days[d(6, 25)].items] == [
        (amending, "補正の回答期限", False)
    ]


def test_the_calendar_moves_by_month_across_the_year(privacy_officer) -> None:
    board = selectors.dashboard(privacy_officer, today=TODAY, month=dt.date(2026, 12, 15))

    assert board.month == d(12, 1)
    assert board.prev_month == d(11, 1) and board.next_month == dt.date(2027, 1, 1)
    days = {c.day: c for week in board.weeks for c in week}
    assert days[d(12, 29)].closed_reason == "年末年始"


def test_the_list_filters_and_the_years_offered(privacy_officer) -> None:
    a = receive(privacy_officer)
    b = receive(privacy_officer, kind="suspension", disclosed_on=d(5, 20), suspension_kind="erase")
    c = receive(privacy_officer, received_on=dt.date(2025, 12, 1))
    services.request_withdraw(actor=privacy_officer, request=c, on=dt.date(2025, 12, 1))

    assert selectors.request_years(privacy_officer) == [2026, 2025]
    assert list(selectors.requests_filtered(privacy_officer)) == [b, a, c]
    assert list(selectors.requests_filtered(privacy_officer, kind="suspension")) == [b]
    assert list(selectors.requests_filtered(privacy_officer, status="open")) == [b, a]
    assert list(selectors.requests_filtered(privacy_officer, status=RequestStatus.WITHDRAWN)) == [c]
    assert list(selectors.requests_filtered(privacy_officer, year=2025)) == [c]


# --- the detail page -----------------------------------------------------------------------------------


def test_the_detail_gathers_the_request_its_course_and_its_deadline(privacy_officer) -> None:
    pr = receive(privacy_officer, received_on=d(6, 1))
    services.request_withdraw(actor=privacy_officer, request=pr, on=d(6, 5))

    detail = selectors.request_detail_for(privacy_officer, pr.pk)

    assert detail.request == pr and detail.today == TODAY
    assert not detail.is_open and not detail.overdue and detail.missing_items == []
    assert [(e.day, e.title) for e in detail.timeline] == [(d(6, 1), "開示請求の受付"), (d(6, 5), "取下げ")]
    assert [row.label for row in detail.history] == ["取下げ（令和8年6月5日）", "受付"]
    assert not detail.steps.any
    assert detail.execution is None and detail.correction_execution is None
    assert detail.identity_document_label != "drivers_license"


def test_an_open_request_shows_its_deadline_and_the_special_extension_dates(privacy_officer) -> None:
    pr = receive(privacy_officer, received_on=d(6, 1), requester_address="")

    detail = selectors.request_detail_for(privacy_officer, pr)

    assert detail.is_open and detail.steps.decide
    assert detail.deadline.due_on == pr.due_on and detail.days_left == (pr.due_on - TODAY).days
    assert detail.special_notice_due is not None and detail.special_substantial_due is not None
    assert detail.missing_items == ["請求者の住所又は居所（山梨県 要綱第18条第1項第1号）"]


def test_reading_the_detail_writes_one_view_event_naming_the_request_only(privacy_officer) -> None:
    pr = receive(privacy_officer)
    before = AuditEvent.objects.count()

    selectors.request_detail_for(privacy_officer, pr, what="step_decide")

    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="privacy_request.view")
    assert (event.target_id, event.patron_id, event.detail) == (str(pr.pk), None, {"view": "step_decide"})


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_the_detail_is_404_for_everyone_else_and_nothing_is_logged_as_seen(persona, privacy_officer) -> None:
    pr = receive(privacy_officer)

    for ask in (pr, pr.pk):
        with pytest.raises(Http404):
            selectors.request_detail_for(persona, ask)
    assert not AuditEvent.objects.filter(action="privacy_request.view").exists()


def test_the_detail_reads_a_fixed_number_of_queries(privacy_officer, django_assert_max_num_queries) -> None:
    pr = receive(privacy_officer)
    for day in (2, 3, 4):
        amendment = services.amendment_request(
            actor=privacy_officer, request=pr, requested_on=d(6, day), what_to_fix="x"
        )
        services.amendment_complete(actor=privacy_officer, amendment=amendment, completed_on=d(6, day))

    with django_assert_max_num_queries(20):
        selectors.request_detail_for(privacy_officer, pr.pk)


# --- complaints (要綱 第45条) ----------------------------------------------------------------------


def _complaint(actor: Any, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "received_on": TODAY - dt.timedelta(days=3),
        "channel": Channel.COUNTER,
        "complainant_name": "苦情 申出子",
        "contact": "",
        "summary": "督促のはがきが心配です。",
    }
    return complaints.complaint_receive(actor=actor, **(values | kwargs))


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_privacy_officers_and_administrators_reach_complaints(persona, privacy_officer) -> None:
    complaint = _complaint(privacy_officer)

    assert selectors.get_complaint_for(persona, complaint.pk) == complaint
    assert list(selectors.complaints_listed(persona)) == [complaint]
    assert selectors.complaints_open_count(persona) == 1


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_everyone_else_gets_404_for_a_complaint_and_an_empty_list(persona, privacy_officer) -> None:
    complaint = _complaint(privacy_officer)
    pr = receive(privacy_officer)

    with pytest.raises(Http404):
        selectors.get_complaint_for(persona, complaint.pk)
    assert not selectors.complaints_listed(persona).exists()
    assert selectors.complaints_open_count(persona) == 0
    assert selectors.request_by_number_for(persona, pr.number) is None


@pytest.mark.parametrize("pk", ["abc", -1, 0, 2**64, None, 999_999])
def test_malformed_or_unknown_complaint_ids_are_404(privacy_officer, pk: Any) -> None:
    with pytest.raises(Http404):
        selectors.get_complaint_for(privacy_officer, pk)


def test_getting_a_complaint_writes_no_event_the_detail_page_does(privacy_officer) -> None:
    complaint = _complaint(privacy_officer)
    before = AuditEvent.objects.count()

    selectors.get_complaint_for(privacy_officer, complaint.pk)

    assert AuditEvent.objects.count() == before


def test_the_complaint_list_puts_open_first_and_filters(privacy_officer) -> None:
    closed = _complaint(privacy_officer, received_on=TODAY - dt.timedelta(days=1))
    complaints.complaint_answer(
        actor=privacy_officer, complaint=closed, answer="回答", answered_on=TODAY - dt.timedelta(days=1)
    )
    open_one = _complaint(privacy_officer, received_on=TODAY - dt.timedelta(days=5))

    assert list(selectors.complaints_listed(privacy_officer)) == [open_one, closed]
    assert list(selectors.complaints_listed(privacy_officer, status="answered")) == [closed]
    assert not selectors.complaints_listed(
        privacy_officer, fiscal_year_range=(dt.date(2000, 4, 1), dt.date(2001, 3, 31))
    ).exists()


def test_a_request_is_found_by_its_number(privacy_officer) -> None:
    pr = receive(privacy_officer)

    assert selectors.request_by_number_for(privacy_officer, pr.number) == pr
    assert selectors.request_by_number_for(privacy_officer, "R99-開示-9999") is None


@pytest.mark.parametrize("day", range(15, 22))  # Monday 15 June … Sunday 21 June 2026
def test_this_week_runs_monday_to_sunday_whatever_the_weekday(privacy_officer, day) -> None:
    on = d(6, day)
    assert selectors.week_of(on) == (d(6, 15), d(6, 21))
    due_monday = receive(privacy_officer, received_on=d(5, 31))  # due Monday 15 June
    due_sunday = receive(privacy_officer, received_on=d(6, 6))  # due Sunday 21 June
    due_next_monday = receive(privacy_officer, received_on=d(6, 7))  # due Monday 22 June

    board = selectors.dashboard(privacy_officer, today=on)

    assert (board.week_start, board.week_end) == (d(6, 15), d(6, 21))
    assert due_next_monday not in [r.request for r in board.due_this_week]
    assert due_sunday in [r.request for r in board.due_this_week]
    # A deadline earlier in the week that has passed is overdue, not "due this week".
    assert (due_monday in [r.request for r in board.due_this_week]) == (on == d(6, 15))
