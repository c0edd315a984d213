"""Contractor and contract pages (domain.md §6; 002; 004). Thin: forms parse, services write.

Privacy officers and administrators manage contractors and contracts; only administrators create or
close operator accounts (domain.md §1). Everyone else is refused with 403 and the refusal logged. Pages
are addressed by internal ids; a handler's name never goes into a URL, and each look at a contract's
detail (which names its handlers) is logged.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from privacy_admin.audit.permissions import role_required
from privacy_admin.core.roles import Role, has_role

from . import operators, selectors, services
from .forms import (
    ClausesForm,
    ContractEndForm,
    ContractForm,
    ContractorChangeForm,
    ContractorForm,
    HandlerForm,
    OperatorAccountForm,
    ProcedureForm,
    add_service_errors,
)
from .gate import ContractState
from .models import Contract, Handler

MANAGE = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
ADMIN = (Role.ADMINISTRATOR,)


# --- contractors ----------------------------------------------------------------------------------


@role_required(*MANAGE)
@require_GET
def contractor_list(request: HttpRequest) -> HttpResponse:
    on = services.today()
    return render(
        request,
        "outsourcing/contractor_list.html",
        {"rows": selectors.contractor_rows(on=on), "warn_days": selectors.PRIVACY_MARK_WARN_DAYS},
    )


def _contractor_form(request: HttpRequest, contractor: Any | None) -> HttpResponse:
    if request.method == "POST":
        form = ContractorForm(request.POST)
        if form.is_valid():
            try:
                if contractor is None:
                    contractor = services.contractor_create(actor=request.user, data=form.to_input())
                    messages.success(
                        request, _("委託先「%(name)s」を登録しました。") % {"name": contractor.name}
                    )
                else:
                    services.contractor_update(
                        actor=request.user, contractor=contractor, data=form.to_input()
                    )
                    messages.success(
                        request, _("委託先「%(name)s」を更新しました。") % {"name": contractor.name}
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("outsourcing:contractors")
    else:
        form = ContractorForm.for_instance(contractor) if contractor else ContractorForm()
    return render(request, "outsourcing/contractor_form.html", {"form": form, "contractor": contractor})


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def contractor_create(request: HttpRequest) -> HttpResponse:
    return _contractor_form(request, None)


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def contractor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _contractor_form(request, selectors.get_contractor(pk))


# --- contracts ------------------------------------------------------------------------------------


@role_required(*MANAGE)
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in ContractState.values:
        state = ""
    on = services.today()
    return render(
        request,
        "outsourcing/contract_list.html",
        {
            "rows": selectors.contract_rows(on=on, state=state),
            "state": state,
            "states": ContractState.choices,
            "today": on,
        },
    )


def _contract_form(request: HttpRequest, contract: Contract | None) -> HttpResponse:
    if request.method == "POST":
        form = ContractForm(request.POST, instance=contract)
        if form.is_valid():
            try:
                if contract is None:
                    contract = services.contract_create(actor=request.user, data=form.to_input())
                    messages.success(
                        request,
                        _(
                            "契約 %(number)s を登録しました。審議会の手続、特記事項、取扱責任者を記録するまで、操作員は業務を始められません。"
                        )
                        % {"number": contract.number},
                    )
                else:
                    services.contract_update(actor=request.user, contract=contract, data=form.to_input())
                    messages.success(
                        request, _("契約 %(number)s を更新しました。") % {"number": contract.number}
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("outsourcing:contract_detail", pk=contract.pk)
    else:
        form = ContractForm(instance=contract)
    return render(request, "outsourcing/contract_form.html", {"form": form, "contract": contract})


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest) -> HttpResponse:
    return _contract_form(request, None)


@role_required(*MANAGE)
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract(pk)
    if contract.status == Contract.Status.ENDED:
        messages.error(request, _("終了した契約は変更できません。"))
        return redirect("outsourcing:contract_detail", pk=contract.pk)
    return _contract_form(request, contract)


def _detail(
    request: HttpRequest, contract: Contract, *, failed: str = "", bound: django_forms.Form | None = None
) -> HttpResponse:
    """The contract page with its step forms; ``bound`` replaces the step ``failed`` after a refused POST."""
    on = services.today()
    handlers = selectors.handler_rows(contract)
    step_forms: dict[str, django_forms.Form] = {
        "procedure": ProcedureForm.for_instance(contract),
        "clauses": ClausesForm(contract=contract),
        "handler": HandlerForm(),
        "change": ContractorChangeForm(contract=contract),
        "end": ContractEndForm(),
    }
    if bound is not None:
        step_forms[failed] = bound
    services.contract_record_view(actor=request.user, contract=contract)
    return render(
        request,
        "outsourcing/contract_detail.html",
        {
            "contract": contract,
            "status": selectors.contract_status(contract, on=on, handlers=handlers),
            "handlers": handlers,
            "forms": step_forms,
            "failed": failed,
            "changes": contract.contractor_changes.select_related("previous", "new", "recorded_by"),
            "branches": list(contract.branches.all()),
            "mark": selectors.privacy_mark_state(contract.contractor, on=on),
            "can_manage_accounts": has_role(request.user, Role.ADMINISTRATOR),
            "today": on,
        },
        status=400 if failed else 200,
    )


@role_required(*MANAGE)
@require_GET
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_contract(pk))


def _step(
    request: HttpRequest, pk: int, name: str, form: django_forms.Form, call: Any, success: str
) -> HttpResponse:
    """Run one POSTed step: a valid form calls the service; any refusal re-renders the page, nothing changed."""
    contract = selectors.get_contract(pk)
    if form.is_valid():
        try:
            call(contract, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("outsourcing:contract_detail", pk=contract.pk)
    return _detail(request, selectors.get_contract(pk), failed=name, bound=form)


@role_required(*MANAGE)
@require_POST
def contract_procedure(request: HttpRequest, pk: int) -> HttpResponse:
    def call(contract: Contract, data: dict[str, Any]) -> None:
        services.contract_record_procedure(actor=request.user, contract=contract, **data)

    return _step(
        request, pk, "procedure", ProcedureForm(request.POST), call, _("審議会の手続を記録しました。")
    )


@role_required(*MANAGE)
@require_POST
def contract_clauses(request: HttpRequest, pk: int) -> HttpResponse:
    form = ClausesForm(request.POST)

    def call(contract: Contract, data: dict[str, Any]) -> None:
        services.contract_set_clauses(actor=request.user, contract=contract, agreed=form.agreed())

    return _step(request, pk, "clauses", form, call, _("特記事項の合意を記録しました。"))


@role_required(*MANAGE)
@require_POST
def handler_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(contract: Contract, data: dict[str, Any]) -> None:
        operators.handler_add(actor=request.user, contract=contract, **data)

    return _step(request, pk, "handler", HandlerForm(request.POST), call, _("取扱者を追加しました。"))


def _handler(request: HttpRequest, contract_pk: int, handler_pk: int) -> Handler:
    return selectors.get_handler_for(request.user, contract_pk, handler_pk)


@role_required(*MANAGE)
@require_POST
def handler_in_charge(request: HttpRequest, pk: int, handler_pk: int) -> HttpResponse:
    handler = _handler(request, pk, handler_pk)
    try:
        operators.handler_set_in_charge(actor=request.user, handler=handler)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("取扱責任者を指名しました。"))
    return redirect("outsourcing:contract_detail", pk=pk)


@role_required(*MANAGE)
@require_POST
def contractor_change(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract(pk)

    def call(contract: Contract, data: dict[str, Any]) -> None:
        services.contractor_change(actor=request.user, contract=contract, **data)

    return _step(
        request,
        pk,
        "change",
        ContractorChangeForm(request.POST, contract=contract),
        call,
        _("委託先の変更を記録しました。新しい委託先と特記事項の合意、取扱責任者の指名を記録してください。"),
    )


@role_required(*MANAGE)
@require_POST
def contract_end(request: HttpRequest, pk: int) -> HttpResponse:
    def call(contract: Contract, data: dict[str, Any]) -> None:
        services.contract_certify_end(
            actor=request.user,
            contract=contract,
            disposition=data["data_disposition"],
            certified_by=data["disposition_certified_by"],
            certified_on=data["disposition_certified_on"],
        )

    return _step(
        request, pk, "end", ContractEndForm(request.POST), call, _("資料の返還・消去の確認を記録しました。")
    )


# --- operator accounts (administrators only) ------------------------------------------------------


@role_required(*ADMIN)
@require_http_methods(["GET", "POST"])
def operator_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Create an operator's account. The initial password is shown on this response only (no redirect,
    no message, nothing stored but its hash)."""
    contract = selectors.get_contract(pk)
    form = OperatorAccountForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        handler = form.cleaned_data["handler"]
        branch = form.cleaned_data["branch"]
        if handler is None:
            form.add_error("handler", _("アカウントを作る取扱者を選んでください。"))
        if branch is None:
            form.add_error("branch", _("所属（操作する窓口・学校）を選んでください。"))
        if handler is not None and branch is not None:
            try:
                user, password = operators.operator_account_create(
                    actor=request.user, handler=handler, username=form.cleaned_data["username"], branch=branch
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(
                    request,
                    "outsourcing/operator_created.html",
                    {"contract": contract, "account": user, "handler": handler, "password": password},
                )
    return render(request, "outsourcing/operator_form.html", {"contract": contract, "form": form})


@role_required(*ADMIN)
@require_POST
def operator_close(request: HttpRequest, pk: int, handler_pk: int) -> HttpResponse:
    handler = _handler(request, pk, handler_pk)
    try:
        operators.operator_account_close(actor=request.user, handler=handler)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("操作員アカウントを停止しました。"))
    return redirect("outsourcing:contract_detail", pk=pk)
