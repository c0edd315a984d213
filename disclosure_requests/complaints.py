"""苦情 (complaints about how personal information is handled): 山梨県 要綱 第45条, 第49条第5号, 第50条.

第45条 asks the library to deal with complaints properly and promptly and to have the means to do so:
each complaint is received with a number, assigned to a privacy officer, answered and closed, and the
year's complaints are counted for the annual report (施行の状況, 第50条).

Every service is keyword-only, raises ``ValidationError`` keyed by the argument at fault (Japanese,
naming no one) and audits its change in the same transaction. The access log names the complaint by id
only: a complainant is not necessarily a patron, and their name never goes into the log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.calendar import fiscal_year_bounds, fiscal_year_label, fiscal_year_of
from privacy_admin.core.dates import today
from privacy_admin.core.errors import FieldErrors, refuse
from privacy_admin.core.numbering import create_numbered, next_number, record_prefix
from privacy_admin.core.roles import Role, has_role
from privacy_admin.core.text import clean_note

from .models import Complaint, ComplaintChannel, PrivacyRequest

TARGET_TYPE = "complaint"


def _next_number(received_on: dt.date) -> str:
    """R8-苦情-001: the 和暦 year of receipt (as request numbers are) and a sequence within it."""
    return next_number(Complaint.objects.all(), record_prefix(received_on, "苦情"), width=3)


def _audit(
    *,
    actor: Actor,
    action: str,
    complaint: Complaint,
    detail: dict[str, Any] | None = None,
    standalone: bool = False,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=TARGET_TYPE,
        target_id=complaint.pk,
        detail=detail,
        standalone=standalone,
    )


def _max(name: str) -> int:
    return int(getattr(Complaint._meta.get_field(name), "max_length", 0) or 0)


def complaint_receive(
    *,
    actor: Actor,
    received_on: dt.date,
    channel: str,
    complainant_name: str = "",
    contact: str = "",
    summary: str,
    related_request: PrivacyRequest | None = None,
) -> Complaint:
    """Record a complaint (山梨県 要綱 第45条) under the next number of its 和暦 year (R8-苦情-001).

    The complainant may stay anonymous (name and contact optional); the receipt date is not in the future.
    """
    errors = FieldErrors()
    if received_on > today():
        errors.add("received_on", _("受付日に未来の日付は入力できません。"))
    if channel not in ComplaintChannel.values:
        errors.add("channel", _("受付方法を選んでください。"))
    name = clean_note(
        errors,
        "complainant_name",
        complainant_name,
        label=_("申出者氏名"),
        max_length=_max("complainant_name"),
        required=False,
    )
    contact_text = clean_note(
        errors, "contact", contact, label=_("連絡先"), max_length=_max("contact"), required=False
    )
    summary_text = clean_note(
        errors, "summary", summary, label=_("苦情の内容"), max_length=2000, required=True
    )
    errors.raise_if_any()

    def create() -> Complaint:
        complaint = Complaint.objects.create(
            number=_next_number(received_on),
            received_on=received_on,
            channel=channel,
            complainant_name=name,
            contact=contact_text,
            summary=summary_text,
            related_request=related_request,
        )
        _audit(
            actor=actor,
            action="complaint.receive",
            complaint=complaint,
            detail={"related_request_id": related_request.pk} if related_request is not None else {},
        )
        return complaint

    # Two receipts may take the same number at once: the later draws the next one.
    return create_numbered(
        create,
        exhausted=lambda: refuse(
            "received_on", _("受付番号を採番できませんでした。もう一度登録してください。")
        ),
    )


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def complaint_assign(*, actor: Actor, complaint: Complaint, assignee: Any) -> Complaint:
    """Assign the complaint to a privacy officer (山梨県 要綱 第45条第2項: 体制の整備; 第8条 管理責任者)."""
    if assignee is None or not has_role(assignee, Role.PRIVACY_OFFICER):
        raise refuse("assignee", _("担当者には個人情報保護責任者を選んでください。"))
    with transaction.atomic():
        locked = _lock(complaint)
        if locked.status == Complaint.Status.CLOSED:
            raise refuse("assignee", _("完了した苦情の担当者は変更できません。"))
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        _audit(actor=actor, action="complaint.assign", complaint=locked, detail={"assignee_id": assignee.pk})
    return locked


def complaint_answer(*, actor: Actor, complaint: Complaint, answer: str, answered_on: dt.date) -> Complaint:
    """Record the answer given to the complainant. May be corrected until the complaint is closed."""
    errors = FieldErrors()
    text = clean_note(errors, "answer", answer, label=_("回答"), max_length=2000, required=True)
    if answered_on > today():
        errors.add("answered_on", _("回答日に未来の日付は入力できません。"))
    if answered_on < complaint.received_on:
        errors.add("answered_on", _("回答日が受付日より前です。"))
    errors.raise_if_any()
    with transaction.atomic():
        locked = _lock(complaint)
        if locked.status == Complaint.Status.CLOSED:
            raise refuse("answer", _("完了した苦情の回答は変更できません。"))
        first = locked.status == Complaint.Status.OPEN
        locked.answer = text
        locked.answered_on = answered_on
        locked.status = Complaint.Status.ANSWERED
        locked.save(update_fields=["answer", "answered_on", "status"])
        _audit(
            actor=actor,
            action="complaint.answer",
            complaint=locked,
            detail={"changed": not first},
        )
    return locked


def complaint_close(*, actor: Actor, complaint: Complaint, closed_on: dt.date) -> Complaint:
    """Close an answered complaint; closed_on is not in the future nor before the answer."""
    with transaction.atomic():
        locked = _lock(complaint)
        if locked.status == Complaint.Status.CLOSED:
            raise refuse("closed_on", _("この苦情はすでに完了しています。"))
        if locked.status != Complaint.Status.ANSWERED or locked.answered_on is None:
            raise refuse("closed_on", _("回答を記録してから完了にしてください。"))
        if closed_on > today():
            raise refuse("closed_on", _("完了日に未来の日付は入力できません。"))
        if closed_on < locked.answered_on:
            raise refuse("closed_on", _("完了日が回答日より前です。"))
        locked.closed_on = closed_on
        locked.status = Complaint.Status.CLOSED
        locked.save(update_fields=["closed_on", "status"])
        _audit(actor=actor, action="complaint.close", complaint=locked)
    return locked


def complaint_record_view(*, actor: Actor, complaint: Complaint) -> None:
    """Looking at a complaint shows the complainant's name and contact: audited "complaint.view"."""
    _audit(actor=actor, action="complaint.view", complaint=complaint, standalone=True)


def complaints_count_by_fiscal_year(year: int) -> dict[str, Any]:
    """The complaints received in 年度 ``year`` (April–March), for the annual report (山梨県 要綱 第50条).

    ``received`` all; by status (``open``, ``answered``, ``closed``); ``by_channel`` code → count;
    ``answered_in_year`` those answered within the year.
    """
    start, end = fiscal_year_bounds(year)
    rows = Complaint.objects.filter(received_on__range=(start, end))
    totals = rows.aggregate(
        received=Count("pk"),
        open=Count("pk", filter=Q(status=Complaint.Status.OPEN)),
        answered=Count("pk", filter=Q(status=Complaint.Status.ANSWERED)),
        closed=Count("pk", filter=Q(status=Complaint.Status.CLOSED)),
        answered_in_year=Count("pk", filter=Q(answered_on__range=(start, end))),
    )
    by_channel = {code: 0 for code in ComplaintChannel.values}
    for channel, count in rows.values_list("channel").annotate(n=Count("pk")).order_by():
        by_channel[channel] = count
    return {
        "fiscal_year": year,
        "label": fiscal_year_label(year),
        "start": start,
        "end": end,
        **totals,
        "by_channel": by_channel,
    }


def complaint_fiscal_years() -> list[int]:
    """The 年度 in which complaints were received, newest first (for the list's filter and counts)."""
    days = Complaint.objects.values_list("received_on", flat=True)
    return sorted({fiscal_year_of(d) for d in days}, reverse=True)


def privacy_officers() -> list[Any]:
    """Users who may be assigned a complaint (active privacy officers)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PRIVACY_OFFICER.value)
        .distinct()
        .order_by("username")
    )
    return list(users)
