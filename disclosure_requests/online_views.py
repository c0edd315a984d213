"""The officer's side of 電子申請 (issue 16): receive an online request once the identity document
has been seen. Receiving creates the request (the clock starts that day) through the intake service."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from privacy_admin.audit.permissions import role_required
from privacy_admin.core import forms as core_forms

from . import selectors
from .services import request_identity_documents
from .services.online import online_application_receive


class OnlineReceiveForm(core_forms.Form):
    identity_document_type = forms.ChoiceField(label=_("確認した本人確認書類"), choices=())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["identity_document_type"].choices = [("", "—"), *request_identity_documents()]  # type: ignore[attr-defined]


@role_required(*selectors.READ_ROLES)
@require_http_methods(["GET", "POST"])
def receive_online(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_online_application_for(request.user, pk)
    form = OnlineReceiveForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = online_application_receive(
                actor=request.user,
                application=application,
                identity_document_type=form.cleaned_data["identity_document_type"],
            )
        except ValidationError as exc:
            errors = [str(m) for m in exc.messages]
        else:
            return redirect("requests:detail", pk=created.pk)
    elif request.method == "POST":
        errors = [str(_("確認した本人確認書類を選んでください。"))]
    return render(
        request,
        "disclosure_requests/online_receive.html",
        {"application": application, "form": form, "errors": errors},
        status=422 if errors else 200,
    )
