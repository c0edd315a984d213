"""Printing the register: the print page, its progress bar, downloads, and the public PDFs.

Thin: ``print_services`` does the work and writes the access log. The print page, the progress and
the stored downloads are for administrators and privacy officers (403 for any other role, written to
the log). The register is open to public inspection (山梨県 要綱 第16条第5項), so one registered entry's sheet
and the register of registered entries answer anyone; an abolished entry's registration is struck
out (第16条第4項), so its sheet answers only administrators and privacy officers, and 404 otherwise.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from privacy_admin.audit.permissions import role_required
from privacy_admin.core import forms as core_forms
from privacy_admin.core.roles import Role, has_role
from register.models import RegisterEntry, RegisterPrint
from register.services import printing as print_services

ROLES = (Role.ADMINISTRATOR, Role.PRIVACY_OFFICER)
RECENT = 20


class PrintRequestForm(core_forms.Form):
    layout = forms.ChoiceField(
        label=gettext_lazy("様式"),
        choices=RegisterPrint.Layout.choices,
        widget=forms.RadioSelect,
        initial=RegisterPrint.Layout.REGISTER,
        error_messages={
            "required": gettext_lazy("様式を選んでください。"),
            "invalid_choice": gettext_lazy("様式を選んでください。"),
        },
    )
    include_abolished = forms.BooleanField(label=gettext_lazy("廃止した事務も載せる"), required=False)


def _pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _layout_param(request: HttpRequest) -> str:
    layout = request.GET.get("layout") or RegisterPrint.Layout.REGISTER
    if layout not in RegisterPrint.Layout.values:
        raise Http404("様式は register または appi です。")
    return layout


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Choose a layout (and whether abolished entries are included); the recent prints and their status."""
    form = PrintRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = print_services.register_print_request(
                actor=request.user,
                layout=form.cleaned_data["layout"],
                include_abolished=form.cleaned_data["include_abolished"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("登録簿のPDFの作成を受け付けました。完了するとダウンロードできます。")
            )
            return redirect(reverse("register_print:progress", args=[job.pk]))
    recent = RegisterPrint.objects.defer("pdf").select_related("requested_by")[:RECENT]
    counts = {
        "registered": RegisterEntry.objects.filter(status=RegisterEntry.Status.REGISTERED).count(),
        "abolished": RegisterEntry.objects.filter(status=RegisterEntry.Status.ABOLISHED).count(),
    }
    return render(
        request,
        "registry/print/index.html",
        {"form": form, "recent": recent, "counts": counts, "layouts": RegisterPrint.Layout.choices},
    )


def _job(pk: int) -> RegisterPrint:
    return get_object_or_404(RegisterPrint.objects.defer("pdf"), pk=pk)


@role_required(*ROLES)
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (polled every second by htmx) and, when done, the download link."""
    return render(request, "registry/print/progress.html", {"job": _job(pk)})


@role_required(*ROLES)
@require_GET
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the progress page polls."""
    return render(request, "registry/print/_status.html", {"job": _job(pk)})


@role_required(*ROLES)
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """A finished print's PDF. Every download is logged."""
    job = get_object_or_404(RegisterPrint, pk=pk)
    if job.status != RegisterPrint.Status.DONE or not job.pdf:
        messages.error(request, _("このPDFはまだ作成されていません。"))
        return redirect(reverse("register_print:progress", args=[job.pk]))
    print_services.register_print_record_download(actor=request.user, job=job)
    return _pdf_response(bytes(job.pdf), print_services.print_filename(job))


@require_GET
def entry_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry's sheet with its history, rendered now (``?layout=appi`` for the 個人情報ファイル簿).

    Anyone for a registered entry (第16条第5項); administrators and privacy officers for an abolished one.
    """
    entry = RegisterEntry.objects.filter(pk=pk).first()
    if entry is None or not (entry.is_active or has_role(request.user, *ROLES)):
        raise Http404("登録簿の事務が見つかりません。")
    layout = _layout_param(request)
    pdf = print_services.entry_pdf(entry=entry, layout=layout)
    return _pdf_response(pdf, f"register-entry-{entry.number}.pdf", inline=True)


@require_GET
def public_register_pdf(request: HttpRequest) -> HttpResponse:
    """The register of registered entries as of today, for anyone (第16条第5項); ``?layout=appi`` for
    the 個人情報ファイル簿."""
    layout = _layout_param(request)
    pdf = print_services.public_register_pdf(layout=layout)
    name = "file-book" if layout == RegisterPrint.Layout.APPI_FILE_BOOK else "register"
    return _pdf_response(pdf, f"{name}.pdf", inline=True)
