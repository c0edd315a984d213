"""Every write the patron makes at マイページ (issue 16). Keyword-only, each in ``transaction.atomic()``
with its access-log event, the patron as actor (role "patron", ``AuditContext.patron_actor``): the
patron acts only on their own data, so the event's patron is the actor.

Reservations and their cancellation go through ``loans.services`` (cancellation erases the row at once
through ``loans.erasure``, 市川市 方針 第3(3)); the reading history's keys and entries through
``mypage.history``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Iterator
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from disclosure_requests.services.online import online_application_submit
from loans import erasure_ledger
from loans.models import Item, Loan, Reservation
from loans.services import reservation_cancel, reservation_create
from patrons.models import Patron, PatronStatus
from patrons.services.validation import (
    _Clean,
    _clean_email,
    _clean_password,
    _clean_phone,
    is_card_number_shape,
)
from privacy_admin.audit.context import get_context, reset_context, set_context
from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.dates import today

from . import history, selectors
from .models import HistoryEntry, HistoryKey, NoticeChannel, NoticePreference, SignInFailure

# --- signing in ------------------------------------------------------------------------------------


class SignInRefused(Exception):
    def __init__(self, message: str, *, locked: bool = False) -> None:
        super().__init__("sign-in refused")
        self.message = message
        self.locked = locked


@contextlib.contextmanager
def as_patron(patron_id: int) -> Iterator[None]:
    """Record the events inside with the patron as actor (0: someone at the patron's door)."""
    token = set_context(dataclasses.replace(get_context(), patron_actor=patron_id))
    try:
        yield
    finally:
        reset_context(token)


def _digest(kind: str, value: str) -> str:
    # Counted by an HMAC: the table and any log hold neither the card number nor the address.
    return salted_hmac(f"mypage.sign_in.{kind}", value, algorithm="sha256").hexdigest()


def _failures(kind: str, digest: str) -> int:
    since = timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    return SignInFailure.objects.filter(kind=kind, digest=digest, failed_at__gte=since).count()


def bad_credentials_message() -> str:
    return _("利用者番号またはパスワードが正しくありません。")


def locked_message() -> str:
    return _(
        "ログインに続けて失敗したため、しばらくログインできません。時間をおいてやり直すか、"
        "パスワードを忘れた場合は再設定してください。"
    )


def normalize_card(raw: object) -> str:
    if not isinstance(raw, str):
        return ""
    return unicodedata.normalize("NFKC", raw).replace("-", "").replace(" ", "").strip()[:32]


def patron_sign_in(*, card_number: str, password: str, ip: str | None, on: dt.date | None = None) -> Patron:
    """厚木市 要綱 第8条: card number and the patron's password. Locked like staff sign-in: after
    ``ACCOUNT_LOCKOUT_FAILURES`` failures for one card (from any address) or
    ``ADDRESS_LOCKOUT_FAILURES`` from one address (over any cards), for ``AXES_COOLOFF_HOURS``.
    Every attempt is in the access log, with no personal data in its detail."""
    on = on or today()
    card = normalize_card(card_number)
    password = password if isinstance(password, str) else ""
    card_key = _digest("card", card)
    address_key = _digest("address", ip or "")
    locked = _failures(SignInFailure.Kind.CARD, card_key) >= int(settings.ACCOUNT_LOCKOUT_FAILURES) or (
        bool(ip)
        and _failures(SignInFailure.Kind.ADDRESS, address_key) >= int(settings.ADDRESS_LOCKOUT_FAILURES)
    )
    patron = (
        Patron.objects.filter(card_number=card, status=PatronStatus.ACTIVE).first()
        if is_card_number_shape(card)
        else None
    )
    if locked:
        with as_patron(0):
            audit_record(
                standalone=True,
                actor=None,
                action="mypage.sign_in",
                target_type="patron",
                outcome=Outcome.DENIED,
                detail={"reason": "locked"},
            )
        raise SignInRefused(locked_message(), locked=True)
    if patron is None or not patron.password or len(password) > 128:
        check_password(password[:128], make_password(None))  # the same time whatever matched
        ok = False
    else:
        ok = check_password(password, patron.password)
    with transaction.atomic(), as_patron(patron.pk if ok and patron else 0):
        if not ok:
            now = timezone.now()
            SignInFailure.objects.bulk_create(
                [
                    SignInFailure(kind=SignInFailure.Kind.CARD, digest=card_key, failed_at=now),
                    *(
                        [SignInFailure(kind=SignInFailure.Kind.ADDRESS, digest=address_key, failed_at=now)]
                        if ip
                        else []
                    ),
                ]
            )
            audit_record(
                actor=None,
                action="mypage.sign_in",
                target_type="patron",
                outcome=Outcome.FAILURE,
                detail={"reason": "bad_credentials"},
            )
        else:
            assert patron is not None
            SignInFailure.objects.filter(kind=SignInFailure.Kind.CARD, digest=card_key).delete()
            expired = patron.expires_on < on
            audit_record(
                actor=None,
                action="mypage.sign_in",
                target_type="patron",
                target_id=patron.pk,
                patron_id=patron.pk,
                outcome=Outcome.DENIED if expired else Outcome.SUCCESS,
                detail={"reason": "expired"} if expired else {},
            )
    if not ok:
        raise SignInRefused(bad_credentials_message())
    assert patron is not None
    if patron.expires_on < on:
        raise SignInRefused(
            _("登録の有効期限が切れています。窓口で更新の手続きをしてください（厚木市 要綱第9条）。")
        )
    return patron


def patron_sign_out(*, patron: Patron) -> None:
    audit_record(
        standalone=True,
        actor=None,
        action="mypage.sign_out",
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
    )


def history_kek_at_sign_in(*, patron: Patron, password: str) -> bytes | None:
    """The KEK for the patron's cookie when the patron keeps a reading history (else None)."""
    if not history.available():
        return None
    key = HistoryKey.objects.filter(patron_id=patron.pk).first()
    if key is None:
        return None
    kek = history.derive_kek(password, bytes(key.salt), time_cost=key.time_cost, memory_kib=key.memory_kib)
    return kek if history.unwrap(bytes(key.wrapped_private_key), kek) is not None else None


def _patron_event(patron: Patron, action: str, **detail: int | str | list[str]) -> None:
    audit_record(
        actor=None,
        action=action,
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
        detail=dict(detail),
    )


# --- loans and reservations --------------------------------------------------------------------------


def renewal_refusal(loan: Loan, *, waiting: bool, on: dt.date) -> str:
    """Why ``loan`` cannot be renewed today ('' when it can). Rules as settings: LOANS_PERIOD_DAYS
    from today, at most LOANS_MAX_RENEWALS times, never overdue, never while a reservation waits."""
    if waiting:
        return _("この資料を待っている予約があるため、延長できません。")
    if loan.due_on < on:
        return _("返却期限を過ぎているため延長できません。お早めにご返却ください。")
    period = int(settings.LOANS_PERIOD_DAYS)
    new_due = on + dt.timedelta(days=period)
    lent_on = timezone.localdate(loan.lent_at)
    limit = lent_on + dt.timedelta(days=period * (1 + int(settings.LOANS_MAX_RENEWALS)))
    if new_due > limit:
        return _("延長できる回数（%(n)d回）を超えています。") % {"n": int(settings.LOANS_MAX_RENEWALS)}
    if new_due <= loan.due_on:
        return _("今延長しても返却期限は変わりません。")
    return ""


def loan_renew(*, patron: Patron, loan_id: int, on: dt.date | None = None) -> Loan:
    """Renew one of the patron's own loans (市川市 方針 別表1: web services with ID and password)."""
    on = on or today()
    with transaction.atomic():
        loan = Loan.objects.select_for_update(of=("self",)).filter(pk=loan_id, patron_id=patron.pk).first()
        if loan is None:
            raise Http404(_("見つかりません。"))
        waiting = Reservation.objects.filter(item_id=loan.item_id).exists()
        why = renewal_refusal(loan, waiting=waiting, on=on)
        if why:
            raise ValidationError({"__all__": [why]})
        loan.due_on = on + dt.timedelta(days=int(settings.LOANS_PERIOD_DAYS))
        loan.save(update_fields=["due_on"])
        # Names the patron, never the item (an event may name one or the other).
        _patron_event(patron, "mypage.loan_renew")
    return loan


def patron_reserve(*, patron: Patron, item_id: int, pickup_branch_code: str) -> Reservation:
    """Reserve from the web (方針 別表1), through the counter's own service and its rules."""
    barcode = selectors.item_barcode(item_id)
    return reservation_create(
        actor=None, card_number=patron.card_number, barcode=barcode, pickup_branch_code=pickup_branch_code
    )


def patron_cancel_reservation(*, patron: Patron, reservation_id: int) -> None:
    """Cancel one's own reservation: erased at once (方針 第3(3)); another's answers 404."""
    reservation_cancel(actor=None, reservation=selectors.my_reservation(patron, reservation_id))


# --- registered data, password, notices --------------------------------------------------------------


def patron_update_contact(*, patron: Patron, phone: str, email: str) -> list[str]:
    """Contact data the patron may change (電話番号, 電子メールアドレス); identity data only at the
    counter with a document (要綱 第10条). Returns the fields changed."""
    clean = _Clean()
    _clean_phone(clean, phone)
    _clean_email(clean, email)
    clean.raise_if_any()
    changes = {k: v for k, v in clean.values.items() if getattr(patron, k) != v}
    if not changes:
        return []
    with transaction.atomic():
        for key, value in changes.items():
            setattr(patron, key, value)
        patron._change_reason = "mypage"  # type: ignore[attr-defined]
        patron.save(update_fields=[*changes, "updated_at"])
        _patron_event(patron, "mypage.contact_update", fields=sorted(changes))
    return sorted(changes)


def patron_change_password(*, patron: Patron, current_password: str, new_password: str) -> bytes | None:
    """要綱 第8条: the patron changes their own password. The reading history's key is wrapped again
    under the new password (nothing is lost). Returns the new KEK for the cookie, when there is one."""
    if not patron.password or not check_password(current_password or "", patron.password):
        raise ValidationError({"current_password": [_("現在のパスワードが正しくありません。")]})
    clean = _Clean()
    _clean_password(clean, new_password, card_hint=patron.card_number)
    if not new_password:
        clean.add("password", _("新しいパスワードを入力してください。"))
    clean.raise_if_any()
    new_kek: bytes | None = None
    with transaction.atomic():
        key = HistoryKey.objects.select_for_update().filter(patron_id=patron.pk).first()
        if key is not None:
            old_kek = history.derive_kek(
                current_password, bytes(key.salt), time_cost=key.time_cost, memory_kib=key.memory_kib
            )
            private = history.unwrap(bytes(key.wrapped_private_key), old_kek)
            if private is None:  # cannot happen unless the row was tampered with: start over
                _erase_history(patron.pk)
            else:
                wrapped, salt, new_kek, time_cost, memory_kib = history.rewrap(private, new_password)
                key.wrapped_private_key, key.salt = wrapped, salt
                key.time_cost, key.memory_kib = time_cost, memory_kib
                key.save()
        patron.password = make_password(new_password)
        patron.save(update_fields=["password", "updated_at"])
        _patron_event(patron, "mypage.password_change")
    return new_kek


def patron_set_notice_channel(*, patron: Patron, channel: str) -> None:
    """The channel the patron prefers. Whatever the channel, titles go only by e-mail and a phone call
    gives only the given name and the number of items (方針 第3(7)(8), loans.notices)."""
    if channel not in ("", *NoticeChannel.values):
        raise ValidationError({"channel": [_("通知の方法を一覧から選んでください。")]})
    if channel == NoticeChannel.EMAIL and not patron.email:
        raise ValidationError(
            {"channel": [_("電子メールアドレスが登録されていません。先に登録してください。")]}
        )
    if channel == NoticeChannel.PHONE and not patron.phone:
        raise ValidationError({"channel": [_("電話番号が登録されていません。先に登録してください。")]})
    with transaction.atomic():
        if channel:
            NoticePreference.objects.update_or_create(patron_id=patron.pk, defaults={"channel": channel})
        else:
            NoticePreference.objects.filter(patron_id=patron.pk).delete()
        _patron_event(patron, "mypage.notice_channel", channel=channel or "default")


def notice_channel_preference(patron: Patron) -> str | None:
    """The hook ``NOTICE_CHANNEL_PREFERENCE`` (loans.notices asks it)."""
    return NoticePreference.objects.filter(patron_id=patron.pk).values_list("channel", flat=True).first()


# --- the reading history -------------------------------------------------------------------------------


def _not_offered() -> ValidationError:
    return ValidationError({"__all__": [_("この図書館では読書記録のサービスを行っていません。")]})


def _erase_history(patron_id: int) -> int:
    """Delete every entry and the key; the ids go to the erasure ledger after commit, so that a
    restored backup loses them again (loans.erasure.replay)."""
    ids = list(HistoryEntry.objects.filter(patron_id=patron_id).values_list("pk", flat=True))
    if ids:
        HistoryEntry.objects.filter(pk__in=ids).delete()
        transaction.on_commit(partial(erasure_ledger.append_safely, HistoryEntry._meta.db_table, ids))
    HistoryKey.objects.filter(patron_id=patron_id).delete()
    return len(ids)


def history_enable(*, patron: Patron, password: str) -> bytes:
    """Opt in (off by default; JLA 2019: only with the patron's consent). Needs the password: the
    private key is wrapped by a key derived from it. Returns the KEK for the patron's cookie."""
    if not history.available():
        raise _not_offered()
    if not patron.password or not check_password(password or "", patron.password):
        raise ValidationError({"password": [_("パスワードが正しくありません。")]})
    with transaction.atomic():
        existing = HistoryKey.objects.select_for_update().filter(patron_id=patron.pk).first()
        if existing is not None:
            kek = history.derive_kek(
                password, bytes(existing.salt), time_cost=existing.time_cost, memory_kib=existing.memory_kib
            )
            return kek
        public, wrapped, salt, kek, time_cost, memory_kib = history.new_key_material(password)
        HistoryKey.objects.create(
            patron_id=patron.pk,
            public_key=public,
            wrapped_private_key=wrapped,
            salt=salt,
            time_cost=time_cost,
            memory_kib=memory_kib,
        )
        _patron_event(patron, "mypage.history_enable")
    return kek


def history_disable(*, patron: Patron) -> int:
    """Opt out: everything is erased at once (墨田区, 目黒区). Returns the number of entries erased."""
    with transaction.atomic():
        erased = _erase_history(patron.pk)
        _patron_event(patron, "mypage.history_disable", erased=erased)
    return erased


def history_delete_entry(*, patron: Patron, entry_id: int) -> None:
    with transaction.atomic():
        deleted, _by_model = HistoryEntry.objects.filter(pk=entry_id, patron_id=patron.pk).delete()
        if not deleted:
            raise Http404(_("見つかりません。"))
        transaction.on_commit(partial(erasure_ledger.append_safely, HistoryEntry._meta.db_table, [entry_id]))
        _patron_event(patron, "mypage.history_delete", count=1)


def history_delete_all(*, patron: Patron) -> int:
    with transaction.atomic():
        ids = list(HistoryEntry.objects.filter(patron_id=patron.pk).values_list("pk", flat=True))
        HistoryEntry.objects.filter(pk__in=ids).delete()
        if ids:
            transaction.on_commit(partial(erasure_ledger.append_safely, HistoryEntry._meta.db_table, ids))
        _patron_event(patron, "mypage.history_delete", count=len(ids))
    return len(ids)


def history_record_return(loan_id: int, on: dt.date) -> None:
    """The hook ``LOAN_RETURNED``, called by the returned-loan erasure rule in the return's transaction
    before the loan row goes. Adds the title and the date sealed to the patron's public key; the
    server cannot read what it writes. Its own savepoint: the entry's row gets a transaction id of
    its own, not the one that wrote the item (tests/loans/test_privacy_invariant.py)."""
    if not history.available():
        return
    row = Loan.objects.filter(pk=loan_id).values_list("patron_id", "item_id").first()
    if row is None:
        return
    patron_id, item_id = row
    key = HistoryKey.objects.filter(patron_id=patron_id).values_list("public_key", flat=True).first()
    if key is None:
        return
    title = Item.objects.filter(pk=item_id).values_list("title", flat=True).first() or ""
    sealed = history.seal_entry(bytes(key), title=title, returned_on=on)
    with transaction.atomic():
        HistoryEntry.objects.create(patron_id=patron_id, sealed=sealed)


def history_erase_on_password_replaced(patron_id: int) -> None:
    """The hook ``PATRON_PASSWORD_REPLACED``: a reset (by link or at the counter) sets a password
    without the old one, so the old key cannot be unwrapped any more; the history is erased and the
    patron may opt in again."""
    if HistoryKey.objects.filter(patron_id=patron_id).exists():
        erased = _erase_history(patron_id)
        audit_record(
            actor=None,
            action="mypage.history_erased_on_reset",
            target_type="patron",
            target_id=patron_id,
            patron_id=patron_id,
            detail={"erased": erased},
        )


# --- 電子申請 ------------------------------------------------------------------------------------------


def patron_submit_request(
    *,
    patron: Patron,
    kind: str,
    information_requested: str,
    identity_by: str,
    disclosed_on: dt.date | None = None,
    correction_content: str = "",
    suspension_kind: str = "",
    reason_for_request: str = "",
) -> int:
    """A 開示・訂正・利用停止 request from マイページ: it waits on the officers' list for the identity
    check (disclosure_requests.services.online). Returns the application's id."""
    application = online_application_submit(
        actor=None,
        patron=patron,
        kind=kind,
        information_requested=information_requested,
        identity_by=identity_by,
        disclosed_on=disclosed_on,
        correction_content=correction_content,
        suspension_kind=suspension_kind,
        reason_for_request=reason_for_request,
    )
    return application.pk
