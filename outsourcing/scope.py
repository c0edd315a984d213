"""What an actor may reach: branches and data items — the implementation of the kernel's access-scope
protocol (``privacy_admin.core.scope``), registered by ``OutsourcingConfig.ready``.

Library staff reach every branch and item their role allows. A contractor operator reaches only what
their contract grants, and only while the contract is in force and they are trained (``gate``):
otherwise nothing — an operator sees no patron at all rather than all of them (002: no contract
proceeds without measures).
"""

from __future__ import annotations

from privacy_admin.core.actor import Actor
from privacy_admin.core.roles import is_contractor_only, roles_of
from privacy_admin.core.scope import NOTHING, UNRESTRICTED, Scope


def _contract_scope(actor: Actor) -> Scope:
    from .gate import contract_in_force, handler_trained, operator_handler

    handler = operator_handler(actor)
    if handler is None:
        return NOTHING
    contract = handler.contract
    if not (contract_in_force(contract) and handler_trained(handler)):
        return NOTHING
    return Scope(
        branch_ids=frozenset(contract.branches.values_list("pk", flat=True)),
        data_items=frozenset(str(i) for i in contract.data_items),
        contract_id=contract.pk,
    )


def scope_for(actor: Actor) -> Scope:
    """The actor's scope, computed once per request object (cached on the user instance)."""
    if not roles_of(actor):
        return NOTHING
    if not is_contractor_only(actor):
        return UNRESTRICTED
    cached = getattr(actor, "_scope_cache", None)
    if cached is None:
        cached = _contract_scope(actor)
        actor._scope_cache = cached  # type: ignore[union-attr]  # a per-request cache on the user
    return cached
