"""Oversight of contractors: training, business reports, on-site audits, periodic reviews (domain.md §6).

002 (練馬区 審議会): the library 統括 the pickup counter "研修などの実施や事業報告などから指導監督をしていきます";
the contractor hands in "1日ごとの報告書と月次報告書"; approved contracts, 事前一括承認基準 ones too, are
reviewed: "既に承認されていても、どこかで見直しをする必要がある". 004 特記事項 11 (業務に関する報告),
12 (監査: 甲の立入調査等による監査を受ける) and 13 (従業員に対する教育).

Every service is keyword-only, raises ``ValidationError`` keyed by the argument at fault (Japanese) and
writes its access-log event in the same transaction. Events name contracts, reports, audits and handlers
by id only: a report's text, an auditor's name and a handler's name never go into the log.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor, staff_user, user_of
from privacy_admin.core.dates import to_wareki, today
from privacy_admin.core.errors import FieldErrors, refuse
from privacy_admin.core.text import clean_note

from .models import (
    BusinessReport,
    Clause,
    Contract,
    ContractReview,
    CorrectiveAction,
    Handler,
    OnSiteAudit,
    TrainingSession,
)

logger = logging.getLogger(__name__)

CHECK_VALUES = ("ok", "ng", "na")  # 適合 / 不適合 / 該当なし
MAX_TEXT = 2000
MAX_REPORT_BODY = 4000

# A business report says what was done and how many, never who (002: 必要かつ最小限). These catch the
# usual slips — an e-mail address, a telephone number, a card number (a run of 8 or more digits).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\d{2,4}-\d{2,4}-\d{3,4}")
_LONG_NUMBER = re.compile(r"\d{8,}")


def _not_future(errors: FieldErrors, key: str, day: dt.date, *, label: str) -> None:
    if day > today():
        errors.add(key, _("%(label)sに未来の日付は入力できません。") % {"label": label})


def _audit(*, actor: Actor, action: str, target_type: str, target_id: object, detail: dict[str, Any]) -> None:
    audit_record(actor=actor, action=action, target_type=target_type, target_id=target_id, detail=detail)


# --- training (要綱 第9条; 004 特記事項13; 002: 事前に区から教材を渡して1回、事業者で2回) --------------


def training_record(
    *,
    actor: Actor,
    contract: Contract,
    held_on: dt.date,
    provider: str,
    material: str,
    attendees: Iterable[Handler],
) -> TrainingSession:
    """Record a privacy training given to the contract's handlers. Attendance is what lets an operator
    work (``gate.handler_trained``): only handlers of this contract may be named as attendees."""
    errors = FieldErrors()
    _not_future(errors, "held_on", held_on, label=_("実施日"))
    if provider not in TrainingSession.Provider.values:
        errors.add("provider", _("実施者を選んでください。"))
    text = clean_note(errors, "material", material, label=_("教材・内容"), max_length=200, required=True)
    people = list(attendees)
    if not people:
        errors.add("attendees", _("受講者を1人以上選んでください。"))
    elif any(h.contract_id != contract.pk for h in people):
        errors.add("attendees", _("受講者には、この契約の取扱者だけを選べます。"))
    errors.raise_if_any()
    with transaction.atomic():
        session = TrainingSession.objects.create(
            contract=contract,
            held_on=held_on,
            provider=provider,
            material=text,
            recorded_by=staff_user(actor),
        )
        session.attendees.set(people)
        _audit(
            actor=actor,
            action="oversight.training_record",
            target_type="training_session",
            target_id=session.pk,
            detail={"contract_id": contract.pk, "attendees": len(people), "provider": provider},
        )
    return session


# --- business reports (002: 1日ごとの報告書と月次報告書; 004 特記事項11) ---------------------------------


def report_period_start(kind: str, day: dt.date) -> dt.date:
    """A daily report covers its day; a monthly report is filed under the first day of its month."""
    return day.replace(day=1) if kind == BusinessReport.Kind.MONTHLY else day


def looks_personal(text: str) -> bool:
    """True when ``text`` seems to carry a contact detail or a card number (digits compared after NFKC)."""
    flat = unicodedata.normalize("NFKC", text)
    return bool(_EMAIL.search(flat) or _PHONE.search(flat) or _LONG_NUMBER.search(flat))


def _duplicate_message(kind: str) -> str:
    if kind == BusinessReport.Kind.MONTHLY:
        return _("この月の月報はすでに提出されています。内容を直すときは図書館に連絡してください。")
    return _("この日の日報はすでに提出されています。内容を直すときは図書館に連絡してください。")


def report_submit(
    *,
    actor: Actor,
    contract: Contract,
    kind: str,
    period_start: dt.date,
    body: str,
    incidents_noted: bool = False,
) -> BusinessReport:
    """A handler of ``contract`` submits a daily or monthly business report (002; 004 特記事項11).

    One report per contract, kind and period; the period lies in the contract's term and has begun.
    The body must not carry personal data: counts and events only.
    """
    if kind not in BusinessReport.Kind.values:
        raise refuse("kind", _("報告の種別を選んでください。"))
    actor_id = getattr(actor, "pk", None)
    handler = (
        Handler.objects.filter(user_id=actor_id).only("contract_id").first() if actor_id is not None else None
    )
    if handler is None or handler.contract_id != contract.pk:
        raise refuse("__all__", _("この契約の業務報告は提出できません。"))
    start = report_period_start(kind, period_start)
    errors = FieldErrors()
    label = _("対象月") if kind == BusinessReport.Kind.MONTHLY else _("対象日")
    _not_future(errors, "period_start", start, label=label)
    if kind == BusinessReport.Kind.MONTHLY:
        outside = start > contract.ends_on or start < contract.starts_on.replace(day=1)
    else:
        outside = not contract.starts_on <= start <= contract.ends_on
    if outside:
        errors.add("period_start", _("%(label)sが契約期間の外です。") % {"label": label})
    text = clean_note(errors, "body", body, label=_("報告内容"), max_length=MAX_REPORT_BODY, required=True)
    if text and looks_personal(text):
        errors.add(
            "body",
            _(
                "報告内容に利用者番号・電話番号・メールアドレスと思われる記載があります。"
                "個人が分かる情報は書かず、件数などで報告してください。"
            ),
        )
    errors.raise_if_any()
    if BusinessReport.objects.filter(contract=contract, kind=kind, period_start=start).exists():
        raise refuse("period_start", _duplicate_message(kind))
    try:
        with transaction.atomic():
            report = BusinessReport.objects.create(
                contract=contract,
                kind=kind,
                period_start=start,
                body=text,
                incidents_noted=bool(incidents_noted),
                submitted_by=staff_user(actor),
            )
            _audit(
                actor=actor,
                action="oversight.report_submit",
                target_type="business_report",
                target_id=report.pk,
                detail={"contract_id": contract.pk, "kind": kind, "incidents": bool(incidents_noted)},
            )
    except IntegrityError:
        # Submitted twice at once: the unique constraint one_report_per_period keeps one.
        raise refuse("period_start", _duplicate_message(kind)) from None
    return report


def report_review(*, actor: Actor, report: BusinessReport, comment: str) -> BusinessReport:
    """The library reviews a report (002: 事業報告などから指導監督). A report noting an accident or a
    complaint needs a comment saying what was done about it. Reviewed once."""
    errors = FieldErrors()
    text = clean_note(
        errors, "comment", comment, label=_("確認コメント"), max_length=MAX_TEXT, required=False
    )
    if report.incidents_noted and not text:
        errors.add("comment", _("事故・苦情ありの報告です。確認した内容と対応をコメントに記入してください。"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = BusinessReport.objects.select_for_update().get(pk=report.pk)
        if locked.reviewed_at is not None:
            raise refuse("comment", _("この報告はすでに確認済みです。"))
        locked.reviewed_by = user_of(actor)
        locked.reviewed_at = timezone.now()
        locked.review_comment = text
        locked.save(update_fields=["reviewed_by", "reviewed_at", "review_comment"])
        _audit(
            actor=actor,
            action="oversight.report_review",
            target_type="business_report",
            target_id=locked.pk,
            detail={"contract_id": locked.contract_id, "kind": locked.kind},
        )
    return locked


def report_record_out_of_scope(*, actor: Actor, what: str, target_id: object) -> None:
    """An operator asked for a contract or report outside their own: answered 404, and logged."""
    audit_record(
        standalone=True,
        actor=actor,
        action="oversight.report_out_of_scope",
        target_type=what,
        target_id=target_id,
        outcome=Outcome.DENIED,
    )


# --- on-site audits (004 特記事項12: 甲の立入調査等による監査) -------------------------------------------


def onsite_audit_record(
    *,
    actor: Actor,
    contract: Contract,
    audited_on: dt.date,
    auditor: str,
    checklist: dict[str, str],
    findings: str,
) -> OnSiteAudit:
    """Record an on-site audit: each of the 16 特記事項 checked 適合 (ok), 不適合 (ng) or 該当なし (na).

    A 不適合 needs findings; corrective actions are added to the audit afterwards.
    """
    errors = FieldErrors()
    _not_future(errors, "audited_on", audited_on, label=_("監査日"))
    name = clean_note(errors, "auditor", auditor, label=_("監査者"), max_length=100, required=True)
    text = clean_note(errors, "findings", findings, label=_("指摘事項"), max_length=MAX_TEXT, required=False)
    unknown = set(checklist) - set(Clause.values)
    missing = [c.label for c in Clause if checklist.get(c.value) not in CHECK_VALUES]
    if unknown:
        errors.add("checklist", _("チェックリストに特記事項にない項目があります。"))
    elif missing:
        errors.add(
            "checklist", _("次の特記事項の確認結果を選んでください: ") + "、".join(str(m) for m in missing)
        )
    ng = sum(1 for v in checklist.values() if v == "ng")
    if ng and not text:
        errors.add("findings", _("「不適合」の項目があります。指摘事項を記入してください。"))
    errors.raise_if_any()
    with transaction.atomic():
        audit = OnSiteAudit.objects.create(
            contract=contract,
            audited_on=audited_on,
            auditor=name,
            checklist={c.value: checklist[c.value] for c in Clause},
            findings=text,
            recorded_by=staff_user(actor),
        )
        _audit(
            actor=actor,
            action="oversight.audit_record",
            target_type="onsite_audit",
            target_id=audit.pk,
            detail={"contract_id": contract.pk, "ng": ng},
        )
    return audit


def corrective_action_add(
    *, actor: Actor, audit: OnSiteAudit, description: str, due_on: dt.date
) -> CorrectiveAction:
    """A corrective action the contractor must complete by ``due_on`` (not before the audit)."""
    errors = FieldErrors()
    text = clean_note(
        errors, "description", description, label=_("是正措置"), max_length=MAX_TEXT, required=True
    )
    if due_on < audit.audited_on:
        errors.add("due_on", _("期限が監査日より前です。監査日以降の日付を入力してください。"))
    errors.raise_if_any()
    with transaction.atomic():
        action = CorrectiveAction.objects.create(audit=audit, description=text, due_on=due_on)
        _audit(
            actor=actor,
            action="oversight.action_add",
            target_type="corrective_action",
            target_id=action.pk,
            detail={"contract_id": audit.contract_id, "audit_id": audit.pk},
        )
    return action


def corrective_action_complete(
    *, actor: Actor, action: CorrectiveAction, done_on: dt.date
) -> CorrectiveAction:
    """Mark a corrective action done on ``done_on`` (not in the future, not before the audit)."""
    errors = FieldErrors()
    _not_future(errors, "done_on", done_on, label=_("完了日"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = CorrectiveAction.objects.select_for_update().select_related("audit").get(pk=action.pk)
        if locked.done_on is not None:
            raise refuse("done_on", _("この是正措置はすでに完了しています。"))
        if done_on < locked.audit.audited_on:
            raise refuse("done_on", _("完了日が監査日より前です。"))
        locked.done_on = done_on
        locked.save(update_fields=["done_on"])
        _audit(
            actor=actor,
            action="oversight.action_done",
            target_type="corrective_action",
            target_id=locked.pk,
            detail={
                "contract_id": locked.audit.contract_id,
                "audit_id": locked.audit_id,
                "late": done_on > locked.due_on,
            },
        )
    return locked


# --- periodic review (002: 既に承認されていても、どこかで見直しをする必要がある) ----------------------------


def contract_review_record(
    *,
    actor: Actor,
    contract: Contract,
    reviewed_on: dt.date,
    outcome: str,
    note: str,
    next_review_on: dt.date,
) -> ContractReview:
    """Record a periodic review of a contract — pre-approved (事前一括承認基準) ones too — and move the
    contract's review date to ``next_review_on``. A change or an end needs a note saying why."""
    errors = FieldErrors()
    _not_future(errors, "reviewed_on", reviewed_on, label=_("見直し日"))
    if outcome not in ContractReview.Outcome.values:
        errors.add("outcome", _("見直しの結果を選んでください。"))
    text = clean_note(errors, "note", note, label=_("所見"), max_length=MAX_TEXT, required=False)
    if outcome in (ContractReview.Outcome.CHANGE, ContractReview.Outcome.END) and not text:
        errors.add("note", _("「変更」「終了」のときは所見に理由を記入してください。"))
    if next_review_on <= reviewed_on:
        errors.add("next_review_on", _("次回見直し期限は見直し日より後の日付にしてください。"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        review = ContractReview.objects.create(
            contract=locked,
            reviewed_on=reviewed_on,
            outcome=outcome,
            note=text,
            next_review_on=next_review_on,
            reviewed_by=staff_user(actor),
        )
        previous = locked.review_due_on
        locked.review_due_on = next_review_on
        locked.save(update_fields=["review_due_on"])
        _audit(
            actor=actor,
            action="oversight.review_record",
            target_type="contract",
            target_id=locked.pk,
            detail={
                "review_id": review.pk,
                "outcome": outcome,
                "previous_due_on": previous.isoformat(),
                "next_review_on": next_review_on.isoformat(),
            },
        )
    contract.review_due_on = next_review_on
    return review


# --- the daily reminder ---------------------------------------------------------------------------------


def oversight_remind(*, on: dt.date | None = None) -> int:
    """E-mail every privacy officer the contracts whose review is due within ``REVIEW_WARNING_DAYS`` or
    overdue — 事前一括承認基準 ones included — and the corrective actions past their due date.

    The mail names contracts by number and dates and counts only: no handler, auditor or patron.
    Returns the number of items reminded about; the audit event and the log line carry counts only.
    """
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mass_mail

    from privacy_admin.core.roles import Role

    from .oversight_selectors import REVIEW_WARNING_DAYS, reminder_items

    on = on or today()
    items = reminder_items(on=on)
    count = len(items.reviews) + len(items.actions)
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PRIVACY_OFFICER.value)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if count:
        subject = _("【委託の監督】見直し期限・是正措置の確認をお願いします")
        body = _reminder_body(items, on=on, warning_days=REVIEW_WARNING_DAYS)
        messages = tuple((subject, body, None, [address]) for address in recipients)
        with transaction.atomic():
            audit_record(
                actor=None,
                action="oversight.reminder",
                target_type="contract",
                detail={
                    "reviews": len(items.reviews),
                    "reviews_overdue": sum(1 for r in items.reviews if r.overdue),
                    "actions_overdue": len(items.actions),
                    "recipients": len(recipients),
                },
            )
            if messages:
                transaction.on_commit(functools.partial(send_mass_mail, messages, fail_silently=False))
    logger.info(
        "oversight reminders: reviews=%d actions_overdue=%d recipients=%d",
        len(items.reviews),
        len(items.actions),
        len(recipients),
    )
    return count


def _reminder_body(items: Any, *, on: dt.date, warning_days: int) -> str:

    lines = [
        _("個人情報保護責任者 各位"),
        "",
        _("%(on)s現在、委託契約の監督について次の確認が必要です。") % {"on": to_wareki(on)},
        _(
            "（このメールには契約番号・日付・件数だけを記載しています。詳細はシステムの「委託の監督」で確認してください。）"
        ),
        "",
    ]
    if items.reviews:
        lines.append(
            _("■ 見直し期限が%(warning_days)s日以内または期限を過ぎた契約（%(reviews)s件）")
            % {"warning_days": warning_days, "reviews": len(items.reviews)}
        )
        for row in items.reviews:
            state = _("期限超過") if row.overdue else _("期限間近")
            pre = _("（事前一括承認基準）") if row.pre_approved else ""
            lines.append(
                _("  ・%(number)s%(pre)s　見直し期限 %(due_on)s　%(state)s")
                % {"number": row.number, "pre": pre, "due_on": to_wareki(row.due_on), "state": state}
            )
        lines.append("")
    if items.actions:
        lines.append(_("■ 期限を過ぎた是正措置（%(actions)s件）") % {"actions": len(items.actions)})
        for action in items.actions:
            lines.append(
                _("  ・%(number)s　監査日 %(audited_on)s　期限 %(due_on)s")
                % {
                    "number": action.number,
                    "audited_on": to_wareki(action.audited_on),
                    "due_on": to_wareki(action.due_on),
                }
            )
        lines.append("")
    if items.unreviewed_reports:
        lines.append(
            _("■ 未確認の業務報告: %(unreviewed_reports)s件")
            % {"unreviewed_reports": items.unreviewed_reports}
        )
        lines.append("")
    lines.append(
        _("既に承認された契約、事前一括承認基準による契約も定期的に見直します（練馬区 審議会の指摘）。")
    )
    return "\n".join(lines) + "\n"


# --- the access review leaves its own trace (outsourcing.access_review) -------------------------------


def access_review_record_view(
    *, actor: Actor, operator_id: int | None, date_from: dt.date, date_to: dt.date, operators: int
) -> None:
    """Reading what operators did is a look at personal data about them: audited ``access_review.view``."""
    audit_record(
        standalone=True,
        actor=actor,
        action="access_review.view",
        target_type="user" if operator_id is not None else "access_review",
        target_id=operator_id if operator_id is not None else "",
        detail={"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "operators": operators},
    )


def access_review_record_download(
    *, actor: Actor, operator_id: int | None, date_from: dt.date, date_to: dt.date, operators: int
) -> None:
    """The monthly review PDF leaves the system: audited ``access_review.download``."""
    audit_record(
        standalone=True,
        actor=actor,
        action="access_review.download",
        target_type="user" if operator_id is not None else "access_review",
        target_id=operator_id if operator_id is not None else "",
        detail={"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "operators": operators},
    )
