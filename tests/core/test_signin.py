"""privacy_admin.core.signin: the sign-in form and the conditions an account must meet, registered by the
apps that own them (outsourcing's gate), Django's own form when none is."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import AuthenticationForm

from privacy_admin.core import signin


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signin, "_form", AuthenticationForm)
    monkeypatch.setattr(signin, "_conditions", [])


def test_without_a_registered_form_djangos_own_is_used(fresh: None) -> None:
    assert signin.authentication_form() is AuthenticationForm


def test_a_registered_form_is_used(fresh: None) -> None:
    class GateForm(AuthenticationForm):
        pass

    signin.register_form(GateForm)
    assert signin.authentication_form() is GateForm


def test_the_first_refusing_condition_gives_its_reason_and_a_condition_counts_once(fresh: None) -> None:
    def contract_in_force(user: str) -> str | None:
        return "contract_ended" if user == "operator" else None

    def trained(user: str) -> str | None:
        return "not_trained" if user in ("operator", "trainee") else None

    for condition in (contract_in_force, trained, contract_in_force):
        signin.register_condition(condition)
    assert signin._conditions == [contract_in_force, trained]
    assert signin.condition_refusal("operator") == "contract_ended"
    assert signin.condition_refusal("trainee") == "not_trained"
    assert signin.condition_refusal("librarian") is None


def test_the_installed_apps_register_their_form() -> None:
    assert signin.authentication_form() is not AuthenticationForm  # outsourcing's operator gate
