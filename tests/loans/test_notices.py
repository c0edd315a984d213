"""Notices: which channel, what each may say, when e-mails go out (方針 第3(7)(8); 練馬区 002).

Titles only in an e-mail to the patron (or the guardian of a child under 10); postcards and the phone
sheet carry counts; the Celery task receives the notice id and nothing else.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import re
import shutil
import smtplib
import subprocess
import zlib
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from loans import notices, tasks
from loans.models import Item, Loan, Notice, Reservation
from patrons.models import Branch, Patron
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_branch, make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def kita(db) -> Branch:
    return make_branch(code="kita", name="北分館", kind=Branch.Kind.BRANCH)


def ready(patron: Patron, item: Item, branch: Branch, *, hold_days: int = 7) -> Reservation:
    return Reservation.objects.create(
        item=item,
        patron=patron,
        pickup_branch=branch,
        status=Reservation.Status.READY,
        reserved_at=timezone.now() - dt.timedelta(days=10),
        ready_on=today(),
        hold_until=today() + dt.timedelta(days=hold_days),
    )


def lend(
    patron: Patron, item: Item, branch: Branch, *, due_on: dt.date, reminded: dt.date | None = None
) -> Loan:
    return Loan.objects.create(
        item=item,
        patron=patron,
        branch=branch,
        lent_at=timezone.now() - dt.timedelta(days=30),
        due_on=due_on,
        last_reminded_on=reminded,
    )


def child(**kwargs: Any) -> Patron:
    """A child of 8 (under 10: 方針 第3(7))."""
    on = today()
    return make_patron(birth_date=on.replace(year=on.year - 8) - dt.timedelta(days=30), **kwargs)


# --- channel -----------------------------------------------------------------------------------


def test_channel_is_email_phone_or_postcard_by_what_is_registered(central) -> None:
    on = today()
    assert notices.notice_channel_for(make_patron(), on=on) == Notice.Channel.EMAIL
    assert notices.notice_channel_for(make_patron(email=""), on=on) == Notice.Channel.PHONE
    assert notices.notice_channel_for(make_patron(email="", phone=""), on=on) == Notice.Channel.POSTCARD


def test_child_under_ten_with_guardian_gets_guardian_email(central) -> None:
    on = today()
    assert (
        notices.notice_channel_for(child(guardian_name="山田 花子"), on=on) == Notice.Channel.GUARDIAN_EMAIL
    )
    # Without a guardian on record the address is the child's own.
    assert notices.notice_channel_for(child(guardian_name=""), on=on) == Notice.Channel.EMAIL
    ten = make_patron(
        birth_date=on.replace(year=on.year - 10) - dt.timedelta(days=1), guardian_name="山田 花子"
    )
    assert notices.notice_channel_for(ten, on=on) == Notice.Channel.EMAIL


def test_only_email_channels_may_name_titles() -> None:
    assert notices.may_name_titles(Notice.Channel.EMAIL)
    assert notices.may_name_titles(Notice.Channel.GUARDIAN_EMAIL)
    assert not notices.may_name_titles(Notice.Channel.POSTCARD)
    assert not notices.may_name_titles(Notice.Channel.PHONE)


# --- e-mail ------------------------------------------------------------------------------------


def test_email_goes_out_after_commit_and_lists_titles(central, django_capture_on_commit_callbacks) -> None:
    patron = make_patron(registered_branch=central)
    item = make_item(title="星の王子さま", home_branch=central)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        ready(patron, item, central)
        notice = notices.notice_queue(
            patron=patron, kind=Notice.Kind.RESERVATION_READY, item_count=1, branch=central
        )
        assert mail.outbox == []  # nothing leaves before the change is committed
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [patron.email]
    assert "星の王子さま" in message.body
    assert "中央図書館" in message.body and "令和" in message.body
    assert f"{patron.full_name} 様" in message.body
    assert "星の王子さま" not in message.subject  # subjects show on lock screens
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.sent_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(central, django_capture_on_commit_callbacks) -> None:
    patron = make_patron(registered_branch=central)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notices.notice_queue(patron=patron, kind=Notice.Kind.OVERDUE, item_count=1, branch=central)
        raise RuntimeError("rolled back")
    assert callbacks == [] and mail.outbox == []
    assert not Notice.objects.exists()


def test_guardian_email_is_addressed_to_the_guardian_and_may_name_titles(
    central, django_capture_on_commit_callbacks
) -> None:
    kid = child(guardian_name="山田 花子", given_name="ゆうた")
    with django_capture_on_commit_callbacks(execute=True):
        ready(kid, make_item(title="はらぺこあおむし", home_branch=central), central)
        notice = notices.notice_queue(
            patron=kid, kind=Notice.Kind.RESERVATION_READY, item_count=1, branch=central
        )
    assert notice.channel == Notice.Channel.GUARDIAN_EMAIL
    body = mail.outbox[0].body
    assert "保護者様" in body and "ゆうたさん" in body
    assert "はらぺこあおむし" in body


def test_task_receives_the_notice_id_only(central, monkeypatch, django_capture_on_commit_callbacks) -> None:
    sent: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(tasks.send_notice, "delay", lambda *a, **kw: sent.append((a, kw)))
    patron = make_patron(registered_branch=central)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notices.notice_queue(patron=patron, kind=Notice.Kind.OVERDUE, item_count=2, branch=central)
    assert sent == [((notice.pk,), {})]
    assert all(type(arg) is int for args, _kw in sent for arg in args)


def test_task_refuses_anything_but_an_int_and_ignores_results() -> None:
    assert list(inspect.signature(tasks.send_notice.run).parameters) == ["notice_id"]
    assert tasks.send_notice.ignore_result
    with pytest.raises(TypeError):
        tasks.send_notice.run("taro@example.jp")  # type: ignore[arg-type]
    for task in (tasks.queue_overdue_notices, tasks.run_safety_net):
        assert not inspect.signature(task.run).parameters
        assert task.ignore_result


def test_several_notices_of_one_kind_become_one_email(central, django_capture_on_commit_callbacks) -> None:
    patron = make_patron(registered_branch=central)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for title in ("一の巻", "二の巻"):
            ready(patron, make_item(title=title, home_branch=central), central)
            notices.notice_queue(
                patron=patron, kind=Notice.Kind.RESERVATION_READY, item_count=1, branch=central
            )
    assert len(mail.outbox) == 1
    assert (
        "2点" in mail.outbox[0].body and "一の巻" in mail.outbox[0].body and "二の巻" in mail.outbox[0].body
    )
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}


def test_nothing_outstanding_sends_nothing_and_keeps_no_notice(central, caplog) -> None:
    patron = make_patron(registered_branch=central)
    notice = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.RESERVATION_READY,
        channel=Notice.Channel.EMAIL,
        created_on=today(),
        item_count=1,
        branch=central,
    )  # the reservation was picked up before the task ran
    with caplog.at_level(logging.INFO, logger="loans.notices"):
        tasks.send_notice.delay(notice.pk)
    assert mail.outbox == []
    assert not Notice.objects.filter(pk=notice.pk).exists()
    assert "notice skipped: nothing outstanding" in caplog.text
    assert patron.email not in caplog.text and patron.given_name not in caplog.text


def test_overdue_email_lists_overdue_titles_only(central, django_capture_on_commit_callbacks) -> None:
    patron = make_patron(registered_branch=central)
    lend(
        patron,
        make_item(title="延滞の本", home_branch=central),
        central,
        due_on=today() - dt.timedelta(days=3),
    )
    lend(
        patron,
        make_item(title="期限内の本", home_branch=central),
        central,
        due_on=today() + dt.timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        notices.notice_queue(patron=patron, kind=Notice.Kind.OVERDUE, item_count=1, branch=central)
    body = mail.outbox[0].body
    assert "延滞の本" in body and "期限内の本" not in body
    assert "1点が返却期限を過ぎています" in body


def _failing_send(errors: list[Exception]) -> Any:
    def send(self: EmailMessage, fail_silently: bool = False) -> int:
        if errors:
            raise errors.pop(0)
        mail.outbox.append(self)
        return 1

    return send


def test_transient_smtp_errors_are_retried_then_sent(central, monkeypatch, caplog) -> None:
    patron = make_patron(registered_branch=central)
    ready(patron, make_item(home_branch=central), central)
    notice = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.RESERVATION_READY,
        channel=Notice.Channel.EMAIL,
        created_on=today(),
        item_count=1,
    )
    errors: list[Exception] = [
        smtplib.SMTPServerDisconnected(f"lost {patron.email}"),
        ConnectionRefusedError(),
    ]
    monkeypatch.setattr(EmailMessage, "send", _failing_send(errors))
    with caplog.at_level(logging.INFO):
        tasks.send_notice.delay(notice.pk)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and len(mail.outbox) == 1
    assert "notice retry" in caplog.text
    assert patron.email not in caplog.text  # the SMTP error's text is never logged


def test_smtp_errors_after_the_last_retry_mark_the_notice_failed(central, monkeypatch, caplog) -> None:
    patron = make_patron(registered_branch=central)
    ready(patron, make_item(home_branch=central), central)
    notice = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.RESERVATION_READY,
        channel=Notice.Channel.EMAIL,
        created_on=today(),
        item_count=1,
    )

    def always_fails(self: EmailMessage, fail_silently: bool = False) -> int:
        raise smtplib.SMTPDataError(451, f"try later {patron.email}".encode())

    monkeypatch.setattr(EmailMessage, "send", always_fails)
    with caplog.at_level(logging.INFO):
        tasks.send_notice.delay(notice.pk)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED
    assert "notice failed after retries" in caplog.text
    assert patron.email not in caplog.text


def test_a_refused_recipient_fails_at_once(central, monkeypatch) -> None:
    patron = make_patron(registered_branch=central)
    ready(patron, make_item(home_branch=central), central)
    notice = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.RESERVATION_READY,
        channel=Notice.Channel.EMAIL,
        created_on=today(),
        item_count=1,
    )
    calls: list[int] = []

    def refused(self: EmailMessage, fail_silently: bool = False) -> int:
        calls.append(1)
        raise smtplib.SMTPRecipientsRefused({patron.email: (550, b"no such user")})

    monkeypatch.setattr(EmailMessage, "send", refused)
    tasks.send_notice.delay(notice.pk)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED and calls == [1]


# --- the overdue run ---------------------------------------------------------------------------


def test_overdue_run_queues_one_notice_per_patron_and_stamps_the_loans(central, kita) -> None:
    on = today()
    many = make_patron(registered_branch=kita, email="", phone="")
    for days in (3, 10):
        lend(many, make_item(home_branch=central), central, due_on=on - dt.timedelta(days=days))
    just_due = make_patron(email="", phone="")  # due today: not overdue yet
    lend(just_due, make_item(home_branch=central), central, due_on=on)
    one_day = make_patron(email="", phone="")  # overdue by 1 day = LOANS_OVERDUE_GRACE_DAYS
    lend(one_day, make_item(home_branch=central), central, due_on=on - dt.timedelta(days=1))
    recently = make_patron(email="", phone="")
    lend(
        recently,
        make_item(home_branch=central),
        central,
        due_on=on - dt.timedelta(days=9),
        reminded=on - dt.timedelta(days=2),
    )
    week_ago = make_patron(email="", phone="")
    lend(
        week_ago,
        make_item(home_branch=central),
        central,
        due_on=on - dt.timedelta(days=9),
        reminded=on - dt.timedelta(days=7),
    )

    assert notices.notices_queue_overdue(on=on) == 3
    queued = {n.patron_id: n for n in Notice.objects.all()}
    assert set(queued) == {many.pk, one_day.pk, week_ago.pk}
    assert queued[many.pk].item_count == 2 and queued[many.pk].branch == kita
    assert queued[many.pk].channel == Notice.Channel.POSTCARD and queued[many.pk].kind == Notice.Kind.OVERDUE
    assert set(Loan.objects.filter(patron=many).values_list("last_reminded_on", flat=True)) == {on}
    assert Loan.objects.get(patron=recently).last_reminded_on == on - dt.timedelta(days=2)
    # Idempotent for the day.
    assert notices.notices_queue_overdue(on=on) == 0
    event = AuditEvent.objects.get(action="notice.overdue_queue")
    assert event.detail == {"count": 3, "loans": 4} and event.patron_id is None


def test_overdue_grace_and_repeat_are_settings(central, settings) -> None:
    settings.LOANS_OVERDUE_GRACE_DAYS = 3
    on = today()
    patron = make_patron(email="", phone="")
    lend(patron, make_item(home_branch=central), central, due_on=on - dt.timedelta(days=2))
    assert notices.notices_queue_overdue(on=on) == 0
    assert notices.notices_queue_overdue(on=on + dt.timedelta(days=1)) == 1


# --- postcards ---------------------------------------------------------------------------------


def _postcard_patron(central: Branch, **kwargs: Any) -> Patron:
    return make_patron(registered_branch=central, email="", phone="", **kwargs)


def test_postcards_print_counts_places_and_dates_but_no_title(central, kita, counter_staff) -> None:
    patron = _postcard_patron(central, family_name="葛飾", given_name="北斎", address="あさひ市本町1-2-3")
    first = make_item(title="秘密の読書", barcode="1199000001", home_branch=central)
    second = make_item(title="もう一冊の秘密", barcode="1199000002", home_branch=central)
    ready(patron, first, kita, hold_days=5)
    ready(patron, second, kita, hold_days=7)
    notice = notices.notice_queue(
        patron=patron, kind=Notice.Kind.RESERVATION_READY, item_count=2, branch=kita
    )
    assert notice.channel == Notice.Channel.POSTCARD

    contacts, _moot = notices._contacts(notices.postcards_queued(), on=today())
    cards = [notices._postcard(c, on=today()) for c in contacts]
    html = render_to_string("loans/pdf/postcards.html", notices.postcards_context(cards, on=today()))
    assert "ご予約の資料が2点ご用意できました" in html
    assert "北分館" in html and "葛飾 北斎 様" in html and "あさひ市本町1-2-3" in html and "令和" in html
    for secret in ("秘密の読書", "もう一冊の秘密", "1199000001", "1199000002"):
        assert secret not in html

    batch = notices.notices_print_postcards(actor=counter_staff)
    assert batch is not None and batch.count == 1
    assert batch.pdf.startswith(b"%PDF")
    text = _pdf_text(batch.pdf)
    if text is not None:
        assert "北分館" in text
        assert "秘密" not in text and "1199000001" not in text
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PRINTED and notice.sent_at is not None
    event = AuditEvent.objects.get(action="notice.postcards_print")
    assert event.target_type == "notice" and event.patron_id is None
    assert event.detail == {"count": 1, "reprint": False, "skipped": 0}
    # Printed once: nothing queued now; a reprint renders the same card and changes nothing.
    assert notices.notices_print_postcards(actor=counter_staff) is None
    again = notices.notices_print_postcards(actor=counter_staff, reprint=True)
    assert again is not None and again.count == 1


def _pdf_text(pdf: bytes) -> str | None:
    """The PDF's text by pypdf if installed, else poppler's pdftotext; None if neither is (the
    rendered HTML is checked in any case)."""
    try:
        import io

        from pypdf import PdfReader

        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:
        pass
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S607
    return done.stdout.decode("utf-8")


def _media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    """Page sizes in points, from the PDF's (possibly compressed) object streams."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return [
        (float(w), float(h))
        for chunk in chunks
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", chunk)
    ]


def test_postcard_pages_are_hagaki_size(central, counter_staff) -> None:
    patron = _postcard_patron(central)
    lend(patron, make_item(home_branch=central), central, due_on=today() - dt.timedelta(days=4))
    notices.notice_queue(patron=patron, kind=Notice.Kind.OVERDUE, item_count=1, branch=central)
    other = _postcard_patron(central)
    lend(other, make_item(home_branch=central), central, due_on=today() - dt.timedelta(days=4))
    notices.notice_queue(patron=other, kind=Notice.Kind.OVERDUE, item_count=1, branch=central)
    batch = notices.notices_print_postcards(actor=counter_staff)
    assert batch is not None and batch.count == 2
    # 通常はがき 100mm × 148mm = 283.46pt × 419.53pt, one page per card.
    boxes = _media_boxes(batch.pdf)
    assert len(boxes) == 2
    for width, height in boxes:
        assert abs(width - 283.46) < 1 and abs(height - 419.53) < 1
    text = _pdf_text(batch.pdf)
    if text is not None:
        assert text.count("返却期限を過ぎた資料が1点あります") == 2


def test_overdue_postcard_says_how_many_and_to_the_guardian(central) -> None:
    kid = child(email="", phone="", guardian_name="山田 花子")
    for days in (2, 5):
        lend(
            kid,
            make_item(title="こっそり読んだ本", home_branch=central),
            central,
            due_on=today() - dt.timedelta(days=days),
        )
    notices.notice_queue(patron=kid, kind=Notice.Kind.OVERDUE, item_count=2, branch=central)
    contacts, _moot = notices._contacts(notices.postcards_queued(), on=today())
    html = render_to_string(
        "loans/pdf/postcards.html",
        notices.postcards_context([notices._postcard(c, on=today()) for c in contacts], on=today()),
    )
    assert "返却期限を過ぎた資料が2点あります" in html
    assert "保護者様" in html and "こっそり読んだ本" not in html


def test_printing_skips_and_deletes_notices_with_nothing_left(central, counter_staff) -> None:
    patron = _postcard_patron(central)
    notice = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.OVERDUE,
        channel=Notice.Channel.POSTCARD,
        created_on=today(),
        item_count=1,
    )  # the item came back before the batch was printed
    assert notices.notices_print_postcards(actor=counter_staff) is None
    assert not Notice.objects.filter(pk=notice.pk).exists()


# --- phone -------------------------------------------------------------------------------------


def _phone_notice(central: Branch, kind: str = Notice.Kind.RESERVATION_READY) -> Notice:
    patron = make_patron(registered_branch=central, email="", family_name="鈴木", given_name="一郎")
    ready(patron, make_item(title="電話では言わない本", home_branch=central), central)
    return notices.notice_queue(patron=patron, kind=kind, item_count=1, branch=central)


def test_phone_rows_carry_given_name_and_counts_only(central) -> None:
    notice = _phone_notice(central)
    assert notice.channel == Notice.Channel.PHONE
    (row,) = notices.phone_rows()
    assert row.given_name == "一郎" and row.count == 1 and row.phone == "046-223-0033"
    fields = {f for f in notices.PhoneRow.__dataclass_fields__}
    assert not fields & {"family_name", "full_name", "title", "titles", "barcode", "patron", "address"}


def test_called_marks_the_calls_and_cannot_be_repeated(central, counter_staff) -> None:
    notice = _phone_notice(central)
    assert notices.notice_record_called(actor=counter_staff, notice=notice) == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.CALLED
    event = AuditEvent.objects.get(action="notice.called")
    assert event.patron_id == notice.patron_id and event.detail == {"kind": notice.kind, "notices": 1}
    with pytest.raises(ValidationError):
        notices.notice_record_called(actor=counter_staff, notice=notice)


def test_not_reached_becomes_a_postcard(central, counter_staff) -> None:
    notice = _phone_notice(central)
    postcard = notices.notice_switch_to_postcard(actor=counter_staff, notice=notice)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED
    assert postcard.channel == Notice.Channel.POSTCARD and postcard.status == Notice.Status.QUEUED
    assert (
        postcard.item_count == 1 and postcard.kind == notice.kind and postcard.patron_id == notice.patron_id
    )
    with pytest.raises(ValidationError):
        notices.notice_switch_to_postcard(actor=counter_staff, notice=notice)


def test_failed_email_can_be_followed_by_one_postcard(central, counter_staff) -> None:
    patron = make_patron(registered_branch=central)
    ready(patron, make_item(home_branch=central), central)
    failed = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.RESERVATION_READY,
        channel=Notice.Channel.EMAIL,
        created_on=today(),
        item_count=1,
        status=Notice.Status.FAILED,
    )
    assert list(notices.failed_emails()) == [failed]
    notices.notice_switch_to_postcard(actor=counter_staff, notice=failed)
    assert not notices.failed_emails().exists()
    with pytest.raises(ValidationError):
        notices.notice_switch_to_postcard(actor=counter_staff, notice=failed)


def test_daily_tidy_discards_calls_with_nothing_to_tell(central) -> None:
    notice = _phone_notice(central)
    Reservation.objects.filter(patron_id=notice.patron_id).delete()  # picked up
    assert notices.phone_rows() == []
    assert notices.notices_discard_moot() == 1
    assert not Notice.objects.exists()


def test_stuck_emails_from_an_earlier_day_are_sent_again(central, monkeypatch) -> None:
    sent: list[Any] = []
    monkeypatch.setattr(tasks.send_notice, "delay", lambda *a: sent.append(a))
    patron = make_patron(registered_branch=central)
    old = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.OVERDUE,
        channel=Notice.Channel.EMAIL,
        created_on=today() - dt.timedelta(days=1),
        item_count=1,
    )
    Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.OVERDUE,
        channel=Notice.Channel.EMAIL,
        created_on=today(),
        item_count=1,
    )
    assert notices.notices_requeue_stuck_emails() == 1
    assert sent == [(old.pk,)]
