"""The Actor type's helpers hand the value through unchanged (privacy_admin/core/actor.py)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from privacy_admin.core.actor import staff_user, user_of


def test_user_of_and_staff_user_hand_the_actor_through_unchanged() -> None:
    user = User(username="staff")
    assert user_of(user) is user
    assert staff_user(user) is user
    assert user_of(None) is None  # the system


def test_an_anonymous_actor_is_not_turned_into_none() -> None:
    """Only the type is narrowed: a wrong kind of actor still reaches the database as before."""
    anonymous = AnonymousUser()
    assert user_of(anonymous) is anonymous
