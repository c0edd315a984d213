"""What the library holds about a patron: the content of a 開示 (domain.md §7 "Disclosure content").

``held_data_compile`` gathers, for a 開示 request linked to a registered patron, everything the system
keeps about that person: registration data, identity checks, current loans and reservations, notices,
damage cases, paper forms, earlier requests and their letters, and the access-log events about them.
It is a draft for the privacy officer, who decides what is disclosed (法 第78–82条; 山梨県 要綱 第19–23条) and attaches it
to the 開示決定通知書.

Registration data is generated from the field inventory (``privacy_admin.core.dataitems.PERSONAL_FIELDS``):
every field declared for ``patrons.Patron`` appears under its DataItem label, so a field added to the
patron and declared there appears here too, and cannot be forgotten.

Past loans and reservations do not exist: they are erased on return, lending, cancellation or expiry
(市川市 方針 第3(2)(3)). The package says so instead of showing an empty list.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from loans.models import DamageCase, Loan, Notice, Reservation
from patrons import rules as patron_rules
from patrons.models import IdentityCheck, PaperApplicationForm, Patron, ProxyApplication
from privacy_admin.audit.labels import action_label, role_label
from privacy_admin.audit.models import AuditEvent
from privacy_admin.audit.models import Outcome as AuditOutcome
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.dataitems import PERSONAL_FIELDS, DataItem
from privacy_admin.core.dates import format_date
from privacy_admin.core.pdf import render_pdf

from .models import Letter, LetterKind, PrivacyRequest, RequestKind

SCHEMA = "privacy_admin.held_data/1"
PDF_TEMPLATE = "disclosure_requests/pdf/held_data.html"

# 市川市 方針 第3(2)(3): the loan record ends with the return, the reservation record with lending,
# cancellation or expiry. Nothing of them is left to disclose.
ERASURE_STATEMENT = (
    "返却された資料の貸出記録及び貸出・取消・期限切れとなった予約の記録は、返却・貸出等と同時に消去しているため"
    "保有していません（市川市 図書館における個人情報保護の方針 第3(2)(3)）。"
)
NOTICE_STATEMENT = "通知の記録には、種類・方法・日付・点数だけを保有しており、資料名は保有していません。"
ACCESS_LOG_STATEMENT = "操作者は役割（職）のみを記載し、職員個人の氏名・IDは記載していません。"


class PackageError(Exception):
    """The package cannot be compiled for this request (Japanese message, no personal data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RegistrationRow:
    item: str  # DataItem code
    item_label: str  # DataItem label (利用者番号, 氏名, ...)
    field: str  # model field name
    field_label: str  # the field's own label (氏名（姓）, ...)
    value: str | dt.date  # a date stays a date (ISO in JSON, 和暦 in the PDF); anything else as read


@dataclass(frozen=True)
class IdentityCheckRow:
    checked_on: dt.date
    document: str
    document_issued_on: dt.date | None


@dataclass(frozen=True)
class LoanRow:
    title: str
    barcode: str
    lent_on: dt.date
    due_on: dt.date
    branch: str


@dataclass(frozen=True)
class ReservationRow:
    title: str
    barcode: str
    reserved_on: dt.date
    status: str
    pickup_branch: str
    hold_until: dt.date | None


@dataclass(frozen=True)
class NoticeRow:
    created_on: dt.date
    kind: str
    channel: str
    item_count: int


@dataclass(frozen=True)
class DamageCaseRow:
    reported_on: dt.date
    title: str
    barcode: str
    description: str
    status: str


@dataclass(frozen=True)
class PaperFormRow:
    kind: str
    received_on: dt.date
    destroyed_on: dt.date | None


@dataclass(frozen=True)
class LetterRow:
    kind: str
    issued_on: dt.date


@dataclass(frozen=True)
class RequestRow:
    number: str
    kind: str
    received_on: dt.date
    status: str
    letters: list[LetterRow]


@dataclass(frozen=True)
class AccessLogRow:
    occurred_at: dt.datetime
    action: str
    action_label: str
    role: str
    outcome: str


@dataclass(frozen=True)
class HeldDataPackage:
    request_number: str
    patron_id: int
    generated_at: dt.datetime
    library_name: str
    registration: list[RegistrationRow]
    identity_checks: list[IdentityCheckRow]
    proxy_application: str
    paper_forms: list[PaperFormRow]
    loans: list[LoanRow]
    reservations: list[ReservationRow]
    notices: list[NoticeRow]
    damage_cases: list[DamageCaseRow]
    requests: list[RequestRow]
    access_log: list[AccessLogRow]
    statements: list[str] = field(
        default_factory=lambda: [ERASURE_STATEMENT, NOTICE_STATEMENT, ACCESS_LOG_STATEMENT]
    )
    schema: str = SCHEMA

    @property
    def registration_groups(self) -> list[RegistrationGroup]:
        """The registration as the PDF prints it (not part of the JSON): see ``registration_groups``."""
        return registration_groups(self.registration)


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def _value(patron: Patron, model_field: Field[Any, Any]) -> str | dt.date:
    """A patron field as the person would read it: choices by label, relations by name, dates in 和暦."""
    name = model_field.name
    if name == "password":
        # Only a one-way hash is kept (山梨県 要綱 第8条); the hash itself would only help someone guess the
        # password, so its existence is stated, not its value (山梨県 要綱 第19条第7号).
        return "設定あり（不可逆な変換値のみ保有）" if patron.password else "設定なし"
    if name == "duplicate_key":
        # A one-way value made from 氏名・生年月日・住所 to find double registrations (山梨県 要綱 第6条1号).
        return "保有（氏名・生年月日・住所から作成した重複登録照合用の変換値。元の情報には戻せません）"
    if model_field.is_relation:
        related = getattr(patron, name)
        return getattr(related, "name", "") if related is not None else ""
    if getattr(model_field, "choices", None):
        display = getattr(patron, f"get_{name}_display")()
        return str(display)
    value = getattr(patron, name)
    if isinstance(value, dt.date):
        return value
    return str(value or "")


# Fields whose model label is not meant for a reader.
_FIELD_LABELS = {"duplicate_key": "重複登録照合用の変換値"}


def registration_rows(patron: Patron) -> list[RegistrationRow]:
    """Every field declared personal for patrons.Patron, in declaration order (PERSONAL_FIELDS)."""
    rows = []
    for (model_label, field_name), declared in PERSONAL_FIELDS.items():
        if model_label != "patrons.Patron":
            continue
        model_field = Patron._meta.get_field(field_name)
        item = DataItem(declared.item)
        rows.append(
            RegistrationRow(
                item=item.value,
                item_label=str(item.label),
                field=field_name,
                field_label=_FIELD_LABELS.get(field_name)
                or str(getattr(model_field, "verbose_name", field_name)),
                value=_value(patron, model_field),  # type: ignore[arg-type]
            )
        )
    return rows


def _access_log(patron_id: int) -> list[AccessLogRow]:
    # The staff member who acted is named by role only, never by name or login ID: who the employee
    # is is information about another person (山梨県 要綱 第19条第3号; its ただし書ハ makes only the 職 and
    # the duty performed disclosable), and account IDs would help an attack on the system (第19条第7号).
    outcome_labels = dict(AuditOutcome.choices)
    rows = []
    events = (
        AuditEvent.objects.filter(patron_id=patron_id)
        .order_by("seq")
        .values_list("occurred_at", "action", "role", "outcome")
    )
    for occurred_at, action, role, outcome in events.iterator():
        rows.append(
            AccessLogRow(
                occurred_at=_local(occurred_at),
                action=action,
                action_label=action_label(action) or action,
                role=role_label(role, role),
                outcome=str(outcome_labels.get(outcome, outcome)),
            )
        )
    return rows


def held_data_compile(*, actor: Actor, request: PrivacyRequest) -> HeldDataPackage:
    """Everything held about the patron of a 開示 request (draft for the officer; see module docstring).

    Reads only; ``held_data_export`` audits the export. Refuses a request that is not a 開示 request or
    that is not linked to a registered patron.
    """
    if request.kind != RequestKind.DISCLOSURE:
        raise PackageError("保有個人情報の一覧は、開示請求についてのみ作成できます。")
    if request.patron_id is None:
        raise PackageError(
            "この請求は登録利用者に結び付けられていないため、保有個人情報の一覧を作成できません。"
            "請求の詳細で利用者を結び付けてください。"
        )
    patron = Patron.objects.select_related("category", "registered_branch").get(pk=request.patron_id)
    documents = patron_rules.IDENTITY_DOCUMENTS_BY_CODE

    identity = [
        IdentityCheckRow(
            checked_on=_local(check.checked_at).date(),
            document=documents[check.document_type].label
            if check.document_type in documents
            else check.document_type,
            document_issued_on=check.document_issued_on,
        )
        for check in IdentityCheck.objects.filter(patron=patron).order_by("checked_at", "pk")
    ]
    proxy = ProxyApplication.objects.filter(patron=patron).first()
    proxy_text = ""
    if proxy is not None:
        proxy_text = f"代理申請（理由: {proxy.reason}、委任状: {'提出あり' if proxy.power_of_attorney_received else '提出なし'}）"
    paper_forms = [
        PaperFormRow(
            kind=form.get_kind_display(), received_on=form.received_on, destroyed_on=form.destroyed_on
        )
        for form in PaperApplicationForm.objects.filter(patron=patron).order_by("received_on", "pk")
    ]
    loans = [
        LoanRow(
            title=loan.item.title,
            barcode=loan.item.barcode,
            lent_on=_local(loan.lent_at).date(),
            due_on=loan.due_on,
            branch=loan.branch.name,
        )
        for loan in Loan.objects.filter(patron=patron)
        .select_related("item", "branch")
        .order_by("lent_at", "pk")
    ]
    reservations = [
        ReservationRow(
            title=r.item.title,
            barcode=r.item.barcode,
            reserved_on=_local(r.reserved_at).date(),
            status=r.get_status_display(),
            pickup_branch=r.pickup_branch.name,
            hold_until=r.hold_until,
        )
        for r in Reservation.objects.filter(patron=patron)
        .select_related("item", "pickup_branch")
        .order_by("reserved_at", "pk")
    ]
    notices = [
        NoticeRow(
            created_on=n.created_on,
            kind=n.get_kind_display(),
            channel=n.get_channel_display(),
            item_count=n.item_count,
        )
        for n in Notice.objects.filter(patron=patron).order_by("created_on", "pk")
    ]
    damage_cases = [
        DamageCaseRow(
            reported_on=c.reported_on,
            title=c.item.title,
            barcode=c.item.barcode,
            description=c.description,
            status=c.get_status_display(),
        )
        for c in DamageCase.objects.filter(patron=patron).select_related("item").order_by("reported_on", "pk")
    ]
    kind_labels = dict(LetterKind.choices)
    letters_by_request: dict[int, list[LetterRow]] = {}
    patron_requests = list(PrivacyRequest.objects.filter(patron=patron).order_by("received_on", "pk"))
    for letter in (
        Letter.objects.filter(request__in=patron_requests)
        .order_by("issued_on", "pk")
        .values("request_id", "kind", "issued_on")
    ):
        letters_by_request.setdefault(letter["request_id"], []).append(
            LetterRow(
                kind=str(kind_labels.get(letter["kind"], letter["kind"])), issued_on=letter["issued_on"]
            )
        )
    requests = [
        RequestRow(
            number=r.number,
            kind=r.get_kind_display(),
            received_on=r.received_on,
            status=r.get_status_display(),
            letters=letters_by_request.get(r.pk, []),
        )
        for r in patron_requests
    ]
    return HeldDataPackage(
        request_number=request.number,
        patron_id=patron.pk,
        generated_at=timezone.localtime(),
        library_name=settings.LIBRARY_NAME,
        registration=registration_rows(patron),
        identity_checks=identity,
        proxy_application=proxy_text,
        paper_forms=paper_forms,
        loans=loans,
        reservations=reservations,
        notices=notices,
        damage_cases=damage_cases,
        requests=requests,
        access_log=_access_log(patron.pk),
    )


@dataclass(frozen=True)
class RegistrationLine:
    field_label: str
    value: str  # as printed: a date in 和暦, a card number as it is


@dataclass(frozen=True)
class RegistrationGroup:
    """Consecutive fields recorded under one 記録項目 of the register (氏名（姓）・氏名（名） under 氏名,
    登録日・有効期限 under 有効期限): the item is printed once, beside all of them, so that it does not read
    as the name of each field (「登録日 … 有効期限」)."""

    item_label: str
    lines: list[RegistrationLine]


def _printed(value: str | dt.date) -> str:
    # Only a real date goes through 和暦: a number such as the card number 2101011498 is not a date, though
    # date.fromisoformat would read it as one (the PDF once printed 利用者番号 令和83年1月14日).
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value) or "（登録なし）"


def registration_groups(rows: list[RegistrationRow]) -> list[RegistrationGroup]:
    groups: list[RegistrationGroup] = []
    for row in rows:
        line = RegistrationLine(row.field_label, _printed(row.value))
        if groups and groups[-1].item_label == row.item_label:
            groups[-1].lines.append(line)
        else:
            groups.append(RegistrationGroup(row.item_label, [line]))
    return groups


def render_held_data_pdf(package: HeldDataPackage) -> bytes:
    """The package as a PDF: cover, one section per kind of record, 和暦 dates, page numbers."""
    return render_pdf(PDF_TEMPLATE, {"package": package, "office": settings.LIBRARY_OFFICE})


def _json_default(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"not serialisable: {type(value).__name__}")


def held_data_json(package: HeldDataPackage) -> bytes:
    """The package as UTF-8 JSON (ensure_ascii False, ISO dates), with the schema version under "schema"."""
    data = asdict(package)
    ordered = {"schema": data.pop("schema"), **data}
    return json.dumps(ordered, ensure_ascii=False, indent=2, default=_json_default).encode("utf-8")


FORMATS = {"pdf": ("application/pdf", "pdf"), "json": ("application/json; charset=utf-8", "json")}


def held_data_export(*, actor: Actor, request: PrivacyRequest, fmt: str) -> tuple[bytes, str, str]:
    """Compile and render the package; audit "privacy_request.package" naming the patron by id.

    Returns (content, content type, ASCII filename). The filename carries the request's internal id only.
    """
    if fmt not in FORMATS:
        raise PackageError("出力形式が正しくありません。")
    package = held_data_compile(actor=actor, request=request)
    content = render_held_data_pdf(package) if fmt == "pdf" else held_data_json(package)
    content_type, extension = FORMATS[fmt]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="privacy_request.package",
            target_type="privacy_request",
            target_id=request.pk,
            patron_id=package.patron_id,
            detail={"format": fmt},
        )
    return content, content_type, f"held-data-{request.pk}.{extension}"
