"""privacy_admin.core.scope: the access-scope protocol — what a scope allows, and the provider the
outsourcing app registers at start-up."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from privacy_admin.core import scope
from privacy_admin.core.scope import NOTHING, UNRESTRICTED, Scope


def test_unrestricted_and_nothing() -> None:
    assert UNRESTRICTED.unrestricted and not UNRESTRICTED.empty and UNRESTRICTED.allows_item("name")
    assert NOTHING.empty and not NOTHING.unrestricted and not NOTHING.allows_item("name")


def test_a_contracts_scope_allows_its_items_only() -> None:
    granted = Scope(branch_ids=frozenset({3}), data_items=frozenset({"card_number"}), contract_id=7)
    assert not granted.unrestricted and not granted.empty
    assert granted.allows_item("card_number") and not granted.allows_item("address")


def test_without_a_provider_scope_for_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scope, "_provider", None)
    with pytest.raises(RuntimeError, match="outsourcing"):
        scope.scope_for(None)


def test_the_registered_provider_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scope, "_provider", None)
    scope.register(lambda actor: NOTHING if isinstance(actor, AnonymousUser) else UNRESTRICTED)
    assert scope.scope_for(AnonymousUser()) is NOTHING
    assert scope.scope_for(None) is UNRESTRICTED


def test_outsourcing_registers_the_provider_at_start_up() -> None:
    assert scope._provider is not None
