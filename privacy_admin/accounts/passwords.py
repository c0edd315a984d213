"""Password expiry, forced change and no reuse (002: パスワードには有効期間を設定し、定期的な変更を
操作員に求めている; domain.md §10).

Every ``user.set_password(...); user.save()`` ends in Django's ``password_changed`` hook, which calls
:meth:`PasswordHistoryValidator.password_changed`: that is where the new hash joins the history and the
expiry clock restarts, whoever set the password (the change page, an administrator, ``createsuperuser``,
the demo). Only Django password hashes are kept, never a password.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy_admin.core.passwords import DEFAULT_MIN_STRENGTH, password_weakness

from .models import PasswordHistory, PasswordState

DEFAULT_REMEMBER = 5


def expiry_days() -> int:
    """PASSWORD_EXPIRY_DAYS (0 switches expiry off)."""
    return int(getattr(settings, "PASSWORD_EXPIRY_DAYS", 90))


def record_password_set(user: Any, *, remember: int = DEFAULT_REMEMBER) -> None:
    """The user's password has just been saved: keep its hash, restart the clock, lift ``must_change``.

    Keeps the newest ``remember`` hashes; older ones are deleted (they serve no rule).
    """
    if not user.pk or not user.has_usable_password():
        return
    now = timezone.now()
    with transaction.atomic():
        PasswordHistory.objects.create(user=user, password=user.password)
        keep = list(
            PasswordHistory.objects.filter(user=user)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[:remember]
        )
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        PasswordState.objects.update_or_create(user=user, defaults={"changed_at": now, "must_change": False})


def require_change(user: Any) -> None:
    """The next request of ``user`` goes to the change page (an administrator set the password)."""
    PasswordState.objects.update_or_create(
        user=user,
        defaults={"must_change": True},
        create_defaults={"changed_at": timezone.now(), "must_change": True},
    )


def change_due_at(state: PasswordState | None) -> dt.datetime | None:
    """When the password expires; None when expiry is off or nothing is known about the password."""
    days = expiry_days()
    if state is None or days <= 0:
        return None
    return state.changed_at + dt.timedelta(days=days)


class PasswordHistoryValidator:
    """Refuses the current password and the last ``remember`` ones (default 5)."""

    def __init__(self, remember: int = DEFAULT_REMEMBER) -> None:
        self.remember = remember

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-created_at", "-pk")
            .values_list("password", flat=True)[: self.remember]
        )
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, h) for h in hashes if h):
            raise ValidationError(
                _("直近%(n)d回までに使ったパスワードは使用できません。新しいパスワードを入力してください。")
                % {"n": self.remember},
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None:
            record_password_set(user, remember=self.remember)

    def get_help_text(self) -> str:
        return _("直近%(n)d回までに使ったパスワードは使用できません。") % {"n": self.remember}


# --- Strength (issue 14 §4: no whitespace-only, repeated or keyboard-walk password) -------------------
class StrengthValidator:
    """Refuses whitespace-only and repeated passwords, and those zxcvbn scores below ``min_score``.

    ``min_score`` defaults to the setting ``PASSWORD_MIN_STRENGTH`` (3).
    """

    def __init__(self, min_score: int | None = None) -> None:
        self.min_score = min_score

    def _min(self) -> int:
        if self.min_score is not None:
            return self.min_score
        return int(getattr(settings, "PASSWORD_MIN_STRENGTH", DEFAULT_MIN_STRENGTH))

    def validate(self, password: str, user: Any = None) -> None:
        inputs = []
        if user is not None:
            inputs = [getattr(user, f, "") for f in ("username", "first_name", "last_name", "email")]
        problem = password_weakness(password, min_score=self._min(), user_inputs=inputs)
        if problem:
            raise ValidationError(problem, code="password_too_weak")

    def get_help_text(self) -> str:
        return _(
            "空白だけ、同じ文字や並びの繰り返し、キーボードの並びなど推測されやすいパスワードは使用できません。"
        )
