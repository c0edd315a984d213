"""Register pages for staff (mounted at /registry/): the list, an entry with its record items and change
history, and registration, change and abolition (山梨県 要綱 第16条).

Administrators register, change and abolish; privacy officers read. Thin: forms parse, ``services``
validate, write and audit; a refused write shows its messages on the form and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from privacy_admin.audit.permissions import role_required
from privacy_admin.core.errors import add_service_errors
from privacy_admin.core.roles import Role, has_role
from register import inventory, selectors
from register.forms import REQUIRED_FIELDS, AbolishForm, EntryChangeForm, EntryCreateForm
from register.models import RegisterEntry
from register.services import entries as services

READERS = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
WRITERS = (Role.ADMINISTRATOR,)
PER_PAGE = 50

# The sheet of one entry: the items of 山梨県 要綱 第16条第1項 (法第75条第1項's file register has them too) and
# those the library sets; the headings name the items, not one law's numbering.
SHEET_SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (_("事務の名称・目的・所管・対象者"), ("name", "purpose", "department", "subjects")),
    (
        _("記録項目・収集先"),
        ("record_range", "collection_sources", "collection_source_note", "collection_method"),
    ),
    (
        _("図書館が定める事項"),
        (
            "outsourced",
            "outsourcing_note",
            "online_connection",
            "online_connection_note",
            "sensitive",
            "regular_recipients",
            "retention_period",
            "request_office",
            "special_procedure",
            "file_name",
        ),
    ),
    (_("登録・変更・廃止"), ("starts_on", "registered_on", "changed_on", "abolished_on", "status")),
)


def entry_sheet(entry: RegisterEntry) -> list[dict[str, Any]]:
    """The entry's items with their labels and printed values, section by section."""
    return [
        {
            "title": title,
            "rows": [
                {
                    "name": name,
                    "label": services.field_label(name),
                    "value": selectors.display_value(name, getattr(entry, name)),
                }
                for name in names
            ],
        }
        for title, names in SHEET_SECTIONS
    ]


def _names(entry: RegisterEntry) -> dict[str, Any]:
    return {"number": entry.number, "name": entry.name}


def _form_context(form: Any) -> dict[str, Any]:
    return {"form": form, "required_fields": REQUIRED_FIELDS}


@role_required(*READERS)
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in RegisterEntry.Status.values:
        status = ""
    q = request.GET.get("q", "")[: selectors.SEARCH_MAX]
    page = Paginator(selectors.entries_for_staff(status=status, q=q), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "registry/list.html",
        {
            "page": page,
            "status": status,
            "q": q,
            "statuses": RegisterEntry.Status.choices,
            "can_write": has_role(request.user, *WRITERS),
            "counts": {
                "registered": RegisterEntry.objects.filter(status=RegisterEntry.Status.REGISTERED).count(),
                "abolished": RegisterEntry.objects.filter(status=RegisterEntry.Status.ABOLISHED).count(),
            },
        },
    )


@role_required(*READERS)
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_entry(pk)
    return render(
        request,
        "registry/detail.html",
        {
            "entry": entry,
            "sheet": entry_sheet(entry),
            "record_items": inventory.entry_record_items(entry),
            "inventory_items": [str(i.label) for i in inventory.inventory_items(entry.code)],
            "extra_items": selectors.extra_item_labels(entry),
            "declared_fields": inventory.declared_fields(entry.code),
            "history": selectors.entry_history(entry),
            "contracts": list(entry.contracts.order_by("number")),
            "can_write": has_role(request.user, *WRITERS),
        },
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EntryCreateForm(request.POST)
        if form.is_valid():
            try:
                entry = services.register_entry_create(actor=request.user, **form.service_values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, gettext_now("第%(number)s号「%(name)s」を登録しました。") % _names(entry)
                )
                return redirect("registry:detail", entry.pk)
    else:
        form = EntryCreateForm(initial={"registered_on": services.today(), "starts_on": services.today()})
    return render(
        request, "registry/create.html", _form_context(form) | {"next_number": services.next_number()}
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def entry_change(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_entry(pk)
    if not entry.is_active:
        messages.error(request, gettext_now("廃止された事務は変更できません。"))
        return redirect("registry:detail", entry.pk)
    if request.method == "POST":
        form = EntryChangeForm(request.POST)
        if form.is_valid():
            try:
                entry = services.register_entry_change(
                    actor=request.user,
                    entry=entry,
                    reason=form.cleaned_data.get("reason") or "",
                    changed_on=form.cleaned_data.get("changed_on"),
                    **form.service_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, gettext_now("第%(number)s号「%(name)s」の変更を登録しました。") % _names(entry)
                )
                return redirect("registry:detail", entry.pk)
    else:
        form = EntryChangeForm(initial=EntryChangeForm.initial_for(entry) | {"changed_on": services.today()})
    return render(
        request,
        "registry/change.html",
        _form_context(form)
        | {"entry": entry, "inventory_items": [str(i.label) for i in inventory.inventory_items(entry.code)]},
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def entry_abolish(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_entry(pk)
    if not entry.is_active:
        messages.error(request, gettext_now("この事務は既に廃止されています。"))
        return redirect("registry:detail", entry.pk)
    if request.method == "POST":
        form = AbolishForm(request.POST)
        if form.is_valid():
            try:
                entry = services.register_entry_abolish(
                    actor=request.user,
                    entry=entry,
                    abolished_on=form.cleaned_data.get("abolished_on"),
                    reason=form.cleaned_data.get("reason") or "",
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    gettext_now("第%(number)s号「%(name)s」を廃止し、登録を抹消しました。") % _names(entry),
                )
                return redirect("registry:detail", entry.pk)
    else:
        form = AbolishForm(initial={"abolished_on": services.today()})
    return render(
        request,
        "registry/abolish.html",
        _form_context(form) | {"entry": entry, "blockers": services.abolition_blockers(entry)},
    )


@role_required(*READERS)
@require_GET
def field_inventory(request: HttpRequest) -> HttpResponse:
    """The field inventory: which field of the system is which item of which entry."""
    return render(
        request,
        "registry/inventory.html",
        {"rows": inventory.inventory_rows(), "excused": inventory.excused_rows()},
    )
