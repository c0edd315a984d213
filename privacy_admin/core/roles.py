"""Staff roles (domain.md §1). A role is a Django group of the same name. In the kernel: the access log
records the role of every actor, and every app admits roles.

Views and API endpoints state the roles they admit; selectors take the actor, so that contract scope
(outsourcing) narrows what an operator reaches without rewriting views.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTER = "counter_staff", _("カウンター職員")
    PRIVACY_OFFICER = "privacy_officer", _("個人情報保護責任者")
    ADMINISTRATOR = "administrator", _("システム管理者")
    CONTRACTOR = "contractor_operator", _("委託先操作員")


# Most privileged first: the role recorded in the access log when a user holds several.
_PRECEDENCE = (Role.ADMINISTRATOR, Role.PRIVACY_OFFICER, Role.COUNTER, Role.CONTRACTOR)


def roles_of(user: Any) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMINISTRATOR.value)
        cached = frozenset(n for n in names if n in Role.values)
        user._role_cache = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & {str(r) for r in roles})


def primary_role(user: Any) -> str:
    held = roles_of(user)
    for role in _PRECEDENCE:
        if role.value in held:
            return role.value
    return "none"


def is_contractor_only(user: Any) -> bool:
    """Operators of a contractor reach only their contract's scope (outsourcing issue)."""
    return roles_of(user) == {Role.CONTRACTOR.value}
