"""No notice leaves anything of itself in a log, stdout or stderr (architecture: the privacy invariant —
"not mail in a log"; issue 11).

Each channel is sent with every log record captured (every logger at DEBUG, the root included, and
``celery.redirected``, where a Celery worker puts whatever is printed to its stdout), with stdout and
stderr replaced by the worker's ``LoggingProxy`` as ``celery worker`` does, and with the file
descriptors captured too (``capfd``). Then no name, title, address, e-mail address, phone number or
card number may appear in any of it. E-mail goes once to the development outbox (``make run``) and
once by SMTP to a fake server under production settings (DEBUG off); a control proves that the
capture finds a leak when there is one (the console backend, as before issue 11).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import socketserver
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from celery.utils.log import LoggingProxy
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from loans import notices
from loans.models import Item, Loan, Notice, Reservation
from loans.services import reservation_mark_ready
from patrons.models import Branch, Patron
from privacy_admin.devmail.outbox import outbox_list, outbox_message
from tests.factories import make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db

OUTBOX = "privacy_admin.devmail.backend.OutboxEmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
TITLE = "誰にも知られたくない秘密の本"


def today() -> dt.date:
    return timezone.localdate()


# --- capture -----------------------------------------------------------------------------------------


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []
        self._formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        parts = [str(record.msg), repr(record.args)]
        # The message, and the traceback if any (a broken format string is not what this is about).
        with contextlib.suppress(Exception):
            parts.append(self._formatter.format(record))
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(repr(record.exc_info[1]))
        standard = logging.makeLogRecord({}).__dict__
        parts += [repr(v) for k, v in record.__dict__.items() if k not in standard and k != "message"]
        self.texts.append(f"[{record.name}] " + "\n".join(parts))


@dataclass
class Captured:
    records: list[str] = field(default_factory=list)
    out: str = ""
    err: str = ""

    def everything(self) -> str:
        return "\n".join([*self.records, self.out, self.err])

    def leaks(self, secrets: list[str]) -> list[str]:
        text = self.everything()
        return [s for s in secrets if s in text]


@contextlib.contextmanager
def captured(capfd: pytest.CaptureFixture[str]) -> Iterator[Captured]:
    """Every record of every logger at DEBUG; stdout and stderr through Celery's LoggingProxy (as in a
    worker, into ``celery.redirected``); and whatever reaches file descriptors 1 and 2."""
    capfd.readouterr()
    recorder = Recorder()
    names = ["", "celery", "celery.redirected", "django", "loans", "patrons", "privacy_admin", "weasyprint"]
    loggers = {logging.getLogger(n) for n in names}
    loggers |= {
        lg
        for lg in logging.Logger.manager.loggerDict.values()
        if isinstance(lg, logging.Logger) and not lg.propagate
    }
    levels = {lg: lg.level for lg in loggers}
    for lg in loggers:
        lg.addHandler(recorder)
        lg.setLevel(logging.DEBUG)
    redirected = logging.getLogger("celery.redirected")
    result = Captured()
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = LoggingProxy(redirected, logging.WARNING)
    sys.stderr = LoggingProxy(redirected, logging.WARNING)
    try:
        yield result
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        for lg, level in levels.items():
            lg.removeHandler(recorder)
            lg.setLevel(level)
        result.records = recorder.texts
        result.out, result.err = capfd.readouterr()


# --- a fake SMTP server ------------------------------------------------------------------------------


class _SMTPHandler(socketserver.StreamRequestHandler):
    server: SMTPServer

    def _say(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")

    def handle(self) -> None:
        self._say(b"220 fake ESMTP")
        data: list[bytes] | None = None
        while line := self.rfile.readline():
            if data is not None:
                if line.rstrip(b"\r\n") == b".":
                    self.server.messages.append(b"".join(data))
                    data = None
                    self._say(b"250 OK")
                else:
                    data.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self._say(b"250-fake")
                self._say(b"250 8BITMIME")
            elif verb == b"DATA":
                data = []
                self._say(b"354 go ahead")
            elif verb == b"QUIT":
                self._say(b"221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self._say(b"250 OK")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list[bytes] = []


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def production_mail(settings, smtp_server: SMTPServer) -> SMTPServer:
    """Production settings as docker-compose sets them, with the fake server as the SMTP relay."""
    settings.DEBUG = False
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.server_address[1]
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False  # the fake server speaks plain SMTP
    settings.EMAIL_USE_SSL = False
    return smtp_server


@pytest.fixture
def outbox(settings, tmp_path: Path) -> Path:
    settings.EMAIL_BACKEND = OUTBOX
    settings.EMAIL_OUTBOX_DIR = tmp_path / "outbox"
    return settings.EMAIL_OUTBOX_DIR


# --- people and items (made before the capture starts: factory_boy narrates at DEBUG) ----------------


def secret_patron(branch: Branch, **kwargs: object) -> Patron:
    defaults: dict[str, object] = {
        "family_name": "秘密川",
        "given_name": "澄香",
        "family_name_kana": "ヒミツガワ",
        "given_name_kana": "スミカ",
        "address": "あさひ市秘密町九丁目8-7",
        "phone": "046-987-6543",
        "email": "sumika.himitsugawa@example.jp",
        "registered_branch": branch,
    }
    return make_patron(**(defaults | kwargs))


def secrets_of(patron: Patron, *items: Item) -> list[str]:
    values = [
        patron.family_name,
        patron.given_name,
        patron.full_name,
        patron.family_name_kana,
        patron.address,
        patron.email,
        patron.phone,
        patron.card_number,
    ]
    for item in items:
        values += [item.title, item.barcode]
    return [v for v in values if v]


def in_transit(patron: Patron, item: Item, branch: Branch) -> Reservation:
    item.status = Item.Status.IN_TRANSIT
    item.save(update_fields=["status"])
    return Reservation.objects.create(
        item=item,
        patron=patron,
        pickup_branch=branch,
        status=Reservation.Status.IN_TRANSIT,
        reserved_at=timezone.now() - dt.timedelta(days=3),
    )


def overdue_loan(patron: Patron, item: Item, branch: Branch) -> Loan:
    return Loan.objects.create(
        item=item,
        patron=patron,
        branch=branch,
        lent_at=timezone.now() - dt.timedelta(days=30),
        due_on=today() - dt.timedelta(days=10),
    )


def mark_ready(actor: Any, reservation: Reservation, commit_callbacks) -> None:
    """The counter puts the item on the hold shelf; after commit the notice is queued and the
    ``send_notice`` task runs (eagerly here, in a worker in production)."""
    with commit_callbacks(execute=True):
        reservation_mark_ready(actor=actor, reservation=reservation)


# --- e-mail ------------------------------------------------------------------------------------------


def test_reservation_ready_under_production_settings_leaves_nothing_in_logs_or_stdout(
    production_mail: SMTPServer, counter_staff, central, capfd, django_capture_on_commit_callbacks
) -> None:
    patron = secret_patron(central)
    item = make_item(title=TITLE, home_branch=central)
    reservation = in_transit(patron, item, central)
    with captured(capfd) as capture:
        mark_ready(counter_staff, reservation, django_capture_on_commit_callbacks)
    # The e-mail did go out, by SMTP, with the name and the title in it ...
    (delivered,) = production_mail.messages
    assert patron.email.encode() in delivered
    assert Notice.objects.get(patron=patron).status == Notice.Status.SENT
    # ... and nothing of it is in any log record, stdout or stderr.
    assert capture.records, "the capture saw nothing: it is not connected"
    assert capture.leaks(secrets_of(patron, item)) == []


def test_reservation_ready_in_development_goes_to_the_outbox_only(
    outbox: Path, counter_staff, central, capfd, django_capture_on_commit_callbacks
) -> None:
    patron = secret_patron(central)
    item = make_item(title=TITLE, home_branch=central)
    reservation = in_transit(patron, item, central)
    with captured(capfd) as capture:
        mark_ready(counter_staff, reservation, django_capture_on_commit_callbacks)
    assert capture.leaks(secrets_of(patron, item)) == []
    (entry,), _total = outbox_list(limit=5)
    message = outbox_message(entry.id)
    assert message is not None and TITLE in message.body and patron.full_name in message.body


def test_guardian_email_leaves_nothing_in_logs(
    production_mail: SMTPServer, counter_staff, central, capfd, django_capture_on_commit_callbacks
) -> None:
    on = today()
    child = secret_patron(
        central,
        birth_date=on.replace(year=on.year - 8) - dt.timedelta(days=30),
        guardian_name="秘密川 保護者",
    )
    item = make_item(title=TITLE, home_branch=central)
    reservation = in_transit(child, item, central)
    with captured(capfd) as capture:
        mark_ready(counter_staff, reservation, django_capture_on_commit_callbacks)
    assert len(production_mail.messages) == 1
    assert capture.leaks([*secrets_of(child, item), "秘密川 保護者"]) == []


def test_overdue_email_leaves_nothing_in_logs(
    production_mail: SMTPServer, central, capfd, django_capture_on_commit_callbacks
) -> None:
    patron = secret_patron(central)
    item = make_item(title=TITLE, home_branch=central)
    overdue_loan(patron, item, central)
    with captured(capfd) as capture, django_capture_on_commit_callbacks(execute=True):
        assert notices.notices_queue_overdue() == 1
    (delivered,) = production_mail.messages
    assert patron.email.encode() in delivered
    assert capture.leaks(secrets_of(patron, item)) == []


def test_a_refused_recipient_leaves_no_address_in_logs(
    production_mail: SMTPServer, central, capfd, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    import smtplib

    patron = secret_patron(central)
    item = make_item(title=TITLE, home_branch=central)
    overdue_loan(patron, item, central)

    def refuse(self: object, messages: object) -> int:
        raise smtplib.SMTPRecipientsRefused({patron.email: (550, f"<{patron.email}> no such user".encode())})

    monkeypatch.setattr("django.core.mail.backends.smtp.EmailBackend.send_messages", refuse)
    with captured(capfd) as capture, django_capture_on_commit_callbacks(execute=True):
        notices.notices_queue_overdue()
    assert Notice.objects.get(patron=patron).status == Notice.Status.FAILED
    assert capture.leaks(secrets_of(patron, item)) == []


def test_a_dead_smtp_server_leaves_no_address_in_logs(
    settings, central, capfd, django_capture_on_commit_callbacks
) -> None:
    settings.DEBUG = False
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # discard: refused
    patron = secret_patron(central)
    item = make_item(title=TITLE, home_branch=central)
    overdue_loan(patron, item, central)
    with captured(capfd) as capture, django_capture_on_commit_callbacks(execute=True):
        notices.notices_queue_overdue()
    # Eagerly, the retries run at once and the last one gives up; each logged the error's class only.
    assert Notice.objects.get(patron=patron).status == Notice.Status.FAILED
    assert any("ConnectionRefusedError" in text for text in capture.records)
    assert capture.leaks(secrets_of(patron, item)) == []


# --- postcards and the phone sheet ---------------------------------------------------------------------


def test_postcard_batch_leaves_nothing_in_logs(login, counter_staff, central, capfd) -> None:
    patron = secret_patron(central, email="", phone="")
    item = make_item(title=TITLE, home_branch=central)
    overdue_loan(patron, item, central)
    Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.OVERDUE,
        channel=Notice.Channel.POSTCARD,
        created_on=today(),
        item_count=1,
        branch=central,
    )
    client = login(counter_staff)
    with captured(capfd) as capture:
        response = client.post(reverse("loans:postcards_pdf"), {"branch": central.code})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert capture.records
    assert capture.leaks(secrets_of(patron, item)) == []


def test_phone_sheet_leaves_nothing_in_logs(login, counter_staff, central, capfd) -> None:
    patron = secret_patron(central, email="")
    item = make_item(title=TITLE, home_branch=central)
    Reservation.objects.create(
        item=item,
        patron=patron,
        pickup_branch=central,
        status=Reservation.Status.READY,
        reserved_at=timezone.now() - dt.timedelta(days=5),
        ready_on=today(),
        hold_until=today() + dt.timedelta(days=7),
    )
    notice = Notice.objects.create(
        patron=patron,
        kind=Notice.Kind.RESERVATION_READY,
        channel=Notice.Channel.PHONE,
        created_on=today(),
        item_count=1,
        branch=central,
    )
    client = login(counter_staff)
    with captured(capfd) as capture:
        for query in ("", f"?branch={central.code}"):
            response = client.get(reverse("loans:phone_sheet") + query)
            assert response.status_code == 200
            assert patron.given_name in response.content.decode()  # the sheet shows it; the logs do not
        client.post(reverse("loans:notice_called", args=[notice.pk]), {"branch": central.code})
    assert capture.leaks(secrets_of(patron, item)) == []


# --- the control: the capture does find a leak ---------------------------------------------------------


def test_control_console_mail_in_a_worker_lands_in_celery_redirected(
    settings, counter_staff, central, capfd, django_capture_on_commit_callbacks
) -> None:
    """Before issue 11: the console backend printed every e-mail, and the worker logged it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    patron = secret_patron(central)
    item = make_item(title=TITLE, home_branch=central)
    reservation = in_transit(patron, item, central)
    with captured(capfd) as capture:
        mark_ready(counter_staff, reservation, django_capture_on_commit_callbacks)
    assert any(text.startswith("[celery.redirected]") and TITLE in text for text in capture.records)
    assert patron.email in capture.leaks(secrets_of(patron, item))
    assert mail.outbox == []
