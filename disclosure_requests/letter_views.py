"""Letter and held-data pages: issue, preview and download notice letters; export what the library holds.

Thin (architecture §1): forms parse, ``letters`` / ``package`` do the work and write the access log.
Only privacy officers and administrators (403 for anyone else, written to the log); a request or letter
they cannot reach answers 404 through ``selectors.get_request_for``. Everything that changes or exports
personal data is a POST; filenames carry internal ids only (letter-12.pdf), never a name.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from privacy_admin.audit.permissions import role_required
from privacy_admin.core import forms as core_forms
from privacy_admin.core.roles import Role

from . import letters, package
from .models import Letter, LetterKind, PrivacyRequest, ThirdPartyConsultation
from .selectors import get_consultation_for, get_request_for

ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)


class LetterChoiceForm(core_forms.Form):
    kind = forms.ChoiceField(choices=LetterKind.choices)
    consultation = forms.IntegerField(required=False, min_value=1, max_value=core_forms.DB_BIGINT_MAX)


def _to_detail(privacy_request: PrivacyRequest) -> HttpResponse:
    return redirect(reverse("requests:detail", args=[privacy_request.pk]))


def _consultation(
    request: HttpRequest, privacy_request: PrivacyRequest, pk: int | None
) -> ThirdPartyConsultation | None:
    if pk is None:
        return None
    return get_consultation_for(request.user, privacy_request, pk)


def _parse(
    request: HttpRequest, privacy_request: PrivacyRequest
) -> tuple[str, ThirdPartyConsultation | None] | None:
    form = LetterChoiceForm(request.POST)
    if not form.is_valid():
        return None
    return form.cleaned_data["kind"], _consultation(
        request, privacy_request, form.cleaned_data["consultation"]
    )


def _pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@role_required(*ROLES)
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the letter chosen in the panel of the request detail page; back to that page."""
    privacy_request = get_request_for(request.user, pk)
    parsed = _parse(request, privacy_request)
    if parsed is None:
        messages.error(request, _("通知書の種類を選んでください。"))
        return _to_detail(privacy_request)
    kind, consultation = parsed
    try:
        letter = letters.letter_issue(
            actor=request.user, request=privacy_request, kind=kind, consultation=consultation
        )
    except letters.LetterError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("「%(kind)s」を発行しました。「ダウンロード」から印刷してください。")
            % {"kind": letter.get_kind_display()},
        )
    return _to_detail(privacy_request)


@role_required(*ROLES)
@require_POST
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as it would be issued today, not stored: for checking the wording."""
    privacy_request = get_request_for(request.user, pk)
    parsed = _parse(request, privacy_request)
    if parsed is None:
        messages.error(request, _("通知書の種類を選んでください。"))
        return _to_detail(privacy_request)
    kind, consultation = parsed
    try:
        pdf = letters.letter_preview(
            actor=request.user, request=privacy_request, kind=kind, consultation=consultation
        )
    except letters.LetterError as exc:
        messages.error(request, exc.message)
        return _to_detail(privacy_request)
    return _pdf_response(pdf, letters.letter_filename(None), inline=True)


@role_required(*ROLES)
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued letter's PDF as stored. Every download is audited."""
    letter_ref = Letter.objects.filter(pk=pk).values("request_id").first()
    if letter_ref is None:
        raise Http404("通知書が見つかりません。")
    privacy_request = get_request_for(request.user, letter_ref["request_id"])
    letter = Letter.objects.select_related("request").get(pk=pk, request=privacy_request)
    letters.letter_record_download(actor=request.user, letter=letter)
    return _pdf_response(bytes(letter.pdf), letters.letter_filename(letter))


def _package(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    privacy_request = get_request_for(request.user, pk)
    try:
        content, content_type, filename = package.held_data_export(
            actor=request.user, request=privacy_request, fmt=fmt
        )
    except package.PackageError as exc:
        messages.error(request, exc.message)
        return _to_detail(privacy_request)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*ROLES)
@require_POST
def package_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """保有個人情報の一覧 (PDF) for a 開示 request linked to a patron."""
    return _package(request, pk, "pdf")


@role_required(*ROLES)
@require_POST
def package_json(request: HttpRequest, pk: int) -> HttpResponse:
    """保有個人情報の一覧 (JSON, versioned schema) for a 開示 request linked to a patron."""
    return _package(request, pk, "json")
