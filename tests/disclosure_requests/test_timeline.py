"""The detail page's course of a request: timeline, history rows, next steps, blank items (pure functions)."""

from __future__ import annotations

from typing import Any

import pytest

from disclosure_requests import selectors, services, timeline
from disclosure_requests.models import (
    CorrectionExecution,
    DisclosureExecution,
    Outcome,
    PrivacyRequest,
    WithholdingReason,
)

from .request_helpers import d, receive, today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def loaded(pr: PrivacyRequest) -> PrivacyRequest:
    return selectors.request_with_steps(pr)


def events_of(pr: PrivacyRequest) -> list[timeline.Event]:
    pr = loaded(pr)
    return timeline.timeline_events(
        pr,
        execution=DisclosureExecution.objects.filter(request=pr).first(),
        correction=CorrectionExecution.objects.filter(request=pr).first(),
    )


def history_of(pr: PrivacyRequest) -> list[timeline.HistoryRow]:
    return timeline.history_rows(
        pr.history.select_related("history_user").order_by("history_date", "history_id")
    )


def test_every_step_is_on_the_timeline_in_date_order(privacy_officer: Any) -> None:
    pr = receive(privacy_officer, received_on=d(6, 1))
    amendment = services.amendment_request(
        actor=privacy_officer, request=pr, requested_on=d(6, 2), what_to_fix="住所の記載"
    )
    services.amendment_complete(actor=privacy_officer, amendment=amendment, completed_on=d(6, 5))
    services.consultation_send(
        actor=privacy_officer,
        request=pr,
        third_party_name="第三 太郎",
        third_party_address="",
        information_concerned="貸出記録",
        sent_on=d(6, 8),
    )
    services.request_decide(
        actor=privacy_officer,
        request=pr,
        outcome=Outcome.PARTIAL,
        decided_on=d(6, 12),
        reasons=[WithholdingReason.THIRD_PERSON],
        reason_text="第三者の情報を含むため。",
    )

    events = events_of(pr)

    assert [(e.day, e.title, e.tone) for e in events] == [
        (d(6, 1), "開示請求の受付", ""),
        (d(6, 2), "補正の依頼（期限停止）", "stop"),
        (d(6, 5), "補正の完了", "done"),
        (d(6, 8), "第三者への意見照会", ""),
        (d(6, 12), "決定: 部分開示", "done"),
    ]
    assert events[2].lines == ["期間に算入しない日数: 3日"]
    assert events[4].lines == [str(WithholdingReason.THIRD_PERSON.label)]


def test_a_disclosure_carried_out_shows_its_method_and_fee(privacy_officer: Any) -> None:
    pr = receive(privacy_officer, received_on=d(6, 1))
    services.request_decide(actor=privacy_officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 10))
    services.disclosure_carry_out(
        actor=privacy_officer,
        request=pr,
        method=DisclosureExecution.Method.COPY,
        method_requested_on=d(6, 11),
        carried_out_on=d(6, 12),
        fee_yen=1200,
        fee_basis="写し12枚",
    )

    last = events_of(pr)[-1]

    assert (last.day, last.title, last.lines) == (
        d(6, 12),
        "開示の実施（写しの交付（窓口））",
        ["費用: 1,200円"],
    )


def test_a_withdrawal_is_on_the_timeline_from_the_requests_field(privacy_officer: Any) -> None:
    pr = receive(privacy_officer, received_on=d(6, 1))
    services.request_withdraw(actor=privacy_officer, request=pr, on=d(6, 5))

    assert [(e.day, e.title) for e in events_of(pr)][-1] == (d(6, 5), "取下げ")
    # The history row names the step and the day, read from the version's field.
    assert history_of(pr)[0].label == "取下げ（令和8年6月5日）"


def test_a_suspension_carried_out_is_on_the_timeline_and_in_the_history(privacy_officer: Any) -> None:
    pr = receive(privacy_officer, kind="suspension", disclosed_on=d(5, 20), suspension_kind="erase")
    services.request_decide(actor=privacy_officer, request=pr, outcome=Outcome.SUSPEND, decided_on=d(6, 10))
    services.suspension_carry_out(actor=privacy_officer, request=pr, carried_out_on=d(6, 12))

    assert [(e.day, e.title, e.tone) for e in events_of(pr)][-1] == (d(6, 12), "利用停止の実施", "done")
    rows = history_of(pr)
    assert [r.label for r in rows] == ["利用停止の実施（令和8年6月12日）", "決定", "受付"]
    assert rows[0].user == privacy_officer.get_username()
    assert "状態" in rows[0].changed and "利用停止の実施日" in rows[0].changed
    assert rows[-1].changed == []


def test_a_history_row_without_a_known_step_is_a_change() -> None:
    class Version:
        history_change_reason = None
        history_type = "~"
        history_date = None
        history_user = None

    (row,) = timeline.history_rows([Version()])

    assert (row.label, row.user, row.changed) == ("変更", "システム", [])


def test_an_open_request_offers_the_steps_before_a_decision(privacy_officer: Any) -> None:
    pr = loaded(receive(privacy_officer))

    steps = timeline.next_steps(pr, executed=False)

    assert steps.any and steps.amend and steps.decide and steps.withdraw and steps.consult
    assert steps.extend and steps.extension_days_left == services.extension_max_days(pr.profile, pr.kind)
    assert not (steps.disclose or steps.correct or steps.suspend)


def test_a_decided_disclosure_offers_its_execution_until_it_is_carried_out(privacy_officer: Any) -> None:
    pr = receive(privacy_officer)
    services.request_decide(actor=privacy_officer, request=pr, outcome=Outcome.FULL, decided_on=d(6, 10))
    pr = loaded(pr)

    assert timeline.next_steps(pr, executed=False).disclose
    assert not timeline.next_steps(pr, executed=True).any


def test_a_withdrawn_request_offers_nothing(privacy_officer: Any) -> None:
    pr = receive(privacy_officer)
    services.request_withdraw(actor=privacy_officer, request=pr, on=d(6, 5))

    assert not timeline.next_steps(loaded(pr), executed=False).any


def test_blank_items_of_the_written_request_are_listed(privacy_officer: Any) -> None:
    complete = receive(privacy_officer)
    blank = receive(
        privacy_officer,
        kind="correction",
        disclosed_on=d(5, 20),
        correction_content="x",
        requester_address="",
    )

    assert timeline.missing_items(complete) == []
    assert timeline.missing_items(blank) == [
        "請求者の住所又は居所（山梨県 要綱第31条第1項第1号）",
        "請求の理由（山梨県 要綱第31条第1項第3号）",
    ]
