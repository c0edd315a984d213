"""privacy_admin.core.hooks: a lower component asks a hook by name; the owner's answer when registered,
the caller's default when not."""

from __future__ import annotations

import pytest

from privacy_admin.core import hooks


@pytest.fixture
def empty_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hooks, "_hooks", {})


def test_without_a_provider_the_caller_gets_its_default(empty_hooks: None) -> None:
    assert hooks.call(hooks.PATRON_LOANS, "actor", "patron", default=[]) == []
    assert hooks.call(hooks.PATRON_BY_CARD, "2100012345") is None


def test_a_registered_provider_answers_with_the_arguments_given(empty_hooks: None) -> None:
    hooks.register(hooks.CONTRACT_ROWS, lambda year, *, only_active=False: [(year, only_active)])
    assert hooks.call(hooks.CONTRACT_ROWS, 2026, only_active=True, default=[]) == [(2026, True)]


def test_the_installed_apps_register_the_hooks_the_kernel_names() -> None:
    # loans answers the patron page's questions once the apps are ready (loans.apps.LoansConfig.ready).
    assert hooks.PATRON_LOANS in hooks._hooks
    assert hooks.PATRON_BY_CARD in hooks._hooks
