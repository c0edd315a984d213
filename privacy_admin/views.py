from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backups.services import media_past_retention
from patrons.services import paper_forms_overdue

from .core.roles import Role, has_role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what this person can do, by role."""
    context: dict[str, Any] = {}
    if has_role(request.user, Role.COUNTER, Role.ADMINISTRATOR):
        context["overdue_paper_forms"] = paper_forms_overdue().count()
    if has_role(request.user, Role.ADMINISTRATOR):
        # 市川市 方針 第5(2): backup media kept past their retention wait to be destroyed.
        context["overdue_backup_media"] = media_past_retention().count()
    return render(request, "home.html", context)
