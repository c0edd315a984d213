from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from privacy_admin.core.roles import Role, roles_of
from privacy_admin.core.scope_fields import operator_pages as pages_of


def roles(request: HttpRequest) -> dict[str, Any]:
    held = roles_of(getattr(request, "user", None))
    operator_pages: list[tuple[str, str]] = []
    if held == {Role.CONTRACTOR.value}:
        operator_pages = pages_of(request.user)
    return {
        "user_roles": held,
        "operator_pages": operator_pages,
        "is_counter": Role.COUNTER.value in held or Role.ADMINISTRATOR.value in held,
        "is_privacy_officer": Role.PRIVACY_OFFICER.value in held,
        "is_administrator": Role.ADMINISTRATOR.value in held,
        "is_contractor": Role.CONTRACTOR.value in held,
    }
