"""The gate at sign-in and on every request (domain.md §6; 002: 個人情報の保護措置が取られていない場合には、
事務処理を進めていけない).

An operator (an account whose only role is contractor operator) signs in only while ``operator_may_work``:
the contract is in force and the operator has been trained under it. Otherwise the sign-in page says
only that the account cannot be used now — never why — and the refusal is logged with the contract's
id. A session already open ends at its next request once the contract stops being in force.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.roles import Role, is_contractor_only

from .gate import operator_handler, operator_may_work
from .scope import scope_for

UNAVAILABLE = _("このアカウントは現在利用できません。図書館にお問い合わせください。")


def _operator_account(user: Any) -> bool:
    """Holds the contractor role and no other (read from the groups: works for closed accounts too)."""
    if user.is_superuser:
        return False
    return set(user.groups.values_list("name", flat=True)) == {Role.CONTRACTOR.value}


def record_refusal(user: Any, *, action: str = "operator.sign_in_refused") -> None:
    handler = operator_handler(user)
    audit_record(
        standalone=True,
        actor=None,
        action=action,
        target_type="contract",
        target_id=handler.contract_id if handler else "",
        outcome=Outcome.DENIED,
    )


def operator_refusal(user: Any) -> str | None:
    """For API tokens (``accounts.eligibility``): an operator acts only while ``operator_may_work``."""
    if is_contractor_only(user) and not operator_may_work(user):
        return "contract_not_in_force"
    return None


class OperatorGateAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, plus the gate for operator accounts."""

    error_messages = {**AuthenticationForm.error_messages, "operator_unavailable": UNAVAILABLE}

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if is_contractor_only(user) and not operator_may_work(user):
            record_refusal(user)
            raise ValidationError(self.error_messages["operator_unavailable"], code="operator_unavailable")

    def get_invalid_login_error(self) -> ValidationError:
        # A closed operator account (contract ended, or closed by an administrator) with the right
        # password gets the same message as a gated one, not "wrong password", so nobody keeps trying
        # until the lockout.
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            user_model = get_user_model()
            closed = user_model.objects.filter(
                **{user_model.USERNAME_FIELD: username}, is_active=False
            ).first()
            if closed is not None and _operator_account(closed) and closed.check_password(password):
                record_refusal(closed)
                return ValidationError(
                    self.error_messages["operator_unavailable"], code="operator_unavailable"
                )
        return super().get_invalid_login_error()


class OperatorGateMiddleware:
    """Ends an operator's session at the next request once their contract is no longer in force.

    Install after AuthenticationMiddleware, MessageMiddleware and the idle timeout. Accounts with the
    contractor role but no handler record reach nothing (``scope.NOTHING``) and cannot sign in; the
    middleware acts on handlers, whose contract can stop being in force.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and is_contractor_only(user)
            and scope_for(user).contract_id is None  # cached for the request; pages reuse it
        ):
            handler = operator_handler(user)
            if handler is not None:
                audit_record(
                    standalone=True,
                    actor=user,
                    action="operator.session_ended",
                    target_type="contract",
                    target_id=handler.contract_id,
                    outcome=Outcome.DENIED,
                )
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.error(request, UNAVAILABLE)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
