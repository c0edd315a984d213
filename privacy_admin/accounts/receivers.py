"""Every sign-in, sign-out, failure and lockout goes to the access log (issue: foundation §3).

Django and django-axes announce these through signals; the receivers only translate them into one
audit service call each.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record

from . import security
from .models import PasswordState


def _known_user(username: object) -> Any:
    # The attempted name is recorded only when it is a real account: a password typed into the
    # username field must not end up in the log.
    if not isinstance(username, str) or not username or len(username) > 150:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender: object, request: Any, user: Any, **kwargs: object) -> None:
    audit_record(standalone=True, actor=user, action="auth.login", target_type="user", target_id=user.pk)


@receiver(user_logged_in, dispatch_uid="account_security_on_login")
def on_login_security(sender: object, request: Any, user: Any, **kwargs: object) -> None:
    # An account from before password expiry existed starts its clock at its first sign-in; then the
    # facts the security middleware needs go into the session, so requests need no query for them.
    PasswordState.objects.get_or_create(user=user, defaults={"changed_at": timezone.now()})
    if request is not None:
        security.refresh(request, user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender: object, request: Any, user: Any, **kwargs: object) -> None:
    if user is None or getattr(request, "_idle_logout", False):
        return  # an idle logout was already recorded with its reason
    audit_record(standalone=True, actor=user, action="auth.logout", target_type="user", target_id=user.pk)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(
    sender: object, credentials: dict[str, Any], request: Any = None, **kwargs: object
) -> None:
    user = _known_user(credentials.get("username"))
    audit_record(
        standalone=True,
        actor=None,
        action="auth.login_failed",
        target_type="user",
        target_id=user.pk if user else "",
        outcome=Outcome.FAILURE,
        detail={"known_account": user is not None},
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def on_locked_out(
    sender: object, request: Any = None, username: Any = None, ip_address: Any = None, **kwargs: object
) -> None:
    # Which lock holds: the account's (from every address) or the address's (for every account); the
    # address itself is the event's own ip column.
    from .lockout import account_locked

    user = _known_user(username)
    scope = "account" if user is not None and account_locked(user.get_username()) else "address"
    audit_record(
        standalone=True,
        actor=None,
        action="auth.locked_out",
        target_type="user",
        target_id=user.pk if user else "",
        outcome=Outcome.DENIED,
        detail={"known_account": user is not None, "scope": scope},
    )
