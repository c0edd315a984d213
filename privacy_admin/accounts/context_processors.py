from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .roles import Role, roles_of


def roles(request: HttpRequest) -> dict[str, Any]:
    held = roles_of(getattr(request, "user", None))
    return {
        "user_roles": held,
        "is_counter": Role.COUNTER.value in held or Role.ADMINISTRATOR.value in held,
        "is_privacy_officer": Role.PRIVACY_OFFICER.value in held,
        "is_administrator": Role.ADMINISTRATOR.value in held,
        "is_contractor": Role.CONTRACTOR.value in held,
    }
