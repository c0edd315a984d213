"""A registration's life after it is made: renewal, cancellation, expiry and erasure.

要綱 第6条2, 第9条, 第9条2; 市川市 方針 第3(4): a registration is renewed, cancelled, and erased for good
once it has expired or been cancelled and nothing outstanding still protects it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.dates import format_date, today

from .. import rules
from ..models import CancellationReason, IdentityCheck, Patron, PatronStatus
from ._common import _audit_patron, _record_identity
from .validation import IdentityEvidence, _Clean, _clean_identity

logger = logging.getLogger(__name__)


def patron_renew(
    *, actor: Actor, patron: Patron, identity: IdentityEvidence | None = None, on: dt.date | None = None
) -> Patron:
    """要綱 第9条: renewal from PATRON_RENEWAL_DAYS_BEFORE days before expiry (also after it, until deletion)."""
    on = on or today()
    if patron.status != PatronStatus.ACTIVE:
        raise ValidationError({"__all__": [_("取消済みの登録は更新できません。新規に登録してください。")]})
    days = settings.PATRON_RENEWAL_DAYS_BEFORE
    if not rules.can_renew(patron.expires_on, on, days_before=days):
        opens = rules.renewal_opens_on(patron.expires_on, days_before=days)
        raise ValidationError(
            {
                "__all__": [
                    _("更新は有効期限の%(days)d日前（%(date)s）から受け付けます（厚木市 要綱第9条）。")
                    % {"days": days, "date": format_date(opens)}
                ]
            }
        )
    clean = _Clean()
    if identity is not None:
        _clean_identity(
            clean,
            "id_document_type",
            identity,
            basis=patron.eligibility,
            holder_birth_date=patron.birth_date,
            on=on,
            bulk=False,
        )
    clean.raise_if_any()
    with transaction.atomic():
        previous = patron.expires_on
        patron.expires_on = rules.renewed_expiry(previous, on, validity_years=settings.PATRON_VALIDITY_YEARS)
        patron._change_reason = "renewal"  # type: ignore[attr-defined]
        patron.save(update_fields=["expires_on", "updated_at"])
        if identity is not None:
            _record_identity(
                patron,
                actor=actor,
                party=IdentityCheck.Party.APPLICANT,
                purpose=IdentityCheck.Purpose.RENEWAL,
                evidence=identity,
            )
        _audit_patron(
            actor=actor,
            action="patron.renew",
            patron=patron,
            detail={"identity_checked": identity is not None},
        )
    return patron


def patron_cancel(*, actor: Actor, patron: Patron, reason: str, on: dt.date | None = None) -> Patron:
    """Cancel a registration (moving away, own request, 要綱 第6条2 revocation).

    The data is erased by ``patrons_purge_cancelled`` as soon as nothing is outstanding (市川市 方針 第3(4)).
    """
    on = on or today()
    if reason not in CancellationReason.values:
        raise ValidationError({"reason": [_("取消理由を一覧から選んでください。")]})
    if patron.status != PatronStatus.ACTIVE:
        raise ValidationError({"__all__": [_("この登録は既に取り消されています。")]})
    with transaction.atomic():
        patron.status = PatronStatus.CANCELLED
        patron.cancelled_on = on
        patron.cancellation_reason = reason
        patron._change_reason = "cancellation"  # type: ignore[attr-defined]
        patron.save(update_fields=["status", "cancelled_on", "cancellation_reason", "updated_at"])
        _audit_patron(actor=actor, action="patron.cancel", patron=patron, detail={"reason": reason})
    return patron


def patron_erase(*, actor: Actor, patron: Patron, reason: str) -> bool:
    """Erase a patron for good: the row, identity checks, proxy record and every history row.

    Kept: paper-form records lose their link (the form itself is tracked until shredded); access-log
    events keep the internal id only, as the log is kept AUDIT_RETENTION_YEARS by rule. Returns False,
    changing nothing, when something outstanding (a loan, a damage case) still protects the patron.
    Erasure is hard deletion, not a flag.
    """
    pk = patron.pk
    try:
        with transaction.atomic():
            patron.delete()
            # simple-history wrote a '-' row on delete: remove it and every earlier version too.
            Patron.history.filter(id=pk).delete()
            audit_record(
                actor=actor,
                action="patron.erase",
                target_type="patron",
                target_id=pk,
                patron_id=pk,
                detail={"reason": reason},
            )
    except ProtectedError:
        return False
    return True


def patrons_purge_expired(*, on: dt.date | None = None, batch_size: int = 500) -> int:
    """要綱 第9条2: delete registrations expired longer ago than PATRON_DELETE_AFTER_EXPIRY_DAYS. Idempotent."""
    on = on or today()
    cutoff = on - dt.timedelta(days=settings.PATRON_DELETE_AFTER_EXPIRY_DAYS)
    return _purge(Patron.objects.filter(expires_on__lt=cutoff), reason="expired", batch_size=batch_size)


def patrons_purge_cancelled(*, batch_size: int = 500) -> int:
    """市川市 方針 第3(4): cancelled registrations are erased once nothing is outstanding. Idempotent."""
    return _purge(
        Patron.objects.filter(status=PatronStatus.CANCELLED), reason="cancelled", batch_size=batch_size
    )


def _purge(qs: Any, *, reason: str, batch_size: int) -> int:
    erased = 0
    last_pk = 0
    while True:
        batch = list(qs.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk  # read before erasing: a deleted instance's pk is None
        for patron in batch:
            if patron_erase(actor=None, patron=patron, reason=reason):
                erased += 1
    logger.info("patrons purged: reason=%s count=%d", reason, erased)
    return erased
