"""Reads of patron data that depend on who asks. Views and the API never query Patron directly.

A contractor's operator reaches a patron registered at one of the contract's branches, or one with a
reservation to be picked up there or a loan lent there, when the contract grants those records
(``privacy_admin.core.scope_fields`` explains why). Out of scope looks like absent, and is logged.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core import hooks
from privacy_admin.core.actor import Actor
from privacy_admin.core.roles import Role, has_role
from privacy_admin.core.scope import scope_for
from privacy_admin.core.view_events import no_view_event, view_logged_by_caller

from .models import Branch, PaperApplicationForm, Patron, ProxyApplication


@view_logged_by_caller(
    "the scoped base of patron reads; pages that show a patron write patron.view / patron.search"
)
def patrons_visible_to(actor: Actor) -> QuerySet[Patron]:
    scope = scope_for(actor)
    qs = Patron.objects.select_related("category", "registered_branch")
    if scope.branch_ids is None:
        return qs
    if not scope.branch_ids or not scope.data_items:
        return qs.none()
    reach = Q(registered_branch_id__in=scope.branch_ids)
    # 002: a pickup counter also serves whoever reserved something there or borrowed there (loans says).
    for also in hooks.call(hooks.PATRON_REACH, scope, default=[]):
        reach |= also
    return qs.filter(reach)


def patron_out_of_scope(
    actor: Actor, *, patron_id: int | None, how: str, target_type: str = "patron"
) -> Http404:
    """Log an attempt to reach a patron (or a patron function) outside the actor's scope; the 404 to raise."""
    audit_record(
        standalone=True,
        actor=actor,
        action="patron.out_of_scope",
        target_type=target_type,
        target_id=patron_id if patron_id is not None else "",
        patron_id=patron_id,
        outcome=Outcome.DENIED,
        detail={"lookup": how},
    )
    return Http404("利用者が見つかりません。")


def _not_found(actor: Actor, *, exists_elsewhere: Patron | None, how: str) -> Http404:
    if exists_elsewhere is not None:
        # Out of scope: answer as if it did not exist, but leave a trace of the attempt.
        return patron_out_of_scope(actor, patron_id=exists_elsewhere.pk, how=how)
    return Http404("利用者が見つかりません。")


@view_logged_by_caller(
    "a patron to show or change: the page writes patron.view (patron_record_view), a service its own event"
)
def get_patron_for(
    actor: Actor,
    *,
    public_id: uuid.UUID | str | None = None,
    card_number: str | None = None,
    for_update: bool = False,
) -> Patron:
    """The patron, if ``actor`` may reach them; Http404 otherwise (out of scope looks like absent)."""
    if public_id is not None:
        try:
            lookup: dict[str, Any] = {"public_id": uuid.UUID(str(public_id))}
        except ValueError:
            raise Http404("利用者が見つかりません。") from None
        how = "public_id"
    elif card_number:
        card_number = card_number.strip()
        if not card_number.isascii() or not card_number.isdigit() or len(card_number) > 16:
            raise Http404("利用者が見つかりません。")
        lookup = {"card_number": card_number}
        how = "card_number"
    else:
        raise Http404("利用者が見つかりません。")
    qs = patrons_visible_to(actor)
    if for_update:
        qs = qs.select_for_update()
    patron = qs.filter(**lookup).first()
    if patron is None:
        raise _not_found(actor, exists_elsewhere=Patron.objects.filter(**lookup).first(), how=how)
    return patron


def patron_record_view(*, actor: Actor, patron: Patron, what: str = "detail") -> None:
    """Every look at a patron's data leaves a trace (domain §2)."""
    # Named by internal id only, never by name or card number (as every event about one patron).
    audit_record(
        standalone=True,
        actor=actor,
        action="patron.view",
        target_type="patron",
        target_id=patron.pk,
        patron_id=patron.pk,
        detail={"view": what},
    )


def patron_record_search(*, actor: Actor, patrons: list[Patron], by: str) -> None:
    """A search shows several patrons' data at once: one event naming who was shown (ids only)."""
    audit_record(
        standalone=True,
        actor=actor,
        action="patron.search",
        target_type="patron",
        patron_id=patrons[0].pk if len(patrons) == 1 else None,
        detail={"by": by, "results": len(patrons), "patron_ids": [p.pk for p in patrons]},
    )


@view_logged_by_caller("shown on the patron's detail page, which writes patron.view")
def proxy_application_of(patron: Patron) -> ProxyApplication | None:
    """The patron's 代理人 application, if any. ``patron`` was reached through ``get_patron_for`` (the
    scope check) and its look is logged by ``patron_record_view`` on the same page."""
    return ProxyApplication.objects.filter(patron=patron).first()


# 要綱 第2条2: paper application forms are kept a month, then shredded, by the counter.
PAPER_FORM_ROLES = (Role.COUNTER, Role.ADMINISTRATOR)


@no_view_event("rows carry the card number only, shown masked (000 第3(5)): not a look at a patron")
def paper_forms_pending_for(actor: Actor, *, branch_code: str = "") -> QuerySet[PaperApplicationForm]:
    """Forms not yet shredded (none for anyone but counter staff and administrators), overdue first.

    Each row carries the patron's card number only (``card_number``), which the page shows masked
    (000 第3(5): last four digits); no name and no other data of the patron is read, so the list is not a
    look at a patron and writes no view event."""
    qs = PaperApplicationForm.objects.filter(destroyed_on__isnull=True)
    if not has_role(actor, *PAPER_FORM_ROLES):
        return qs.none()
    if branch_code:
        qs = qs.filter(branch__code=branch_code)
    return (
        qs.select_related("branch")
        .annotate(card_number=F("patron__card_number"))
        .order_by("destroy_by", "pk")
    )


@view_logged_by_caller(
    "a paper form to confirm shredded: paper_form_confirm_destroyed writes paper_form.destroyed"
)
def get_paper_form_for(actor: Actor, pk: int) -> PaperApplicationForm:
    """A paper form, for counter staff and administrators; Http404 otherwise (absent and forbidden alike)."""
    form = PaperApplicationForm.objects.filter(pk=pk).first() if has_role(actor, *PAPER_FORM_ROLES) else None
    if form is None:
        raise Http404("申請書が見つかりません。")
    return form


def branches_for_registration() -> QuerySet[Branch]:
    return Branch.objects.filter(is_active=True, accepts_registration=True)


def active_branches() -> QuerySet[Branch]:
    return Branch.objects.filter(is_active=True)


def patron_id_by_card(card_number: str) -> int | None:
    """The internal id of the live patron holding ``card_number`` (for the access log's filter)."""
    return Patron.objects.filter(card_number=card_number).values_list("pk", flat=True).first()
