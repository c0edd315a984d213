"""The patron's own password reset by link (要綱 第8条3: only the registered e-mail address receives it;
issue 14 §5).

1. ``request_patron_password_reset`` — card number and e-mail. When they match an active patron's
   registered address, a link is mailed to that address; otherwise nothing is sent. The caller learns
   nothing either way (the function returns None), so a page can answer the same whatever matched.
2. ``complete_patron_password_reset`` — the token from the link and a new password.

The token is ``<public_id>-<time>-<mac>``: the patron's random public id (never the card number or
e-mail), when it was made, and an HMAC (SECRET_KEY) over the patron's id, current password hash,
e-mail and status and that time. Nothing is stored. It is valid for ``PATRON_PASSWORD_RESET_MINUTES``
(30) and once only: setting the password changes the hash the MAC covers, so every link sent before
dies with the first use — as does any link once the e-mail address or the patron's status changes.

The mail goes from a Celery task that takes the patron's id only (architecture: ids in task
arguments); the task makes the token when it sends.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36
from django.utils.translation import gettext as _

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core import hooks
from privacy_admin.dispatch.services import dispatch_on_commit

from ..models import Patron, PatronStatus
from ._common import _audit_patron
from .validation import _Clean, _clean_password, is_card_number_shape

KEY_SALT = "patrons.services.password_reset"
SEND_TASK = "patrons.tasks.send_password_reset_link"
_TOKEN = re.compile(r"^([0-9a-f]{32})-([0-9a-z]{1,13})-([0-9a-f]{32})$")


def reset_minutes() -> int:
    return int(getattr(settings, "PATRON_PASSWORD_RESET_MINUTES", 30))


def invalid_link_message() -> str:
    return _(
        "このリンクは無効です。有効期限（%(minutes)d分）が過ぎたか、すでに使われたか、正しくコピーされて"
        "いない可能性があります。お手数ですが、もう一度パスワードの再設定を申し込んでください。"
    ) % {"minutes": reset_minutes()}


def _mac(patron: Patron, timestamp: int) -> str:
    value = f"{patron.pk}|{patron.password}|{patron.email}|{patron.status}|{timestamp}"
    return salted_hmac(KEY_SALT, value, algorithm="sha256").hexdigest()[::2]


def make_token(patron: Patron, *, now: dt.datetime | None = None) -> str:
    timestamp = int((now or timezone.now()).timestamp())
    return f"{patron.public_id.hex}-{int_to_base36(timestamp)}-{_mac(patron, timestamp)}"


def _patron_for_token(token: str, *, now: dt.datetime, lock: bool = False) -> Patron | None:
    match = _TOKEN.match(token or "") if isinstance(token, str) and len(token) <= 100 else None
    if match is None:
        return None
    public_id, ts36, mac = match.groups()
    try:
        timestamp = base36_to_int(ts36)
    except ValueError:
        return None
    age = now.timestamp() - timestamp
    if age < 0 or age > reset_minutes() * 60:
        return None
    patrons = Patron.objects.select_for_update() if lock else Patron.objects.all()
    patron = patrons.filter(public_id=public_id, status=PatronStatus.ACTIVE).exclude(email="").first()
    if patron is None or not constant_time_compare(_mac(patron, timestamp), mac):
        return None
    return patron


def patron_password_reset_token_valid(*, token: str, now: dt.datetime | None = None) -> bool:
    """Whether the link's token can still be used (the page shows the form, or says it cannot)."""
    return _patron_for_token(token, now=now or timezone.now()) is not None


def request_patron_password_reset(*, card_number: str, email: str) -> None:
    """要綱 第8条3: mail a one-time link to the registered address when card number and e-mail match.

    Returns nothing, whatever matched: the caller must answer the same. The access-log event says
    only whether it matched (with the patron's internal id when it did).
    """
    card = (card_number or "").strip()
    mail = (email or "").strip()
    with transaction.atomic():
        patron = (
            Patron.objects.filter(card_number=card, status=PatronStatus.ACTIVE).exclude(email="").first()
            if is_card_number_shape(card) and mail and "\x00" not in mail and len(mail) <= 254
            else None
        )
        if patron is None or patron.email.casefold() != mail.casefold():
            audit_record(
                actor=None,
                action="patron.password_reset_requested",
                target_type="patron",
                outcome=Outcome.FAILURE,
                detail={"matched": False},
            )
            return
        _audit_patron(
            actor=None, action="patron.password_reset_requested", patron=patron, detail={"matched": True}
        )
        dispatch_on_commit(SEND_TASK, patron.pk)


def _base_url() -> str:
    return str(getattr(settings, "PUBLIC_BASE_URL", "http://localhost:8000")).rstrip("/")


def patron_password_reset_link_send(*, patron_id: int, now: dt.datetime | None = None) -> bool:
    """Mail the link to the patron's registered address (the Celery task). False when there is no
    longer anyone to send it to (cancelled, address removed)."""
    patron = Patron.objects.filter(pk=patron_id, status=PatronStatus.ACTIVE).exclude(email="").first()
    if patron is None:
        return False
    token = make_token(patron, now=now)
    link = _base_url() + reverse("patrons:password_reset_confirm", kwargs={"token": token})
    body = render_to_string(
        "patrons/emails/password_reset.txt",
        {
            "library_name": settings.LIBRARY_NAME,
            "link": link,
            "minutes": reset_minutes(),
            "contact": getattr(settings, "LOANS_NOTICE_CONTACT", ""),
        },
    )
    # The subject and body never carry the card number or the name: only the link.
    EmailMessage(
        subject=_("【%(library)s】パスワード再設定のご案内") % {"library": settings.LIBRARY_NAME},
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[patron.email],
    ).send(fail_silently=False)
    return True


def complete_patron_password_reset(*, token: str, new_password: str, now: dt.datetime | None = None) -> None:
    """Set the new password through the link's token; the token (and every earlier link) then dies.

    ``ValidationError`` keyed ``token`` (invalid, expired or used) or ``password`` (too weak), with
    nothing changed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        patron = _patron_for_token(token, now=now, lock=True)
        if patron is None:
            check_password(new_password or "", make_password(None))  # comparable time
            audit_record(
                actor=None,
                action="patron.password_reset_completed",
                target_type="patron",
                outcome=Outcome.FAILURE,
                detail={"valid_link": False},
            )
            raise ValidationError({"token": [invalid_link_message()]})
        clean = _Clean()
        _clean_password(clean, new_password, card_hint=patron.card_number)
        if clean.errors or not new_password:
            raise ValidationError(
                {"password": clean.errors.get("password") or [_("新しいパスワードを入力してください。")]}
            )
        patron.password = make_password(new_password)
        patron.save(update_fields=["password", "updated_at"])
        # What only the old password unlocked (the patron's reading history) can no longer be read:
        # it is erased in this transaction (issue 16).
        hooks.call(hooks.PATRON_PASSWORD_REPLACED, patron.pk)
        _audit_patron(
            actor=None, action="patron.password_reset_completed", patron=patron, detail={"valid_link": True}
        )
