"""Who acts: a staff user, the anonymous user of a public page, or ``None`` for the system (commands,
tasks, the sweeper). Services take ``actor: Actor``; the access log records the user, or "system".

A service that stores who acted in a ``…_by`` foreign key passes ``user_of(actor)`` (nullable field) or
``staff_user(actor)`` (a field that needs a user): they narrow the type for the checker and hand the value
through unchanged, so a service keeps failing exactly as before if it is ever called by the wrong kind of
actor (the database refuses the row).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, Union, cast

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

Actor: TypeAlias = Union["AbstractBaseUser", "AnonymousUser", None]


def user_of(actor: Actor) -> User | None:
    """``actor`` as the value of a nullable ``…_by`` field: a signed-in user, or None for the system."""
    return cast("User | None", actor)


def staff_user(actor: Actor) -> User:
    """``actor`` as the value of a ``…_by`` field that needs a user (only staff reach these services)."""
    return cast("User", actor)
