"""Who acts: a staff user, the anonymous user of a public page, or ``None`` for the system (commands,
tasks, the sweeper). Services take ``actor: Actor``; the access log records the user, or "system"."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, Union

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

Actor: TypeAlias = Union["AbstractBaseUser", "AnonymousUser", None]
