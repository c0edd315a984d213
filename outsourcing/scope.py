"""What an actor may reach: branches and data items.

Library staff reach every branch and item their role allows. A contractor operator reaches only what a
contract in force grants; until the contracts of the outsourcing issue exist, that is nothing — an
operator sees no patron at all rather than all of them (002: no contract proceeds without measures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from privacy_admin.accounts.roles import is_contractor_only, roles_of


@dataclass(frozen=True)
class Scope:
    branch_ids: frozenset[int] | None  # None: every branch
    data_items: frozenset[str] | None  # None: every item

    @property
    def unrestricted(self) -> bool:
        return self.branch_ids is None and self.data_items is None

    @property
    def empty(self) -> bool:
        return self.branch_ids is not None and not self.branch_ids


UNRESTRICTED = Scope(branch_ids=None, data_items=None)
NOTHING = Scope(branch_ids=frozenset(), data_items=frozenset())


def scope_for(actor: Any) -> Scope:
    if not roles_of(actor):
        return NOTHING
    if is_contractor_only(actor):
        return NOTHING
    return UNRESTRICTED
