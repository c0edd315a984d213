"""Access scope as a protocol: which branches and data items an actor reaches.

Library staff reach every branch and item their role allows (``UNRESTRICTED``). A contractor operator
reaches only what their contract grants, and only while the contract is in force and they are trained;
otherwise nothing (``NOTHING``). Deciding that needs contracts, so the outsourcing app implements
``scope_for`` and registers it at start-up (``OutsourcingConfig.ready``); patrons, loans and accounts ask
here, and depend on the kernel, never on outsourcing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from privacy_admin.core.actor import Actor


@dataclass(frozen=True)
class Scope:
    branch_ids: frozenset[int] | None  # None: every branch
    data_items: frozenset[str] | None  # None: every item
    contract_id: int | None = None

    @property
    def unrestricted(self) -> bool:
        return self.branch_ids is None and self.data_items is None

    @property
    def empty(self) -> bool:
        return self.branch_ids is not None and not self.branch_ids

    def allows_item(self, item: str) -> bool:
        return self.data_items is None or str(item) in self.data_items


UNRESTRICTED = Scope(branch_ids=None, data_items=None)
NOTHING = Scope(branch_ids=frozenset(), data_items=frozenset())


_provider: Callable[[Any], Scope] | None = None


def register(provider: Callable[[Any], Scope]) -> None:
    """Called once by the app that owns access scope, from its ``AppConfig.ready``."""
    global _provider
    _provider = provider


def scope_for(actor: Actor) -> Scope:
    """The actor's scope, from the registered provider (computed once per request object)."""
    if _provider is None:
        raise RuntimeError("no access-scope provider registered (is 'outsourcing' in INSTALLED_APPS?)")
    return _provider(actor)
