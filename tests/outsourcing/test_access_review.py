"""Access review: figures per operator and period from the access log, and the anomaly rules."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction

from outsourcing import access_review as review
from privacy_admin.audit import services as audit_services
from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.roles import Role
from tests.factories import make_staff

from .factories import make_contract, make_operator

pytestmark = pytest.mark.django_db

JST = dt.timezone(dt.timedelta(hours=9))
PERIOD = review.Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))


class Clock:
    """Stands in for ``timezone.now`` inside ``audit_record``; events must be written in time order."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 10, 1, 10, 0, tzinfo=JST)

    def at(self, day: int, hour: int, minute: int = 0) -> Clock:
        self.now = dt.datetime(2026, 10, day, hour, minute, tzinfo=JST)
        return self


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(audit_services, "timezone", SimpleNamespace(now=lambda: clock.now))
    return clock


@pytest.fixture
def contract(pickup_counter: Any) -> Any:
    return make_contract(branches=[pickup_counter])


@pytest.fixture
def operator(contract: Any) -> Any:
    return make_operator(contract, "op-east")


def _view(actor: Any, patron_id: int, **kw: Any) -> None:
    audit_record(standalone=True, actor=actor, action="patron.view", target_type="patron",
                 target_id=patron_id, patron_id=patron_id, **kw)  # fmt: skip


def _handover(actor: Any, patron_id: int, branch_code: str) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="circulation.reservation_lend", target_type="patron",
                     target_id=patron_id, patron_id=patron_id, branch_code=branch_code)  # fmt: skip


def _refusal(actor: Any, action: str = "patron.out_of_scope") -> None:
    audit_record(standalone=True, actor=actor, action=action, target_type="patron", target_id=99,
                 patron_id=99, outcome=Outcome.DENIED)  # fmt: skip


def _one(operator: Any, *, all_staff: bool = False) -> review.Summary:
    ops = [o for o in review.reviewable_operators(all_staff=all_staff) if o.id == operator.pk]
    return review.summarize(ops, PERIOD)[0]


# --- the rules (pure) -----------------------------------------------------------------------------------


def test_viewing_more_than_twice_the_handovers_plus_ten_is_an_anomaly() -> None:
    base: dict[str, Any] = {"handovers": 3, "outside_hours": 0, "refused": 0, "contract_operator": True}
    assert review.anomalies(patrons_viewed=16, **base) == []
    (reason,) = review.anomalies(patrons_viewed=17, **base)
    assert "17人" in reason and "3件" in reason and "16人" in reason


def test_library_staff_are_not_held_to_the_handover_rule() -> None:
    found = review.anomalies(
        patrons_viewed=500, handovers=0, outside_hours=0, refused=0, contract_operator=False
    )
    assert found == []


def test_any_event_outside_opening_hours_is_an_anomaly() -> None:
    base: dict[str, Any] = {"patrons_viewed": 0, "handovers": 0, "refused": 0, "contract_operator": True}
    assert review.anomalies(outside_hours=0, **base) == []
    assert "開館時間（9時〜20時）外" in review.anomalies(outside_hours=1, **base)[0]


def test_three_refused_attempts_are_an_anomaly() -> None:
    base: dict[str, Any] = {
        "patrons_viewed": 0,
        "handovers": 0,
        "outside_hours": 0,
        "contract_operator": True,
    }
    assert review.anomalies(refused=2, **base) == []
    assert "3件" in review.anomalies(refused=3, **base)[0]


def test_the_period_must_be_in_order_and_at_most_a_year() -> None:
    with pytest.raises(Exception, match="終了日が開始日より前"):
        review.parse_period(dt.date(2026, 10, 2), dt.date(2026, 10, 1))
    with pytest.raises(Exception, match="366日以内"):
        review.parse_period(dt.date(2025, 1, 1), dt.date(2026, 1, 2))
    assert review.default_period(dt.date(2026, 11, 21)) == review.Period(
        dt.date(2026, 10, 1), dt.date(2026, 11, 21)
    )


# --- the figures ----------------------------------------------------------------------------------------


def test_patrons_viewed_are_distinct_and_compared_with_handovers_at_their_counter(
    clock, operator, counter_staff, pickup_counter, central
) -> None:
    clock.at(1, 10)
    for patron_id in range(1, 18):  # 17 patrons, one of them twice
        _view(operator, patron_id)
    _view(operator, 1)
    for patron_id in range(100, 103):  # 3 handovers at their counter, by anyone
        _handover(counter_staff, patron_id, pickup_counter.code)
    _handover(counter_staff, 200, central.code)  # another branch: not theirs

    summary = _one(operator)

    assert (summary.events, summary.patrons_viewed, summary.handovers) == (18, 17, 3)
    assert summary.flagged and "受渡し件数（3件）" in summary.anomalies[0]


def test_a_single_hit_search_counts_as_a_patron_viewed(clock, operator) -> None:
    clock.at(2, 11)
    audit_record(standalone=True, actor=operator, action="patron.search", target_type="patron", patron_id=5,
                 detail={"by": "card", "results": 1, "patron_ids": [5]})  # fmt: skip
    audit_record(standalone=True, actor=operator, action="patron.search", target_type="patron",
                 detail={"by": "name", "results": 0, "patron_ids": []})  # fmt: skip
    assert _one(operator).patrons_viewed == 1


def test_events_outside_opening_hours_are_counted_in_local_time(clock, operator) -> None:
    for hour, minute in [(8, 59), (9, 0), (19, 59), (20, 0), (23, 30)]:
        clock.at(5, hour, minute)
        _view(operator, 1)

    summary = _one(operator)

    assert summary.outside_hours == 3
    detail = review.details_for([o for o in review.reviewable_operators() if o.id == operator.pk], PERIOD)[0]
    assert [e.occurred_at.astimezone(JST).hour for e in detail.outside_events] == [23, 20, 8]
    assert getattr(detail.outside_events[0], "action_label") == "利用者情報の閲覧"  # noqa: B009


def test_refused_attempts_include_out_of_scope_and_forbidden_pages(clock, operator) -> None:
    clock.at(6, 10)
    _refusal(operator)
    _refusal(operator, "circulation.out_of_scope")
    audit_record(standalone=True, actor=operator, action="access.denied", target_type="view", target_id="audit:log",
                 outcome=Outcome.DENIED)  # fmt: skip

    summary = _one(operator)

    assert summary.refused == 3 and summary.flagged


def test_failed_sign_ins_are_shown_but_not_judged(clock, operator) -> None:
    clock.at(7, 10)
    for _ in range(4):
        audit_record(standalone=True, actor=None, action="auth.login_failed", target_type="user", target_id=operator.pk,
                     outcome=Outcome.FAILURE)  # fmt: skip
    summary = _one(operator)
    assert summary.sign_in_failures == 4 and not summary.flagged


def test_events_outside_the_period_are_not_counted(clock, operator) -> None:
    clock.now = dt.datetime(2026, 9, 30, 23, 59, tzinfo=JST)
    _view(operator, 1)
    clock.now = dt.datetime(2026, 11, 1, 0, 0, tzinfo=JST)
    _view(operator, 2)
    assert _one(operator).events == 0


def test_the_detail_has_actions_with_japanese_labels_and_a_daily_series(
    clock, operator, pickup_counter
) -> None:
    clock.at(3, 10)
    _view(operator, 1)
    _view(operator, 2)
    clock.at(4, 21)
    _handover(operator, 3, pickup_counter.code)
    _refusal(operator)

    (detail,) = review.details_for(review.reviewable_operators(), PERIOD)

    assert [(a.code, a.label, a.count, a.refused) for a in detail.actions] == [
        ("patron.view", "利用者情報の閲覧", 2, 0),
        ("circulation.reservation_lend", "予約資料の受渡し", 1, 0),
        ("patron.out_of_scope", "範囲外アクセス", 1, 1),
    ]
    assert len(detail.days) == 31
    by_day = {d.day.day: d for d in detail.days if d.events}
    assert (by_day[3].events, by_day[3].viewed, by_day[3].outside) == (2, 2, 0)
    assert (by_day[4].events, by_day[4].outside, by_day[4].refused) == (2, 2, 1)
    chart = detail.chart
    assert chart is not None and not chart.empty
    assert {b.css for b in chart.bars} == {"in-hours", "outside"}
    assert len(chart.line_points.split()) == 31


def test_the_chart_of_an_idle_period_is_empty() -> None:
    chart = review.daily_chart([review.DayRow(d) for d in PERIOD.days])
    assert chart.empty and chart.bars == [] and chart.max_value == 5


def test_only_contractor_operators_are_reviewed_unless_all_staff_is_asked(operator, counter_staff) -> None:
    assert [o.username for o in review.reviewable_operators()] == ["op-east"]
    everyone = {o.username: o for o in review.reviewable_operators(all_staff=True)}
    assert {"op-east", "counter"} <= set(everyone)
    assert everyone["op-east"].contract_number and everyone["op-east"].counter_codes == ("pickup-east",)
    assert everyone["counter"].role == "カウンター職員" and everyone["counter"].counter_codes == ("central",)


def test_the_review_costs_a_fixed_number_of_queries(
    clock, pickup_counter, central, django_assert_max_num_queries
) -> None:
    for n in range(8):
        contract = make_contract(branches=[pickup_counter if n % 2 else central])
        user = make_operator(contract, f"op-{n}")
        clock.at(1 + n, 8 + n)
        for patron_id in range(n * 5):
            _view(user, patron_id)
        _handover(user, 1, pickup_counter.code)
        _refusal(user)
    make_staff("counter-x", Role.COUNTER, central)

    # 4 to find the operators, 9 for the figures, 1 per kind of record the listed events name (patrons)
    with django_assert_max_num_queries(14):
        operators = review.reviewable_operators(all_staff=True)
        details = review.details_for(operators, PERIOD)

    assert len(details) == 9 + 8  # 8 operators, their 8 trainers (privacy officers) and counter-x
    assert sum(d.summary.events for d in details) == sum(n * 5 + 2 for n in range(8))
