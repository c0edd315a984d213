"""The sign-in form as a registry: the accounts app's sign-in page uses the form an app registers at
start-up (outsourcing's gate for operator accounts), or Django's own."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm

_form: type[AuthenticationForm] = AuthenticationForm


def register_form(form: type[AuthenticationForm]) -> None:
    """Called from an ``AppConfig.ready``: the form the sign-in page checks credentials with."""
    global _form
    _form = form


def authentication_form() -> type[AuthenticationForm]:
    return _form
