"""The sign-in form as a registry: the accounts app's sign-in page uses the form an app registers at
start-up (outsourcing's gate for operator accounts), or Django's own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.forms import AuthenticationForm

_form: type[AuthenticationForm] = AuthenticationForm


def register_form(form: type[AuthenticationForm]) -> None:
    """Called from an ``AppConfig.ready``: the form the sign-in page checks credentials with."""
    global _form
    _form = form


def authentication_form() -> type[AuthenticationForm]:
    return _form


# Conditions an app adds to "may this account act at all" (outsourcing: an operator's contract must be
# in force). Each returns a short reason code when the account may not, or None. Asked when an API token
# is issued and on every request that presents one.
_conditions: list[Callable[[Any], str | None]] = []


def register_condition(condition: Callable[[Any], str | None]) -> None:
    """Called from an ``AppConfig.ready``: one more reason an account may be refused."""
    if condition not in _conditions:
        _conditions.append(condition)


def condition_refusal(user: Any) -> str | None:
    """The first registered condition that refuses ``user``, as its reason code, or None."""
    for condition in _conditions:
        reason = condition(user)
        if reason:
            return reason
    return None
