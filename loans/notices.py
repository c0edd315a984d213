"""Reservation-ready and overdue notices (domain.md §5; 市川市 方針 第3(7)(8); 練馬区 002).

Which channel, and what it may say:

- ``EMAIL`` to the patron's own address may list titles.
- ``GUARDIAN_EMAIL``: a child under 10 (方針 第3(7)) — the registered address is the guardian's, and
  the guardian may be told titles.
- ``PHONE``: the call sheet gives only the given name and the number of items (方針 第3(8)); staff
  confirm identity and, if someone else answers, call again or send a postcard.
- ``POSTCARD``: anyone may read a postcard, so it names no titles — only that N items are ready or due.

A ``Notice`` row keeps patron, kind, channel, date and item count, never an item or a title. Emails
are sent by a Celery task that receives the notice id only and reads the patron's *current* loans or
ready reservations when it runs, so no title travels through the broker either.

What a notice tells is read when it goes out, not when it was queued: several notices of one kind
queued for one patron (three reservations ready on one day) become one e-mail, one postcard or one
call, and every notice it covers is marked. A notice whose reason has gone by then (everything
picked up or returned) tells nothing: it is deleted instead of being sent, printed or called — a
record of "we told this patron" that is not true would be kept for no purpose (要綱 第4条: only
what the purpose needs). The log line says so with counts only ("notice skipped: nothing
outstanding").
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from patrons import rules as patron_rules
from patrons.models import Branch, Patron
from privacy_admin.audit.services import audit_record
from privacy_admin.core import hooks
from privacy_admin.core.actor import Actor
from privacy_admin.core.dates import today
from privacy_admin.core.pdf import render_pdf
from privacy_admin.dispatch.services import dispatch_now, dispatch_on_commit

from .models import Loan, Notice, Reservation

logger = logging.getLogger(__name__)

GUARDIAN_TITLES_UNDER_AGE = 10  # 方針 第3(7)
EMAIL_CHANNELS = (Notice.Channel.EMAIL, Notice.Channel.GUARDIAN_EMAIL)
# One print run renders at most this many postcards (WeasyPrint inside the request); print again for more.
POSTCARDS_PER_BATCH = 200
_CHUNK = 500

# What notice_send did.
SENT = "sent"
SKIPPED = "skipped"
FAILED = "failed"
GONE = "gone"

T = TypeVar("T")


def _chunks(values: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _under_guardian_age(patron: Patron, on: dt.date) -> bool:
    try:
        return patron_rules.legal_age(patron.birth_date, on) < GUARDIAN_TITLES_UNDER_AGE
    except ValueError:  # a birth date after ``on``: not a child we can reason about
        return False


def notice_channel_for(patron: Patron, *, on: dt.date) -> str:
    """The channel a notice to ``patron`` goes by: the patron's choice at マイページ when it can be
    used (a phone call or a postcard always can be chosen instead of e-mail; e-mail and phone need the
    registered address or number), else e-mail if registered, else phone, else postcard. What each
    channel may say does not depend on the choice (方針 第3(7)(8): titles only by e-mail)."""
    preferred = hooks.call(hooks.NOTICE_CHANNEL_PREFERENCE, patron)
    if preferred == Notice.Channel.POSTCARD:
        return Notice.Channel.POSTCARD
    if preferred == Notice.Channel.PHONE and patron.phone:
        return Notice.Channel.PHONE
    if patron.email:
        if patron_rules.legal_age(patron.birth_date, on) < GUARDIAN_TITLES_UNDER_AGE and patron.guardian_name:
            return Notice.Channel.GUARDIAN_EMAIL
        return Notice.Channel.EMAIL
    if patron.phone:
        return Notice.Channel.PHONE
    return Notice.Channel.POSTCARD


def may_name_titles(channel: str) -> bool:
    """Only an e-mail to the patron (or to the guardian of a child under 10) may name titles."""
    return channel in (Notice.Channel.EMAIL, Notice.Channel.GUARDIAN_EMAIL)


def notice_queue(
    *, patron: Patron, kind: str, item_count: int, branch: Branch | None, on: dt.date | None = None
) -> Notice:
    """Record a notice and, for e-mail, send it after the surrounding transaction commits.

    Call inside the transaction of the change that causes it (a reservation becoming ready, the
    overdue run). Postcards and phone calls stay queued until staff print the batch or make the call.
    """
    on = on or today()
    notice = Notice.objects.create(
        patron=patron,
        kind=kind,
        channel=notice_channel_for(patron, on=on),
        created_on=on,
        item_count=item_count,
        branch=branch,
    )
    if notice.channel in (Notice.Channel.EMAIL, Notice.Channel.GUARDIAN_EMAIL):
        # A broker outage leaves the notice queued for the dispatch sweeper; the change still commits.
        dispatch_on_commit(SEND_TASK, notice.pk)
    return notice


# The task module imports this one: the task is named by path and imported when it is sent.
SEND_TASK = "loans.tasks.send_notice"


def _send_later(notice_id: int) -> bool:
    """Send the task now; False (logged, remembered for the sweeper) when the broker is down."""
    return dispatch_now(SEND_TASK, notice_id)


# --- what is outstanding now -----------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Ready reservations of one patron at one pickup place: how many, and until when."""

    branch: str
    count: int
    hold_until: dt.date | None


@dataclass
class Outstanding:
    """What a postcard or a call may say: counts, pickup places, dates — never a title or an item."""

    count: int = 0
    earliest: dt.date | None = None  # the first hold_until (ready) or due_on (overdue)
    places: list[Place] = field(default_factory=list)

    def _note(self, d: dt.date | None) -> None:
        if d is not None and (self.earliest is None or d < self.earliest):
            self.earliest = d


def _outstanding(patron_ids: Iterable[int], *, on: dt.date) -> dict[tuple[int, str], Outstanding]:
    """Per (patron, kind): ready reservations and overdue loans now, as counts (no item is read)."""
    result: dict[tuple[int, str], Outstanding] = {}
    ids = sorted(set(patron_ids))
    for chunk in _chunks(ids, _CHUNK):
        ready = (
            Reservation.objects.filter(patron_id__in=chunk, status=Reservation.Status.READY)
            .values("patron_id", "pickup_branch__name", "pickup_branch__sort_order")
            .annotate(n=Count("pk"), until=Min("hold_until"))
            .order_by("patron_id", "pickup_branch__sort_order", "pickup_branch__name")
        )
        for row in ready:
            o = result.setdefault((row["patron_id"], Notice.Kind.RESERVATION_READY), Outstanding())
            o.count += row["n"]
            o.places.append(Place(row["pickup_branch__name"], row["n"], row["until"]))
            o._note(row["until"])
        overdue = (
            Loan.objects.filter(patron_id__in=chunk, due_on__lt=on)
            .values("patron_id")
            .annotate(n=Count("pk"), first=Min("due_on"))
            .order_by()
        )
        for row in overdue:
            o = result.setdefault((row["patron_id"], Notice.Kind.OVERDUE), Outstanding())
            o.count += row["n"]
            o._note(row["first"])
    return result


def _titles_for(patron: Patron, *, kind: str, on: dt.date) -> list[dict[str, Any]]:
    """The items an e-mail lists (titles: only ever for ``may_name_titles`` channels)."""
    if kind == Notice.Kind.RESERVATION_READY:
        reservations = (
            Reservation.objects.filter(patron_id=patron.pk, status=Reservation.Status.READY)
            .select_related("item", "pickup_branch")
            .order_by("hold_until", "pk")
        )
        return [
            {"title": r.item.title, "pickup_branch": r.pickup_branch.name, "hold_until": r.hold_until}
            for r in reservations
        ]
    loans = (
        Loan.objects.filter(patron_id=patron.pk, due_on__lt=on)
        .select_related("item")
        .order_by("due_on", "pk")
    )
    return [{"title": loan.item.title, "due_on": loan.due_on} for loan in loans]


def _moot(qs: QuerySet[Notice], *, on: dt.date) -> QuerySet[Notice]:
    """Notices in ``qs`` whose reason has gone: no ready reservation / no overdue loan left."""
    ready_left = Reservation.objects.filter(patron_id=OuterRef("patron_id"), status=Reservation.Status.READY)
    overdue_left = Loan.objects.filter(patron_id=OuterRef("patron_id"), due_on__lt=on)
    return qs.filter(
        (Q(kind=Notice.Kind.RESERVATION_READY) & ~Exists(ready_left))
        | (Q(kind=Notice.Kind.OVERDUE) & ~Exists(overdue_left))
    )


# --- e-mail ----------------------------------------------------------------------------------


def _email(
    patron: Patron, *, kind: str, channel: str, items: list[dict[str, Any]], on: dt.date
) -> EmailMessage:
    assert may_name_titles(channel)  # 方針 第3(7): titles only to the patron or a guardian
    # In the patron's language, whoever or whatever sends it: patrons choose none, so the library's
    # own (settings.LANGUAGE_CODE, Japanese) rather than the language of a staff member's request.
    with translation.override(settings.LANGUAGE_CODE):
        return _email_in_active_language(patron, kind=kind, channel=channel, items=items, on=on)


def _email_in_active_language(
    patron: Patron, *, kind: str, channel: str, items: list[dict[str, Any]], on: dt.date
) -> EmailMessage:
    guardian = channel == Notice.Channel.GUARDIAN_EMAIL
    context = {
        "library_name": settings.LIBRARY_NAME,
        "contact": settings.LOANS_NOTICE_CONTACT,
        "guardian": guardian,
        "full_name": patron.full_name,
        "given_name": patron.given_name,
        "items": items,
        "count": len(items),
        "today": on,
    }
    if kind == Notice.Kind.RESERVATION_READY:
        template = "emails/reservation_ready.txt"
        subject = _("【%(library)s】ご予約の資料をご用意しました") % {"library": settings.LIBRARY_NAME}
    else:
        template = "emails/overdue.txt"
        subject = _("【%(library)s】返却期限を過ぎた資料があります") % {"library": settings.LIBRARY_NAME}
    # The subject never names a title: it shows in lock screens and shared inboxes.
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[patron.email],
    )


def notice_send(*, notice_id: int, on: dt.date | None = None) -> str:
    """Send an e-mail notice (the ``send_notice`` task's service). Idempotent; returns what it did.

    Reads the patron's ready reservations (reservation-ready) or overdue loans (overdue) as they are
    now and lists their titles — allowed for ``EMAIL`` and ``GUARDIAN_EMAIL`` only (方針 第3(7)).
    Every queued e-mail notice of the same patron and kind is covered by this one message and marked
    SENT with ``sent_at``. When nothing is outstanding any more, nothing is sent and those notices
    are deleted (see the module docstring). A refused recipient marks them FAILED (staff can send a
    postcard instead); other SMTP and connection errors propagate for the task to retry, leaving the
    notices queued. Log lines carry kind, channel and counts only.
    """
    on = on or today()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related("patron")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.status != Notice.Status.QUEUED or notice.channel not in EMAIL_CHANNELS:
            return GONE
        patron = notice.patron
        kind = notice.kind
        batch_ids = list(
            Notice.objects.select_for_update()
            .filter(patron_id=patron.pk, kind=kind, channel__in=EMAIL_CHANNELS, status=Notice.Status.QUEUED)
            .values_list("pk", flat=True)
        )
        batch = Notice.objects.filter(pk__in=batch_ids)
        # The address (or the child's age) may have changed since the notice was queued.
        channel = notice_channel_for(patron, on=on)
        if channel not in EMAIL_CHANNELS:
            batch.update(status=Notice.Status.FAILED, sent_at=timezone.now())
            logger.warning("notice failed: no e-mail address kind=%s count=%d", kind, len(batch_ids))
            return FAILED
        items = _titles_for(patron, kind=kind, on=on)
        if not items:
            batch.delete()
            logger.info("notice skipped: nothing outstanding kind=%s count=%d", kind, len(batch_ids))
            return SKIPPED
        message = _email(patron, kind=kind, channel=channel, items=items, on=on)
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused:
            # Permanent for this address: retrying will not help. The exception text names the
            # address, so it is not logged.
            batch.update(status=Notice.Status.FAILED, sent_at=timezone.now())
            logger.warning("notice failed: recipient refused kind=%s count=%d", kind, len(batch_ids))
            return FAILED
        batch.update(status=Notice.Status.SENT, sent_at=timezone.now(), channel=channel)
    logger.info(
        "notice sent: kind=%s channel=%s items=%d notices=%d", kind, channel, len(items), len(batch_ids)
    )
    return SENT


def notice_mark_failed(*, notice_id: int) -> int:
    """The task gave up after its retries: the queued e-mail notices of that patron and kind fail."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or notice.status != Notice.Status.QUEUED:
            return 0
        return Notice.objects.filter(
            patron_id=notice.patron_id,
            kind=notice.kind,
            channel__in=EMAIL_CHANNELS,
            status=Notice.Status.QUEUED,
        ).update(status=Notice.Status.FAILED, sent_at=timezone.now())


def notices_requeue_stuck_emails(*, on: dt.date | None = None, limit: int = 5000) -> int:
    """E-mail notices still queued from an earlier day (a lost task, a broker outage): send again.

    Safe to repeat: ``notice_send`` locks the notice and does nothing once it is no longer queued.
    """
    on = on or today()
    ids = list(
        Notice.objects.filter(status=Notice.Status.QUEUED, channel__in=EMAIL_CHANNELS, created_on__lt=on)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for notice_id in ids:
        if not _send_later(notice_id):
            break  # the broker is down: the dispatch sweeper and tomorrow's run take the rest
    if ids:
        logger.info("stuck e-mail notices requeued: count=%d", len(ids))
    return len(ids)


def notices_discard_moot(*, on: dt.date | None = None) -> int:
    """Delete queued postcard and phone notices with nothing left to tell (everything picked up or
    returned). Set-based; idempotent. E-mail notices are left to ``notice_send``, which does the same."""
    on = on or today()
    queued = Notice.objects.filter(
        status=Notice.Status.QUEUED, channel__in=(Notice.Channel.POSTCARD, Notice.Channel.PHONE)
    )
    deleted, _unused = _moot(queued, on=on).delete()
    if deleted:
        logger.info("notice skipped: nothing outstanding count=%d", deleted)
    return deleted


# --- the overdue run -------------------------------------------------------------------------


def notices_queue_overdue(*, on: dt.date | None = None) -> int:
    """Queue one 督促 per patron with a loan overdue by LOANS_OVERDUE_GRACE_DAYS or more and not
    reminded within LOANS_OVERDUE_REPEAT_DAYS (方針 第3(7): titles only by e-mail to the patron).

    ``item_count`` is the number of the patron's loans overdue by the grace period or more; all of
    them get ``last_reminded_on`` in one UPDATE. Branch: the patron's registered branch, which
    prints its postcards and makes its calls. Idempotent per day; returns the number of notices.
    The access-log event carries counts only.
    """
    on = on or today()
    overdue = Loan.objects.filter(due_on__lte=on - dt.timedelta(days=settings.LOANS_OVERDUE_GRACE_DAYS))
    quiet_since = on - dt.timedelta(days=settings.LOANS_OVERDUE_REPEAT_DAYS)
    patron_ids = list(
        overdue.filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=quiet_since))
        .order_by("patron_id")
        .values_list("patron_id", flat=True)
        .distinct()
    )
    queued = reminded = 0
    for chunk in _chunks(patron_ids, _CHUNK):
        with transaction.atomic():
            counts = dict(
                overdue.filter(patron_id__in=chunk)
                .values("patron_id")
                .annotate(n=Count("pk"))
                .order_by()
                .values_list("patron_id", "n")
            )
            patrons = (
                Patron.objects.filter(pk__in=list(counts)).select_related("registered_branch").order_by("pk")
            )
            for patron in patrons:
                notice_queue(
                    patron=patron,
                    kind=Notice.Kind.OVERDUE,
                    item_count=min(counts[patron.pk], 32767),
                    branch=patron.registered_branch,
                    on=on,
                )
                queued += 1
            reminded += overdue.filter(patron_id__in=list(counts)).update(last_reminded_on=on)
    if queued:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="notice.overdue_queue",
                target_type="notice",
                detail={"count": queued, "loans": reminded},
            )
    logger.info("overdue notices queued: count=%d loans=%d", queued, reminded)
    return queued


# --- postcards and phone calls ----------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """One patron and one kind: what one postcard or one call tells. Carries no title and no item."""

    notice_id: int  # the oldest notice covered: the handle for the row's actions
    notice_ids: tuple[int, ...]
    patron: Patron
    kind: str
    outstanding: Outstanding
    queued_on: dt.date

    @property
    def kind_label(self) -> str:
        return str(Notice.Kind(self.kind).label)


def _contacts(notices: QuerySet[Notice], *, on: dt.date) -> tuple[list[Contact], list[int]]:
    """Group ``notices`` by (patron, kind). Returns the contacts with something outstanding, oldest
    first, and the ids of the notices with nothing left to tell."""
    groups: dict[tuple[int, str], list[Notice]] = {}
    for notice in notices.select_related("patron").order_by("pk"):
        groups.setdefault((notice.patron_id, notice.kind), []).append(notice)
    outstanding = _outstanding({patron_id for patron_id, _kind in groups}, on=on)
    contacts: list[Contact] = []
    moot: list[int] = []
    for key, group in groups.items():
        now = outstanding.get(key)
        if now is None or now.count == 0:
            moot += [n.pk for n in group]
            continue
        contacts.append(
            Contact(
                notice_id=group[0].pk,
                notice_ids=tuple(n.pk for n in group),
                patron=group[0].patron,
                kind=key[1],
                outstanding=now,
                queued_on=group[0].created_on,
            )
        )
    return contacts, moot


@dataclass(frozen=True)
class Postcard:
    """What is printed on one postcard (方針 第3(7): no title, no barcode — anyone may read it)."""

    name: str
    to_guardian: bool
    address: str
    kind: str
    count: int
    earliest: dt.date | None
    places: list[Place]


@dataclass(frozen=True)
class PostcardBatch:
    pdf: bytes
    count: int
    skipped: int
    remaining: int


def _postcard(contact: Contact, *, on: dt.date) -> Postcard:
    patron = contact.patron
    return Postcard(
        name=patron.full_name,
        to_guardian=bool(patron.guardian_name) and _under_guardian_age(patron, on),
        address=patron.address,
        kind=contact.kind,
        count=contact.outstanding.count,
        earliest=contact.outstanding.earliest,
        places=contact.outstanding.places,
    )


def render_postcards_pdf(postcards: list[Postcard], *, on: dt.date) -> bytes:
    """``templates/loans/pdf/postcards.html``: one はがき (100mm × 148mm) per page."""
    return render_pdf("loans/pdf/postcards.html", postcards_context(postcards, on=on))


def postcards_context(postcards: list[Postcard], *, on: dt.date) -> dict[str, Any]:
    return {
        "postcards": postcards,
        "today": on,
        "library_name": settings.LIBRARY_NAME,
        "contact": settings.LOANS_NOTICE_CONTACT,
        "ready": Notice.Kind.RESERVATION_READY,
        "overdue": Notice.Kind.OVERDUE,
    }


def postcards_queued(*, branch: Branch | None = None) -> QuerySet[Notice]:
    qs = Notice.objects.filter(channel=Notice.Channel.POSTCARD, status=Notice.Status.QUEUED)
    return qs.filter(branch=branch) if branch is not None else qs


def notices_print_postcards(
    *, actor: Actor, branch: Branch | None = None, reprint: bool = False, on: dt.date | None = None
) -> PostcardBatch | None:
    """Render the queued postcards (up to POSTCARDS_PER_BATCH) as one PDF and mark their notices
    PRINTED. ``reprint`` renders again the postcards printed today (a jammed printer) and changes
    nothing. Queued notices with nothing left to tell are deleted, not printed. Returns None when
    there is nothing to print. The access-log event carries counts only (target_type "notice").
    """
    on = on or today()
    with transaction.atomic():
        if reprint:
            qs = Notice.objects.filter(
                channel=Notice.Channel.POSTCARD, status=Notice.Status.PRINTED, sent_at__date=on
            )
            if branch is not None:
                qs = qs.filter(branch=branch)
        else:
            qs = postcards_queued(branch=branch).select_for_update(of=("self",))
        contacts, moot = _contacts(qs, on=on)
        if moot and not reprint:
            Notice.objects.filter(pk__in=moot).delete()
            logger.info("notice skipped: nothing outstanding count=%d", len(moot))
        batch = contacts[:POSTCARDS_PER_BATCH]
        if not batch:
            return None
        cards = [_postcard(c, on=on) for c in batch]
        pdf = render_postcards_pdf(cards, on=on)
        if not reprint:
            Notice.objects.filter(pk__in=[pk for c in batch for pk in c.notice_ids]).update(
                status=Notice.Status.PRINTED, sent_at=timezone.now()
            )
        audit_record(
            actor=actor,
            action="notice.postcards_print",
            target_type="notice",
            branch_code=branch.code if branch is not None else None,
            detail={"count": len(batch), "reprint": reprint, "skipped": len(moot)},
        )
    logger.info("postcards printed: count=%d reprint=%s", len(batch), reprint)
    return PostcardBatch(pdf=pdf, count=len(batch), skipped=len(moot), remaining=len(contacts) - len(batch))


@dataclass(frozen=True)
class PhoneRow:
    """One line of the call sheet: given name only (方針 第3(8)), the number, and counts."""

    notice_id: int
    given_name: str
    phone: str
    kind: str
    kind_label: str
    count: int
    places: list[Place]
    queued_on: dt.date
    patron_id: int  # for the access-log event; never rendered


def phone_rows(*, branch: Branch | None = None, on: dt.date | None = None) -> list[PhoneRow]:
    """The queued calls, oldest first. A notice with nothing left to tell is not listed (the daily
    run deletes it). Only the given name is read out of the patron's name."""
    on = on or today()
    qs = Notice.objects.filter(channel=Notice.Channel.PHONE, status=Notice.Status.QUEUED)
    if branch is not None:
        qs = qs.filter(branch=branch)
    contacts, _moot_ids = _contacts(qs, on=on)
    return [
        PhoneRow(
            notice_id=c.notice_id,
            given_name=c.patron.given_name,
            phone=c.patron.phone,
            kind=c.kind,
            kind_label=c.kind_label,
            count=c.outstanding.count,
            places=c.outstanding.places,
            queued_on=c.queued_on,
            patron_id=c.patron.pk,
        )
        for c in contacts
    ]


def phone_sheet_record_view(*, actor: Actor, rows: list[PhoneRow], branch: Branch | None = None) -> None:
    """The sheet shows given names and phone numbers: one event naming who was shown (ids only)."""
    audit_record(
        standalone=True,
        actor=actor,
        action="notice.phone_sheet_view",
        target_type="notice",
        patron_id=rows[0].patron_id if len(rows) == 1 else None,
        branch_code=branch.code if branch is not None else None,
        detail={"results": len(rows), "patron_ids": [r.patron_id for r in rows]},
    )


def _handled() -> ValidationError:
    return ValidationError({"__all__": [_("この通知は既に処理されています。画面を更新してください。")]})


def notice_record_called(*, actor: Actor, notice: Notice) -> int:
    """The patron was reached and identity confirmed (002): the queued phone notices of that patron
    and kind are marked CALLED. Returns how many. The event names the patron, never an item."""
    with transaction.atomic():
        current = Notice.objects.select_for_update().filter(pk=notice.pk).first()
        if (
            current is None
            or current.channel != Notice.Channel.PHONE
            or current.status != Notice.Status.QUEUED
        ):
            raise _handled()
        count = Notice.objects.filter(
            patron_id=current.patron_id,
            kind=current.kind,
            channel=Notice.Channel.PHONE,
            status=Notice.Status.QUEUED,
        ).update(status=Notice.Status.CALLED, sent_at=timezone.now())
        audit_record(
            actor=actor,
            action="notice.called",
            target_type="notice",
            target_id=current.pk,
            patron_id=current.patron_id,
            detail={"kind": current.kind, "notices": count},
        )
    return count


def failed_emails(*, branch: Branch | None = None) -> QuerySet[Notice]:
    """E-mail notices that failed and have not been followed by a postcard yet."""
    later_postcard = Notice.objects.filter(
        patron_id=OuterRef("patron_id"),
        kind=OuterRef("kind"),
        channel=Notice.Channel.POSTCARD,
        created_on__gte=OuterRef("created_on"),
    )
    qs = Notice.objects.filter(channel__in=EMAIL_CHANNELS, status=Notice.Status.FAILED).exclude(
        Exists(later_postcard)
    )
    return qs.filter(branch=branch) if branch is not None else qs


def notice_switch_to_postcard(*, actor: Actor, notice: Notice, on: dt.date | None = None) -> Notice:
    """Send a postcard instead (002: "本人以外の方につながった場合には、改めて電話をする、またはハガキ").

    For a queued phone notice (nobody reached, or someone other than the patron answered: they are
    told nothing) the phone notices of that patron and kind are marked FAILED; for a failed e-mail
    the failed notice stays as it is. Either way one POSTCARD notice is queued with the count
    outstanding now. Refused when the notice was already handled or nothing is outstanding.
    """
    on = on or today()
    with transaction.atomic():
        current = Notice.objects.select_for_update().filter(pk=notice.pk).first()
        if current is None:
            raise _handled()
        if current.channel == Notice.Channel.PHONE and current.status == Notice.Status.QUEUED:
            source = "phone"
        elif current.channel in EMAIL_CHANNELS and failed_emails().filter(pk=current.pk).exists():
            source = "email"
        else:
            raise _handled()
        now = _outstanding([current.patron_id], on=on).get((current.patron_id, current.kind))
        if now is None or now.count == 0:
            raise ValidationError(
                {"__all__": [_("受取・返却が済んでいるため、はがきを送る必要はありません。")]}
            )
        if source == "phone":
            Notice.objects.filter(
                patron_id=current.patron_id,
                kind=current.kind,
                channel=Notice.Channel.PHONE,
                status=Notice.Status.QUEUED,
            ).update(status=Notice.Status.FAILED, sent_at=timezone.now())
        postcard = Notice.objects.create(
            patron_id=current.patron_id,
            kind=current.kind,
            channel=Notice.Channel.POSTCARD,
            created_on=on,
            item_count=min(now.count, 32767),
            branch_id=current.branch_id,
        )
        audit_record(
            actor=actor,
            action="notice.to_postcard",
            target_type="notice",
            target_id=postcard.pk,
            patron_id=current.patron_id,
            detail={"kind": current.kind, "from": source},
        )
    return postcard


def notice_counts(*, branch: Branch | None = None) -> dict[str, Any]:
    """Queued notices per channel and kind, and failed e-mails waiting for a postcard (counts only)."""
    qs = Notice.objects.filter(status=Notice.Status.QUEUED)
    if branch is not None:
        qs = qs.filter(branch=branch)
    queued: dict[str, dict[str, int]] = {c: {k: 0 for k in Notice.Kind.values} for c in Notice.Channel.values}
    for row in qs.values("channel", "kind").annotate(n=Count("pk")).order_by():
        queued[row["channel"]][row["kind"]] = row["n"]
    return {
        "queued": queued,
        "per_channel": {c: sum(kinds.values()) for c, kinds in queued.items()},
        "failed_emails": failed_emails(branch=branch).count(),
    }
