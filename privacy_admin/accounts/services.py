from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy_admin.audit.models import Outcome
from privacy_admin.audit.services import audit_record

from . import eligibility, tokens
from .models import ApiToken


def api_token_create(*, actor: Any, user: Any) -> str:
    """Issue a bearer token for ``user`` and return it; only its hash is kept, so it is shown once.

    Refused (``ValidationError``, nothing written but the refusal's event) for an account that may not
    act now: inactive, locked, its password expired or to be changed, an operator whose contract is
    not in force (``eligibility``).
    """
    reason = eligibility.refusal(user)
    if reason is not None:
        audit_record(
            standalone=True,
            actor=actor,
            action="api_token.create_refused",
            target_type="user",
            target_id=user.pk,
            outcome=Outcome.DENIED,
            detail={"reason": reason},
        )
        raise ValidationError(
            _("このアカウントにはAPIトークンを発行できません。") + str(eligibility.message(reason)),
            code=reason,
        )
    prefix, raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, prefix=prefix, key_hash=ApiToken.hash_key(raw))
        audit_record(
            actor=actor,
            action="api_token.create",
            target_type="api_token",
            target_id=token.pk,
            detail={"user_id": user.pk},
        )
    return raw


def api_token_authenticate(raw: str) -> Any:
    """The active user a token belongs to, or None. Timing-safe by hashing before the lookup.

    The lookup is remembered per process by the token's hash and used while the credential
    generation is unchanged (``tokens``): a revocation, a deactivation or a change of roles takes
    effect with the first request after it commits.
    Then, on every request and after the cache, the account must still be allowed to act
    (``eligibility``: not locked, password not expired, an operator's contract in force); a refusal
    is written to the access log and the request is answered 401.
    """
    if not raw or len(raw) > 200:
        return None
    user = tokens.authenticate(ApiToken.hash_key(raw))
    if user is None:
        return None
    reason = eligibility.refusal(user)
    if reason is not None:
        audit_record(
            standalone=True,
            actor=None,
            action="api_token.refused",
            target_type="user",
            target_id=user.pk,
            outcome=Outcome.DENIED,
            detail={"reason": reason},
        )
        return None
    return user


def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="api_token.revoke", target_type="api_token", target_id=token.pk)


def password_change(*, actor: Any, user: Any, new_password: str) -> None:
    """Set ``user``'s password (already validated, including no reuse of the last 5).

    Saving runs Django's ``password_changed`` hook: the hash joins the history and the expiry clock
    restarts (``passwords.PasswordHistoryValidator``).
    """
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, action="auth.password_changed", target_type="user", target_id=user.pk)


def end_sessions(*, user_ids: list[int]) -> int:
    """Delete the database sessions of these users (they are signed out at once). Returns the count."""
    from django.contrib.sessions.models import Session

    wanted = {str(pk) for pk in user_ids}
    if not wanted:
        return 0
    doomed = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get("_auth_user_id", "")) in wanted
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)
