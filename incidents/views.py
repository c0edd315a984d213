"""Incident pages (山梨県 要綱 第48条; 個人情報保護法 第68条). Thin: forms parse, services write, selectors read.

Privacy officers and administrators only (domain §1); anyone else gets 403 (logged) and an anonymous
visitor the login page. Incidents are addressed by id; every look at one (page or PDF) is audited,
because its description may hold personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incidents import deadlines as rules
from incidents import selectors, services
from incidents.forms import (
    BoardReportForm,
    CloseForm,
    CommissionFinalForm,
    CommissionFirstForm,
    IncidentForm,
    PersonsNotifiedForm,
    TriggersForm,
    WrittenReportForm,
    add_service_errors,
    step_initial,
)
from incidents.models import Incident
from incidents.validation import (
    CHANGE_LABELS,
    CHANGE_TRIGGERS,
    STAGE_FINAL,
    STAGE_FIRST,
    now,
    today,
    written_report_days,
)
from privacy_admin.audit.permissions import role_required
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.dates import format_date
from privacy_admin.core.pdf import render_pdf

ROLES = selectors.READ_ROLES
PDF_TEMPLATE = "registry/incidents/pdf/report.html"


# --- list and create ------------------------------------------------------------------------------


@role_required(*ROLES)
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    """Open incidents first, the most urgent next step first, with overdue steps flagged."""
    day = today()
    rows = selectors.incident_rows(request.user, on=day)
    open_rows = [r for r in rows if r.is_open]
    return render(
        request,
        "registry/incidents/list.html",
        {
            "open_rows": open_rows,
            "closed_rows": [r for r in rows if not r.is_open],
            "overdue_count": sum(1 for r in open_rows if r.overdue),
            "today": day,
        },
    )


@role_required(*ROLES)
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                incident = services.incident_record(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "事案 %(number)s を記録しました。教育委員会へ直ちに報告し%(basis)s、報告対象の事態に当たるかをチェックリストで確認してください。"
                    )
                    % {"number": incident.number, "basis": selectors.board_note()},
                )
                if incident.reportable:
                    messages.warning(
                        request,
                        _(
                            "本人の数が100人を超えるため、個人情報保護委員会への報告と本人への通知が必要です"
                            "（法第68条、規則第43条第4号）。"
                        ),
                    )
                return redirect("incidents:detail", pk=incident.pk)
    else:
        local = timezone.localtime(now()).replace(second=0, microsecond=0)
        form = IncidentForm(initial={"discovered_at": local})
    return render(request, "registry/incidents/create.html", {"form": form})


# --- detail ----------------------------------------------------------------------------------------


@dataclass
class Event:
    at: dt.datetime | dt.date
    title: str
    lines: list[str] = field(default_factory=list)
    tone: str = ""  # "", "warn", "done", "stop"
    with_time: bool = False

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.at).date() if isinstance(self.at, dt.datetime) else self.at

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        time = timezone.localtime(self.at).strftime("%H:%M") if isinstance(self.at, dt.datetime) else "99:99"
        return (self.day, time)


def _triggers_line(incident: Incident) -> str:
    met = selectors.triggers_of(incident).met()
    if not met and selectors.checklist_confirmed_at(incident) is None:
        return _("未確認（チェックリストを確認して記録してください）")
    if not met:
        return _("報告対象の事態に当たらない")
    return _("報告対象（%(triggers)s）") % {"triggers": _("、").join(t.label for t in met)}


def _timeline(incident: Incident, history: list[Any]) -> list[Event]:
    events: list[Event] = []
    if incident.occurred_at is not None:
        events.append(Event(incident.occurred_at, _("発生"), [], "", with_time=True))
    events.append(
        Event(
            incident.discovered_at,
            _("発覚（%(kind)s）") % {"kind": incident.get_kind_display()},
            [
                _("本人の数: %(people_count)s人") % {"people_count": incident.people_count},
                _("発生場所: %(place)s") % {"place": incident.place},
            ],
            "stop",
            with_time=True,
        )
    )
    items = {i.step: i for i in selectors.incident_due_items(incident)}

    def late(step: rules.Step) -> list[str]:
        item = items.get(step)
        return (
            [_("期限（%(due_on)s）を過ぎてから記録") % {"due_on": format_date(item.due_on)}]
            if item is not None and item.late
            else []
        )

    if incident.board_reported_at is not None:
        events.append(
            Event(
                incident.board_reported_at,
                _("教育委員会への第一報"),
                [
                    _("報告者: %(board_reported_by)s") % {"board_reported_by": incident.board_reported_by},
                    *late(rules.Step.BOARD_FIRST_REPORT),
                ],
                "done",
                with_time=True,
            )
        )
    for record in history:
        if record.history_change_reason == CHANGE_TRIGGERS:
            triggers = selectors.triggers_of(record)
            result = (
                _("報告対象（%(triggers)s）") % {"triggers": _("、").join(t.label for t in triggers.met())}
                if triggers.reportable
                else _("報告対象の事態に当たらない")
            )
            confirmed_at = record.checklist_confirmed_at or record.history_date
            events.append(Event(confirmed_at, _("チェックリストの確認"), [result], "warn", with_time=True))
    if incident.written_report_on is not None:
        events.append(
            Event(
                incident.written_report_on,
                _("報告書及び今後の対処方針の提出"),
                late(rules.Step.WRITTEN_REPORT),
                "done",
            )
        )
    if incident.commission_first_report_at is not None:
        events.append(
            Event(
                incident.commission_first_report_at,
                _("個人情報保護委員会への速報"),
                late(rules.Step.COMMISSION_FIRST_REPORT),
                "done",
                with_time=True,
            )
        )
    if incident.commission_final_report_on is not None:
        events.append(
            Event(
                incident.commission_final_report_on,
                _("個人情報保護委員会への確報"),
                late(rules.Step.COMMISSION_FINAL_REPORT),
                "done",
            )
        )
    if incident.persons_notified_on is not None:
        events.append(
            Event(
                incident.persons_notified_on,
                _("本人への通知"),
                [
                    _("方法: %(persons_notice_method)s")
                    % {"persons_notice_method": incident.persons_notice_method},
                    *late(rules.Step.PERSONS_NOTICE),
                ],
                "done",
            )
        )
    if incident.closed_on is not None:
        events.append(Event(incident.closed_on, _("完了"), [], "done"))
    events.sort(key=lambda e: e.sort_key)
    return events


def _history(incident: Incident, records: list[Any]) -> list[dict[str, Any]]:
    """The incident's versions: when, who, which step, which fields changed (names, not values)."""
    rows = []
    previous = None
    for record in records:
        changed: list[str] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changed = [
                str(getattr(Incident._meta.get_field(c.field), "verbose_name", c.field))
                for c in delta.changes
            ]
        code = record.history_change_reason or ""
        rows.append(
            {
                "at": record.history_date,
                "user": record.history_user.get_username() if record.history_user else _("システム"),
                "label": CHANGE_LABELS.get(code, _("変更") if record.history_type == "~" else _("作成")),
                "changed": changed,
            }
        )
        previous = record
    rows.reverse()
    return rows


def _data_item_labels(incident: Incident) -> list[str]:
    labels = [str(DataItem(v).label) for v in incident.data_items if v in DataItem.values]
    if incident.other_items:
        labels.append(incident.other_items)
    return labels


# Read from the number of people, so known without the checklist.
AUTOMATIC_TRIGGERS = frozenset({"more_than_100"})


def _checklist(incident: Incident) -> list[dict[str, Any]]:
    """Each line of 規則 第43条 with its state: "met" (該当), "not_met" (非該当), or "unknown" (未確認) —
    a line that nobody has answered yet is not 非該当 (issue 15): until the checklist is recorded
    (``checklist_confirmed_at``), only the lines read from the facts (本人の数) are known."""
    triggers = selectors.triggers_of(incident)
    confirmed = selectors.checklist_confirmed_at(incident) is not None
    rows = []
    for t in rules.TRIGGERS:
        met = bool(getattr(triggers, t.code))
        if met:
            state = "met"
        elif confirmed or t.code in AUTOMATIC_TRIGGERS:
            state = "not_met"
        else:
            state = "unknown"
        rows.append({"label": t.label, "basis": t.basis, "met": met, "state": state})
    return rows


def _render_detail(
    request: HttpRequest, incident: Incident, *, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    services.incident_record_view(
        actor=request.user, incident=incident, what="detail" if not bound else "step"
    )
    day = today()
    initial = step_initial(now())
    step_forms: dict[str, forms.Form] = {
        "facts": IncidentForm(prefix="facts", incident=incident, initial=IncidentForm.initial_for(incident)),
        "board": BoardReportForm(
            initial={
                "reported_at": timezone.localtime(incident.board_reported_at)
                if incident.board_reported_at
                else initial["board"]["reported_at"],
                "reported_by": incident.board_reported_by,
            }
        ),
        "written": WrittenReportForm(
            initial={
                "submitted_on": incident.written_report_on or initial["written"]["submitted_on"],
                "cause": incident.cause,
                "prevention_plan": incident.prevention_plan,
            }
        ),
        "triggers": TriggersForm(
            initial={
                "involves_sensitive": incident.involves_sensitive,
                "financial_harm": incident.financial_harm,
                "wrongful_purpose": incident.wrongful_purpose,
            }
        ),
        "first": CommissionFirstForm(initial=initial["first"]),
        "final": CommissionFinalForm(initial=initial["final"]),
        "persons": PersonsNotifiedForm(initial=initial["persons"]),
        "close": CloseForm(initial=initial["close"]),
    }
    step_forms.update(bound or {})
    history = list(incident.history.select_related("history_user").order_by("history_date", "history_id"))
    items = selectors.incident_due_items(incident, day)
    is_open = incident.status == Incident.Status.OPEN
    context = {
        "incident": incident,
        "today": day,
        "is_open": is_open,
        "items": items if is_open else [i for i in items if i.done],
        "next_item": rules.next_due(items) if is_open else None,
        "overdue_items": [i for i in items if i.overdue] if is_open else [],
        "data_item_labels": _data_item_labels(incident),
        "register_entries": list(incident.register_entries.order_by("number")),
        "checklist": _checklist(incident),
        "checklist_confirmed_at": selectors.checklist_confirmed_at(incident),
        "triggers_result": _triggers_line(incident),
        "timeline": _timeline(incident, history),
        "history": _history(incident, history),
        "missing": selectors.missing_steps(incident) if is_open else [],
        "forms": step_forms,
        "failed": next(iter(bound or {}), ""),
        "final_days": selectors.triggers_of(incident).final_report_days,
        "written_days": written_report_days(),
    }
    return render(request, "registry/incidents/detail.html", context)


@role_required(*ROLES)
@require_GET
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.get_incident_for(request.user, pk))


# --- one POST view per step ------------------------------------------------------------------------


def _step(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form: forms.Form,
    call: Callable[[Incident, dict[str, Any]], str],
) -> HttpResponse:
    """Run one step: on success back to the detail page with the service's message; otherwise the detail
    page again with this step's form and its errors (nothing was changed)."""
    incident = selectors.get_incident_for(request.user, pk)
    if form.is_valid():
        try:
            message = call(incident, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("incidents:detail", pk=incident.pk)
    return _render_detail(request, incident, bound={name: form})


def _next_message(incident: Incident) -> str:
    item = rules.next_due(selectors.incident_due_items(incident))
    if item is None:
        return _("必要な手続きはすべて記録されています。完了にできます。")
    when = (
        _("「速やかに」（目安 %(date)s）") % {"date": format_date(item.due_on)}
        if item.marker
        else format_date(item.due_on)
    )
    return _("次の手続きは%(label)sです（期限 %(when)s）。") % {"label": item.label, "when": when}


@role_required(*ROLES)
@require_POST
def incident_facts(request: HttpRequest, pk: int) -> HttpResponse:
    form = IncidentForm(request.POST, prefix="facts", incident=selectors.get_incident_for(request.user, pk))

    def call(incident: Incident, data: dict[str, Any]) -> str:
        was = incident.reportable
        services.incident_update_facts(actor=request.user, incident=incident, **form.service_kwargs())
        text = _("事実関係を修正しました。")
        if incident.reportable and not was:
            text += _("報告対象の事態に当たるようになりました。") + _next_message(incident)
        return text

    return _step(request, pk, name="facts", form=form, call=call)


@role_required(*ROLES)
@require_POST
def incident_board_report(request: HttpRequest, pk: int) -> HttpResponse:
    def call(incident: Incident, data: dict[str, Any]) -> str:
        services.incident_board_report(
            actor=request.user,
            incident=incident,
            reported_at=data["reported_at"],
            reported_by=data["reported_by"] or "",
        )
        return _("教育委員会への第一報を記録しました。") + _next_message(incident)

    return _step(request, pk, name="board", form=BoardReportForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def incident_written_report(request: HttpRequest, pk: int) -> HttpResponse:
    def call(incident: Incident, data: dict[str, Any]) -> str:
        services.incident_written_report(
            actor=request.user,
            incident=incident,
            submitted_on=data["submitted_on"],
            cause=data["cause"] or "",
            prevention_plan=data["prevention_plan"] or "",
        )
        return _("報告書及び今後の対処方針の提出を記録しました。") + _next_message(incident)

    return _step(request, pk, name="written", form=WrittenReportForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def incident_triggers(request: HttpRequest, pk: int) -> HttpResponse:
    def call(incident: Incident, data: dict[str, Any]) -> str:
        services.incident_set_triggers(
            actor=request.user,
            incident=incident,
            involves_sensitive=bool(data["involves_sensitive"]),
            financial_harm=bool(data["financial_harm"]),
            wrongful_purpose=bool(data["wrongful_purpose"]),
        )
        if incident.reportable:
            return _(
                "チェックリストを記録しました。%(incident)s: 個人情報保護委員会への報告と本人への通知が必要です。"
            ) % {"incident": _triggers_line(incident)} + _next_message(incident)
        return _("チェックリストを記録しました。報告対象の事態には当たりません。")

    return _step(request, pk, name="triggers", form=TriggersForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def incident_commission_first(request: HttpRequest, pk: int) -> HttpResponse:
    def call(incident: Incident, data: dict[str, Any]) -> str:
        services.incident_commission_report(
            actor=request.user, incident=incident, stage=STAGE_FIRST, reported_at=data["reported_at"]
        )
        return _("個人情報保護委員会への速報を記録しました。") + _next_message(incident)

    return _step(request, pk, name="first", form=CommissionFirstForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def incident_commission_final(request: HttpRequest, pk: int) -> HttpResponse:
    def call(incident: Incident, data: dict[str, Any]) -> str:
        services.incident_commission_report(
            actor=request.user, incident=incident, stage=STAGE_FINAL, reported_on=data["reported_on"]
        )
        return _("個人情報保護委員会への確報を記録しました。") + _next_message(incident)

    return _step(request, pk, name="final", form=CommissionFinalForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def incident_persons_notified(request: HttpRequest, pk: int) -> HttpResponse:
    def call(incident: Incident, data: dict[str, Any]) -> str:
        services.incident_persons_notified(
            actor=request.user,
            incident=incident,
            notified_on=data["notified_on"],
            method=data["method"] or "",
        )
        return _("本人への通知を記録しました。") + _next_message(incident)

    return _step(request, pk, name="persons", form=PersonsNotifiedForm(request.POST), call=call)


@role_required(*ROLES)
@require_POST
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    def call(incident: Incident, data: dict[str, Any]) -> str:
        services.incident_close(actor=request.user, incident=incident, closed_on=data["closed_on"])
        return _("事案 %(number)s を完了にしました。") % {"number": incident.number}

    return _step(request, pk, name="close", form=CloseForm(request.POST), call=call)


# --- PDF -------------------------------------------------------------------------------------------


def incident_pdf_context(incident: Incident, *, on: dt.date | None = None) -> dict[str, Any]:
    day = on if on is not None else today()
    items = selectors.incident_due_items(incident, day)
    return {
        "incident": incident,
        "today": day,
        "items": items,
        "data_item_labels": _data_item_labels(incident),
        "register_entries": list(incident.register_entries.order_by("number")),
        "checklist": _checklist(incident),
        "checklist_confirmed_at": selectors.checklist_confirmed_at(incident),
        "triggers_result": _triggers_line(incident),
        "met_labels": [t.label for t in selectors.triggers_of(incident).met()],
        "reportable": incident.reportable,
        "library_name": settings.LIBRARY_NAME,
        "library_head": settings.LIBRARY_HEAD,
        "board": getattr(settings, "LIBRARY_APPEAL_AUTHORITY", _("教育委員会")),
        "written_days": written_report_days(),
        "generated_at": timezone.localtime(now()),
    }


def render_incident_pdf(incident: Incident, *, on: dt.date | None = None) -> bytes:
    """事故報告書 (山梨県 要綱 第48条の報告書): the facts, the checklist and its result, the reports and their
    dates, in 和暦."""
    # An official document: in the library's language (Japanese) whatever the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(PDF_TEMPLATE, incident_pdf_context(incident, on=on))


def pdf_filename(incident: Incident) -> str:
    return incident.number.replace("事案", "incident") + ".pdf"


@role_required(*ROLES)
@require_GET
def incident_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    incident = selectors.get_incident_for(request.user, pk)
    content = render_incident_pdf(incident)
    services.incident_record_view(actor=request.user, incident=incident, what="pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(incident)}"'
    return response
