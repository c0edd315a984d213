from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from patrons.services import paper_forms_overdue

from .accounts.roles import Role, has_role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what this person can do, by role."""
    context: dict[str, Any] = {}
    if has_role(request.user, Role.COUNTER, Role.ADMINISTRATOR):
        context["overdue_paper_forms"] = paper_forms_overdue().count()
    return render(request, "home.html", context)
