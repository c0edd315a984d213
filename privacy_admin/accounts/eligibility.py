"""May this account act at all? (issue 14 §4: no API token for an account that cannot sign in, and a
token stops working when its account is locked or expired or its contract ends.)

Asked when a token is issued and on every request that presents one — after the token cache
(``tokens``), whose answer covers only what changes the credential generation: a lockout, a password
that expires with time, or a contract that stops being in force do not.
"""

from __future__ import annotations

import time
from typing import Any

from django.utils.translation import gettext_lazy as _

from privacy_admin.core import signin

from .lockout import account_limit
from .models import PasswordState
from .passwords import change_due_at

INACTIVE = "inactive"
LOCKED = "locked"
PASSWORD_EXPIRED = "password_expired"  # noqa: S105 - a reason code
PASSWORD_MUST_CHANGE = "password_must_change"  # noqa: S105 - a reason code

MESSAGES = {
    INACTIVE: _("このアカウントは無効です。"),
    LOCKED: _("このアカウントはログインの失敗が続いたためロックされています。"),
    PASSWORD_EXPIRED: _(
        "このアカウントはパスワードの有効期間が過ぎています。画面からパスワードを変更してください。"
    ),
    PASSWORD_MUST_CHANGE: _(
        "このアカウントはパスワードの変更が必要です。画面からパスワードを変更してください。"
    ),
}
UNAVAILABLE = _("このアカウントは現在利用できません。")


def _facts(user: Any) -> dict[str, Any] | None:
    """Active flag, recent sign-in failures and password state of ``user``, in one query."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model
    from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    failures = AccessAttempt.objects.filter(username=OuterRef(get_user_model().USERNAME_FIELD))
    cool_off = get_cool_off()
    if cool_off is not None:
        failures = failures.filter(attempt_time__gte=timezone.now() - cool_off)
    failures_sum = failures.order_by().values("username").annotate(n=Sum("failures_since_start")).values("n")
    state = PasswordState.objects.filter(user_id=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            failures=Coalesce(Subquery(failures_sum, output_field=IntegerField()), Value(0)),
            must_change=Subquery(state.values("must_change")[:1]),
            changed_at=Subquery(state.values("changed_at")[:1]),
        )
        .values("is_active", "failures", "must_change", "changed_at")
        .first()
    )


def refusal(user: Any) -> str | None:
    """Why ``user`` may not act now (a reason code), or None when it may.

    One query for the account's own facts; a registered condition (an operator's contract) may add
    its own.
    """
    facts = _facts(user) if user is not None and getattr(user, "pk", None) else None
    if facts is None or not facts["is_active"]:
        return INACTIVE
    if facts["failures"] >= account_limit():
        return LOCKED
    if facts["must_change"]:
        return PASSWORD_MUST_CHANGE
    if facts["changed_at"] is not None:
        state = PasswordState(changed_at=facts["changed_at"])
        due = change_due_at(state)
        if due is not None and time.time() >= due.timestamp():
            return PASSWORD_EXPIRED
    return signin.condition_refusal(user)


def message(reason: str) -> str:
    return str(MESSAGES.get(reason, UNAVAILABLE))
