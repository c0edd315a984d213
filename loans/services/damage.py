"""Damage cases (方針 第2(4)): settling a case deletes it, the last link of patron and item."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from patrons.models import Patron
from privacy_admin.core.actor import Actor

from ..erasure import (
    SETTLED_DAMAGE_CASE,
    erase,
)
from ..models import (
    DamageCase,
)
from ._common import (
    _audit_item_event,
    _refuse,
)


def damage_case_settle(*, actor: Actor, case: DamageCase) -> None:
    """The damage is settled (方針 第2(4)): the case, the last link of patron and item, is deleted."""
    with transaction.atomic():
        # Inserting the case made the patron row carry the return's transaction id (the lock its
        # foreign key took); locking the row here replaces it, so the id no longer ties the two.
        Patron.objects.select_for_update().filter(pk=case.patron_id).exists()
        if not erase(SETTLED_DAMAGE_CASE, pk=case.pk):
            raise _refuse("__all__", _("この汚破損案件は既に処理済みです。"), conflict=True)
        _audit_item_event(
            actor=actor,
            action="circulation.damage_settle",
            item_id=case.item_id,
            branch=None,
            detail={"case": case.pk},
        )
