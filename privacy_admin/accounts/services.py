from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from privacy_admin.audit.services import audit_record

from .models import ApiToken


def api_token_create(*, actor: Any, user: Any) -> str:
    """Issue a bearer token for ``user`` and return it; only its hash is kept, so it is shown once."""
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
    """The active user a token belongs to, or None. Timing-safe by hashing before the lookup."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="api_token.revoke", target_type="api_token", target_id=token.pk)
