"""Pieces the patron services share: the identity-check record and the per-patron access-log event."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor, user_of

from ..models import IdentityCheck, Patron
from .validation import IdentityEvidence


def _record_identity(
    patron: Patron, *, actor: Actor, party: str, purpose: str, evidence: IdentityEvidence
) -> None:
    IdentityCheck.objects.create(
        patron=patron,
        party=party,
        purpose=purpose,
        document_type=evidence.document_type,
        document_issued_on=evidence.issued_on,
        checked_by=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
        checked_at=timezone.now(),
    )


def _audit_patron(*, actor: Actor, action: str, patron: Patron, detail: dict[str, Any] | None = None) -> None:
    """An event about one patron: names them by internal id only, never by name or card number."""
    audit_record(
        actor=actor,
        action=action,
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
        detail=detail,
    )
