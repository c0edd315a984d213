"""The backup-media register page (mounted at /backups/), for administrators only (市川市 方針 第5(2)).

Thin: forms parse, ``services`` validate, write and audit; a refused write shows its messages on the
form and changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from privacy_admin.audit.permissions import role_required
from privacy_admin.core.roles import Role

from . import selectors, services
from .forms import MediumDestroyForm, MediumRecordForm, add_errors
from .models import BackupMedium

ROLES = (Role.ADMINISTRATOR,)
PER_PAGE = 50


@role_required(*ROLES)
@require_GET
def media_list(request: HttpRequest) -> HttpResponse:
    today = services.today()
    status = request.GET.get("status", "")
    if status not in BackupMedium.Status.values:
        status = ""
    page = Paginator(selectors.media_for_register(today=today, status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(medium, medium.status_on(today)) for medium in page.object_list]
    return render(
        request,
        "backups/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": BackupMedium.Status.choices,
            "counts": selectors.media_counts(today=today),
            "today": today,
            "retention_days": settings.BACKUP_RETENTION_DAYS,
        },
    )


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def medium_record(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = MediumRecordForm(request.POST)
        if form.is_valid():
            try:
                medium = services.backup_medium_record(actor=request.user, **form.service_values())
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request, _("バックアップ媒体「%(medium)s」を登録しました。") % {"medium": medium.medium}
                )
                return redirect("backups:list")
    else:
        form = MediumRecordForm()
    return render(
        request, "backups/record.html", {"form": form, "retention_days": settings.BACKUP_RETENTION_DAYS}
    )


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def medium_destroy(request: HttpRequest, pk: int) -> HttpResponse:
    medium = get_object_or_404(BackupMedium, pk=pk)
    if medium.destroyed_on is not None:
        messages.error(request, _("この媒体は既に廃棄済みとして記録されています。"))
        return redirect("backups:list")
    if request.method == "POST":
        form = MediumDestroyForm(request.POST)
        if form.is_valid():
            try:
                services.backup_medium_destroy(
                    actor=request.user,
                    medium=medium,
                    destroyed_on=form.cleaned_data.get("destroyed_on"),
                    method=form.cleaned_data.get("destruction_method") or "",
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("バックアップ媒体「%(medium)s」の廃棄を記録しました。") % {"medium": medium.medium},
                )
                return redirect("backups:list")
    else:
        form = MediumDestroyForm(initial={"destroyed_on": services.today()})
    return render(
        request,
        "backups/destroy.html",
        {"form": form, "medium": medium, "status": medium.status_on(services.today())},
    )
