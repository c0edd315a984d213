"""outsourcing.oversight: training, business reports, on-site audits, periodic reviews (the reads are in
test_oversight_selectors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from outsourcing import gate, oversight
from outsourcing import oversight_selectors as sel
from outsourcing.models import (
    BusinessReport,
    Clause,
    Contract,
    ContractReview,
    CorrectiveAction,
    Handler,
    OnSiteAudit,
    TrainingSession,
)
from privacy_admin.audit.models import AuditEvent

from .factories import make_contract
from .oversight_helpers import (  # noqa: F401  (fixtures)
    TODAY,
    _today,
    all_checked,
    audit_fixture,
    contract_fixture,
    db_snapshot,
    operator_fixture,
    other_contract_fixture,
    submit_report,
)

pytestmark = pytest.mark.django_db


# --- training -------------------------------------------------------------------------------------------


def test_a_training_is_recorded_with_its_attendees_and_audited(contract, privacy_officer) -> None:
    handler = Handler.objects.create(contract=contract, name="新任 花子")
    assert not gate.handler_trained(handler)

    session = oversight.training_record(
        actor=privacy_officer,
        contract=contract,
        held_on=dt.date(2026, 5, 10),
        provider=TrainingSession.Provider.LIBRARY,
        material="図書館の自由に関する宣言",
        attendees=[handler],
    )

    assert list(session.attendees.all()) == [handler]
    assert gate.handler_trained(handler)
    event = AuditEvent.objects.get(action="oversight.training_record")
    assert event.target_id == str(session.pk)
    assert event.detail == {"contract_id": contract.pk, "attendees": 1, "provider": "library"}
    assert "新任" not in str(event.detail)


def test_an_attendee_from_another_contract_is_refused_and_nothing_is_recorded(
    contract, other_contract, privacy_officer
) -> None:
    stranger = Handler.objects.create(contract=other_contract, name="他契約 太郎")
    before = db_snapshot()

    with pytest.raises(ValidationError) as exc:
        oversight.training_record(
            actor=privacy_officer,
            contract=contract,
            held_on=dt.date(2026, 5, 10),
            provider=TrainingSession.Provider.CONTRACTOR,
            material="個人情報保護研修",
            attendees=[stranger],
        )

    assert "この契約の取扱者だけ" in str(exc.value.message_dict["attendees"])
    assert db_snapshot() == before
    assert not gate.handler_trained(stranger)


def test_a_training_needs_attendees_a_material_and_a_past_date(contract, privacy_officer) -> None:
    with pytest.raises(ValidationError) as exc:
        oversight.training_record(
            actor=privacy_officer,
            contract=contract,
            held_on=TODAY + dt.timedelta(days=1),
            provider="somebody",
            material=" ",
            attendees=[],
        )
    assert set(exc.value.message_dict) == {"held_on", "provider", "material", "attendees"}
    assert not TrainingSession.objects.exists()


# --- business reports -----------------------------------------------------------------------------------


def test_an_operator_submits_a_daily_report(contract, operator) -> None:
    report = submit_report(operator, contract, incidents_noted=True)

    assert (report.kind, report.period_start, report.submitted_by) == (
        "daily",
        dt.date(2026, 6, 15),
        operator,
    )
    event = AuditEvent.objects.get(action="oversight.report_submit")
    assert event.detail == {"contract_id": contract.pk, "kind": "daily", "incidents": True}
    assert "42件" not in str(event.detail)


def test_a_second_report_for_the_same_day_is_refused(contract, operator) -> None:
    submit_report(operator, contract)

    with pytest.raises(ValidationError) as exc:
        submit_report(operator, contract, body="訂正版")

    assert "すでに提出されています" in str(exc.value.message_dict["period_start"])
    assert BusinessReport.objects.get().body == "予約資料の受渡し 42件"


def test_a_monthly_report_is_filed_under_the_first_day_and_once_a_month(contract, operator) -> None:
    report = submit_report(operator, contract, kind="monthly", period_start=dt.date(2026, 5, 20))
    assert report.period_start == dt.date(2026, 5, 1)

    with pytest.raises(ValidationError) as exc:
        submit_report(operator, contract, kind="monthly", period_start=dt.date(2026, 5, 31))
    assert "この月の月報" in str(exc.value.message_dict["period_start"])


def test_an_operator_cannot_submit_for_another_contract(contract, other_contract, operator) -> None:
    with pytest.raises(ValidationError):
        submit_report(operator, other_contract)
    assert not BusinessReport.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "利用者番号 2100000123 の方が来館",
        "連絡先 taro@example.jp",
        "電話 046-223-0033 に連絡",
        "２１０００００１２３",
    ],
)
def test_a_report_that_looks_like_it_names_a_patron_is_refused(contract, operator, body) -> None:
    with pytest.raises(ValidationError) as exc:
        submit_report(operator, contract, body=body)
    assert "個人が分かる情報は書かず" in str(exc.value.message_dict["body"])
    assert not BusinessReport.objects.exists()


def test_counts_and_dates_are_fine_in_a_report(contract, operator) -> None:
    body = "2026-06-15 受渡し 42件、返却 18件、問合せ 3件。10:00-12:00 混雑。"
    assert submit_report(operator, contract, body=body).body == body


def test_a_report_for_the_future_or_outside_the_term_is_refused(contract, operator) -> None:
    with pytest.raises(ValidationError) as exc:
        submit_report(operator, contract, period_start=TODAY + dt.timedelta(days=1))
    assert "未来" in str(exc.value.message_dict["period_start"])
    with pytest.raises(ValidationError) as exc:
        submit_report(operator, contract, period_start=dt.date(2026, 3, 31))
    assert "契約期間の外" in str(exc.value.message_dict["period_start"])


def test_the_library_reviews_a_report_once(contract, operator, privacy_officer) -> None:
    report = submit_report(operator, contract)

    reviewed = oversight.report_review(actor=privacy_officer, report=report, comment="確認しました")

    assert reviewed.reviewed_by == privacy_officer and reviewed.reviewed_at is not None
    assert AuditEvent.objects.filter(action="oversight.report_review", target_id=str(report.pk)).exists()
    with pytest.raises(ValidationError):
        oversight.report_review(actor=privacy_officer, report=report, comment="もう一度")
    report.refresh_from_db()
    assert report.review_comment == "確認しました"


def test_a_report_noting_an_incident_needs_a_review_comment(contract, operator, privacy_officer) -> None:
    report = submit_report(operator, contract, incidents_noted=True)

    with pytest.raises(ValidationError) as exc:
        oversight.report_review(actor=privacy_officer, report=report, comment="")

    assert "comment" in exc.value.message_dict
    report.refresh_from_db()
    assert report.reviewed_at is None


# --- on-site audits and corrective actions --------------------------------------------------------------


def test_an_audit_checks_all_16_clauses(contract, privacy_officer) -> None:
    checklist = all_checked() | {Clause.NO_COPYING.value: "ng", Clause.PUBLICATION.value: "na"}

    audit = oversight.onsite_audit_record(
        actor=privacy_officer, contract=contract, audited_on=dt.date(2026, 6, 10),
        auditor="管理係長", checklist=checklist, findings="端末に利用者一覧のメモが貼られていた",
    )  # fmt: skip

    assert len(audit.checklist) == 16 and audit.checklist[Clause.NO_COPYING.value] == "ng"
    event = AuditEvent.objects.get(action="oversight.audit_record")
    assert event.detail == {"contract_id": contract.pk, "ng": 1}


def test_an_audit_with_a_clause_left_unchecked_is_refused(contract, privacy_officer) -> None:
    checklist = all_checked()
    del checklist[Clause.TRAINING.value]

    with pytest.raises(ValidationError) as exc:
        oversight.onsite_audit_record(
            actor=privacy_officer, contract=contract, audited_on=dt.date(2026, 6, 10),
            auditor="管理係長", checklist=checklist, findings="",
        )  # fmt: skip

    assert "従業員に対する教育" in str(exc.value.message_dict["checklist"])
    assert not OnSiteAudit.objects.exists()


def test_a_nonconformity_needs_findings(contract, privacy_officer) -> None:
    with pytest.raises(ValidationError) as exc:
        oversight.onsite_audit_record(
            actor=privacy_officer, contract=contract, audited_on=dt.date(2026, 6, 10),
            auditor="管理係長", checklist=all_checked("ng"), findings="",
        )  # fmt: skip
    assert "findings" in exc.value.message_dict


def test_a_corrective_action_due_before_the_audit_is_refused(audit, privacy_officer) -> None:
    with pytest.raises(ValidationError) as exc:
        oversight.corrective_action_add(
            actor=privacy_officer, audit=audit, description="メモを撤去", due_on=dt.date(2026, 6, 9)
        )
    assert "監査日より前" in str(exc.value.message_dict["due_on"])
    assert not CorrectiveAction.objects.exists()


def test_an_overdue_corrective_action_is_flagged_until_done(audit, contract, privacy_officer) -> None:
    action = oversight.corrective_action_add(
        actor=privacy_officer, audit=audit, description="メモを撤去", due_on=dt.date(2026, 6, 16)
    )
    overview = {r.contract.pk: r for r in sel.overview_rows(on=TODAY)}
    assert overview[contract.pk].overdue_actions == 1
    assert sel.audits_of(contract, on=TODAY)[0].overdue_actions == 1

    oversight.corrective_action_complete(actor=privacy_officer, action=action, done_on=TODAY)

    overview = {r.contract.pk: r for r in sel.overview_rows(on=TODAY)}
    assert overview[contract.pk].overdue_actions == 0
    event = AuditEvent.objects.get(action="oversight.action_done")
    assert event.detail["late"] is True
    with pytest.raises(ValidationError):
        oversight.corrective_action_complete(actor=privacy_officer, action=action, done_on=TODAY)


def test_a_corrective_action_cannot_be_done_before_the_audit_or_in_the_future(audit, privacy_officer) -> None:
    action = oversight.corrective_action_add(
        actor=privacy_officer, audit=audit, description="メモを撤去", due_on=dt.date(2026, 6, 30)
    )
    for done_on in (dt.date(2026, 6, 9), TODAY + dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            oversight.corrective_action_complete(actor=privacy_officer, action=action, done_on=done_on)
    action.refresh_from_db()
    assert action.done_on is None


# --- periodic review ------------------------------------------------------------------------------------


def test_a_review_moves_the_contracts_review_date(contract, privacy_officer) -> None:
    review = oversight.contract_review_record(
        actor=privacy_officer, contract=contract, reviewed_on=TODAY, outcome="continue",
        note="", next_review_on=dt.date(2027, 6, 30),
    )  # fmt: skip

    contract.refresh_from_db()
    assert contract.review_due_on == dt.date(2027, 6, 30)
    assert review.reviewed_by == privacy_officer
    event = AuditEvent.objects.get(action="oversight.review_record")
    assert event.detail["previous_due_on"] == "2026-09-30" and event.detail["next_review_on"] == "2027-06-30"


def test_a_pre_approved_contract_is_reviewed_too(pickup_counter, privacy_officer) -> None:
    contract = make_contract(
        branches=[pickup_counter], procedure=Contract.Procedure.PRE_APPROVAL,
        pre_approval_category="類型10", pre_approval_confirmed_on=dt.date(2026, 3, 1),
        review_due_on=dt.date(2026, 6, 1),
    )  # fmt: skip
    assert sel.review_state(contract, on=TODAY) == "overdue"

    oversight.contract_review_record(
        actor=privacy_officer, contract=contract, reviewed_on=TODAY, outcome="continue",
        note="類型10に該当することを再確認", next_review_on=dt.date(2027, 6, 1),
    )  # fmt: skip

    contract.refresh_from_db()
    assert sel.review_state(contract, on=TODAY) == "ok"


def test_a_review_with_a_next_date_not_after_it_or_a_change_without_note_is_refused(
    contract, privacy_officer
) -> None:
    with pytest.raises(ValidationError) as exc:
        oversight.contract_review_record(
            actor=privacy_officer, contract=contract, reviewed_on=TODAY, outcome="change",
            note="", next_review_on=TODAY,
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"note", "next_review_on"}
    contract.refresh_from_db()
    assert contract.review_due_on == dt.date(2026, 9, 30)
    assert not ContractReview.objects.exists()
