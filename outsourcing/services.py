"""Every write to contractors, contracts, handlers and operator accounts (domain.md §6; 002; 004; 要綱 第11条).

Each service is keyword-only, validates before it writes, raises ``ValidationError`` with Japanese
messages keyed by the argument at fault and changes nothing when the input is bad. It makes the change
and writes its access-log event in one ``transaction.atomic()``. Events name contractors, contracts,
handlers and accounts by id: a handler's name never goes into the log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patrons.models import Branch
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor, staff_user, user_of
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.dates import today
from register.models import RegisterEntry

from .models import Clause, ClauseAgreement, Contract, Contractor, ContractorChange, Handler
from .operators import close_accounts, unset_in_charge

DISPOSITIONS = ("returned", "erased")  # 004 特記事項10: 返還 or 消去


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({k: [ValidationError(v)] for k, v in errors.items()})


def _text(value: str | None) -> str:
    return (value or "").strip()


def _not_future(errors: dict[str, str], key: str, value: dt.date | None, on: dt.date, what: str) -> None:
    if value is not None and value > on:
        errors[key] = _("%(what)sに未来の日付は入力できません。") % {"what": what}


# --- contractors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractorInput:
    name: str
    address: str = ""
    representative: str = ""
    privacy_mark: bool = False
    privacy_mark_number: str = ""
    privacy_mark_expires_on: dt.date | None = None


def _clean_contractor(data: ContractorInput, *, instance: Contractor | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = _text(data.name)
    if not name:
        errors["name"] = _("委託先の名称を入力してください。")
    elif Contractor.objects.filter(name=name).exclude(pk=instance.pk if instance else 0).exists():
        errors["name"] = _("同じ名称の委託先がすでに登録されています。")
    values: dict[str, Any] = {
        "name": name,
        "address": _text(data.address),
        "representative": _text(data.representative),
        "privacy_mark": bool(data.privacy_mark),
        "privacy_mark_number": _text(data.privacy_mark_number) if data.privacy_mark else "",
        "privacy_mark_expires_on": data.privacy_mark_expires_on if data.privacy_mark else None,
    }
    if data.privacy_mark and data.privacy_mark_expires_on is None:
        errors["privacy_mark_expires_on"] = _("プライバシーマークの有効期限を入力してください。")
    _refuse(errors)
    return values


def contractor_create(*, actor: Actor, data: ContractorInput) -> Contractor:
    values = _clean_contractor(data, instance=None)
    with transaction.atomic():
        contractor = Contractor.objects.create(**values)
        audit_record(
            actor=actor, action="contractor.create", target_type="contractor", target_id=contractor.pk
        )
    return contractor


def contractor_update(*, actor: Actor, contractor: Contractor, data: ContractorInput) -> Contractor:
    values = _clean_contractor(data, instance=contractor)
    changed = [k for k, v in values.items() if getattr(contractor, k) != v]
    with transaction.atomic():
        for key, value in values.items():
            setattr(contractor, key, value)
        contractor.save()
        audit_record(
            actor=actor,
            action="contractor.update",
            target_type="contractor",
            target_id=contractor.pk,
            detail={"fields": changed},
        )
    return contractor


# --- contracts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractInput:
    number: str
    title: str
    contractor: Contractor | None
    purpose: str
    data_items: Sequence[str]
    branches: Sequence[Branch]
    starts_on: dt.date | None
    ends_on: dt.date | None
    online_connection: bool
    register_entry: RegisterEntry | None
    review_due_on: dt.date | None


def _clean_contract(data: ContractInput, *, instance: Contract | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if instance is not None and instance.status == Contract.Status.ENDED:
        raise ValidationError(_("終了した契約は変更できません。"))
    number = _text(data.number)
    if not number:
        errors["number"] = _("契約番号を入力してください。")
    elif Contract.objects.filter(number=number).exclude(pk=instance.pk if instance else 0).exists():
        errors["number"] = _("この契約番号はすでに使われています。")
    if not _text(data.title):
        errors["title"] = _("業務名を入力してください。")
    if data.contractor is None:
        errors["contractor"] = _("委託先を選んでください。")
    if not _text(data.purpose):
        errors["purpose"] = _("委託の目的・内容を入力してください。")
    # 002・004: only the items the purpose needs, named from the vocabulary (domain.md §3).
    items = [str(i) for i in data.data_items]
    unknown = [i for i in items if i not in DataItem.values]
    if unknown:
        errors["data_items"] = _("取り扱う項目は一覧から選んでください（一覧にない項目は指定できません）。")
    elif not items:
        errors["data_items"] = _("委託先が取り扱う個人情報の項目を1つ以上選んでください。")
    branches = list(data.branches)
    if not branches:
        errors["branches"] = _("対象の館・受取窓口・学校を1つ以上選んでください。")
    elif any(not b.is_active for b in branches):
        errors["branches"] = _("廃止された館は選べません。")
    if data.starts_on is None:
        errors["starts_on"] = _("契約開始日を入力してください。")
    if data.ends_on is None:
        errors["ends_on"] = _("契約終了日を入力してください。")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = _("契約終了日は契約開始日以降の日付にしてください。")
    if data.review_due_on is None:
        errors["review_due_on"] = _(
            "次回見直し期限を入力してください（事前一括承認基準に該当する契約も見直します）。"
        )
    elif data.starts_on and data.review_due_on < data.starts_on:
        errors["review_due_on"] = _("次回見直し期限は契約開始日以降の日付にしてください。")
    if data.register_entry is None:
        errors["register_entry"] = _("この委託が関わる登録簿の事務を選んでください。")
    elif not data.register_entry.is_active:
        errors["register_entry"] = _("廃止された事務は選べません。登録されている事務を選んでください。")
    _refuse(errors)
    ordered = [v for v in DataItem.values if v in set(items)]
    return {
        "number": number,
        "title": _text(data.title),
        "contractor": data.contractor,
        "purpose": _text(data.purpose),
        "data_items": ordered,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "online_connection": bool(data.online_connection),
        "register_entry": data.register_entry,
        "review_due_on": data.review_due_on,
        "branches": branches,
    }


def contract_create(*, actor: Actor, data: ContractInput) -> Contract:
    """A new contract starts 手続中: it is not in force until its procedure, the 16 特記事項 and a
    handler in charge are recorded (``gate``)."""
    values = _clean_contract(data, instance=None)
    branches = values.pop("branches")
    with transaction.atomic():
        contract = Contract.objects.create(**values)
        contract.branches.set(branches)
        audit_record(
            actor=actor,
            action="contract.create",
            target_type="contract",
            target_id=contract.pk,
            detail={"contractor_id": contract.contractor_id, "items": len(values["data_items"])},
        )
    return contract


def contract_update(*, actor: Actor, contract: Contract, data: ContractInput) -> Contract:
    """Change the contract's terms. A change of contractor has its own step (``contractor_change``)."""
    values = _clean_contract(data, instance=contract)
    branches = values.pop("branches")
    if values["contractor"].pk != contract.contractor_id:
        raise ValidationError({"contractor": [_("委託先の変更は「委託先の変更」の手続で記録してください。")]})
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        changed = [
            k
            for k, v in values.items()
            if (set(getattr(locked, k)) != set(v) if k == "data_items" else getattr(locked, k) != v)
        ]
        if {b.pk for b in branches} != set(locked.branches.values_list("pk", flat=True)):
            changed.append("branches")
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save()
        locked.branches.set(branches)
        audit_record(
            actor=actor,
            action="contract.update",
            target_type="contract",
            target_id=locked.pk,
            detail={"fields": changed},
        )
    contract.refresh_from_db()
    return contract


def contract_record_view(*, actor: Actor, contract: Contract) -> None:
    """The detail page names the handlers (personal data of the contractor's staff): each look is logged."""
    audit_record(
        standalone=True, actor=actor, action="contract.view", target_type="contract", target_id=contract.pk
    )


def contract_record_procedure(
    *,
    actor: Actor,
    contract: Contract,
    procedure: str,
    consultation_number: str = "",
    approved_on: dt.date | None = None,
    reported_on: dt.date | None = None,
    pre_approval_category: str = "",
    pre_approval_confirmed_on: dt.date | None = None,
    pre_approval_confirmed_by: str = "",
    on: dt.date | None = None,
) -> Contract:
    """Record the council procedure (002: 諮問 approved on a date, 報告, or a 事前一括承認基準 category
    confirmed with the privacy office). The fields of the other kinds are cleared."""
    on = on or today()
    P = Contract.Procedure
    errors: dict[str, str] = {}
    if contract.status == Contract.Status.ENDED:
        raise ValidationError(_("終了した契約の手続は変更できません。"))
    values: dict[str, Any] = {
        "procedure": procedure,
        "consultation_number": "",
        "approved_on": None,
        "reported_on": None,
        "pre_approval_category": "",
        "pre_approval_confirmed_on": None,
        "pre_approval_confirmed_by": "",
    }
    if procedure == P.CONSULTATION:
        values["consultation_number"] = _text(consultation_number)
        values["approved_on"] = approved_on
        if not values["consultation_number"]:
            errors["consultation_number"] = _("諮問番号を入力してください。")
        if approved_on is None:
            errors["approved_on"] = _("審議会が承認した日を入力してください。")
        _not_future(errors, "approved_on", approved_on, on, _("承認日"))
    elif procedure == P.REPORT:
        values["reported_on"] = reported_on
        if reported_on is None:
            errors["reported_on"] = _("審議会に報告した日を入力してください。")
        _not_future(errors, "reported_on", reported_on, on, _("報告日"))
    elif procedure == P.PRE_APPROVAL:
        values["pre_approval_category"] = _text(pre_approval_category)
        values["pre_approval_confirmed_on"] = pre_approval_confirmed_on
        values["pre_approval_confirmed_by"] = _text(pre_approval_confirmed_by)
        if not values["pre_approval_category"]:
            errors["pre_approval_category"] = _(
                "該当する事前一括承認基準の類型を入力してください（例: 類型10）。"
            )
        if pre_approval_confirmed_on is None:
            errors["pre_approval_confirmed_on"] = _("個人情報保護担当と確認した日を入力してください。")
        if not values["pre_approval_confirmed_by"]:
            errors["pre_approval_confirmed_by"] = _("確認した担当者を入力してください。")
        _not_future(errors, "pre_approval_confirmed_on", pre_approval_confirmed_on, on, _("確認日"))
    else:
        errors["procedure"] = _("手続の種類を選んでください。")
    if len(values["consultation_number"]) > 32:
        errors["consultation_number"] = _("諮問番号は32文字以内で入力してください。")
    if len(values["pre_approval_category"]) > 200:
        errors["pre_approval_category"] = _("類型は200文字以内で入力してください。")
    if len(values["pre_approval_confirmed_by"]) > 100:
        errors["pre_approval_confirmed_by"] = _("担当者は100文字以内で入力してください。")
    _refuse(errors)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save(update_fields=list(values))
        audit_record(
            actor=actor,
            action="contract.procedure",
            target_type="contract",
            target_id=contract.pk,
            detail={"procedure": procedure},
        )
    contract.refresh_from_db()
    return contract


def contract_set_clauses(
    *, actor: Actor, contract: Contract, agreed: Mapping[str, dt.date | None], on: dt.date | None = None
) -> Contract:
    """Record which of the 16 特記事項 (004) are agreed and when. A clause not in ``agreed`` (or with no
    date) is not agreed: unchecking one puts the contract back to 手続中 and stops its operators."""
    on = on or today()
    if contract.status == Contract.Status.ENDED:
        raise ValidationError(_("終了した契約の特記事項は変更できません。"))
    errors: dict[str, str] = {}
    unknown = [k for k in agreed if k not in Clause.values]
    if unknown:
        errors["__all__"] = _("特記事項は一覧から選んでください。")
    for key, day in agreed.items():
        if day is not None and day > on:
            errors[f"on_{key}"] = _("合意日に未来の日付は入力できません。")
    _refuse(errors)
    wanted = {k: d for k, d in agreed.items() if d is not None}
    with transaction.atomic():
        ClauseAgreement.objects.filter(contract=contract).exclude(clause__in=list(wanted)).delete()
        for clause, day in wanted.items():
            ClauseAgreement.objects.update_or_create(
                contract=contract, clause=clause, defaults={"agreed_on": day}
            )
        audit_record(
            actor=actor,
            action="contract.clauses",
            target_type="contract",
            target_id=contract.pk,
            detail={"agreed": len(wanted), "of": len(Clause.values)},
        )
    return contract


# --- contractor change and contract end -----------------------------------------------------------------


def contractor_change(
    *,
    actor: Actor,
    contract: Contract,
    new_contractor: Contractor | None,
    changed_on: dt.date | None,
    reason: str,
    on: dt.date | None = None,
) -> ContractorChange:
    """Record a change of contractor and hand the contract to the new one (002: 委託先業者が変更になったとき).

    The 特記事項 bind the contractor (乙) that agreed to them and the handlers are its staff: their
    agreements are cleared, the handler in charge is unset and the previous contractor's operator
    accounts are closed. The contract is 手続中 again until the new contractor agrees the clauses and
    names its handler in charge; the council procedure stays (the purpose and items are unchanged).
    """
    on = on or today()
    errors: dict[str, str] = {}
    if contract.status == Contract.Status.ENDED:
        raise ValidationError(_("終了した契約の委託先は変更できません。"))
    if new_contractor is None:
        errors["new_contractor"] = _("変更後の委託先を選んでください。")
    elif new_contractor.pk == contract.contractor_id:
        errors["new_contractor"] = _("現在の委託先と同じです。")
    if changed_on is None:
        errors["changed_on"] = _("変更日を入力してください。")
    elif changed_on < contract.starts_on:
        errors["changed_on"] = _("変更日は契約開始日以降の日付にしてください。")
    elif changed_on > on:
        errors["changed_on"] = _("変更日に未来の日付は入力できません。変更した日に記録してください。")
    if not _text(reason):
        errors["reason"] = _("変更の理由を入力してください。")
    _refuse(errors)
    assert new_contractor is not None and changed_on is not None
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        change = ContractorChange.objects.create(
            contract=locked,
            previous_id=locked.contractor_id,
            new=new_contractor,
            changed_on=changed_on,
            reason=_text(reason),
            recorded_by=staff_user(actor),
        )
        user_ids = list(
            Handler.objects.filter(contract=locked, user__isnull=False).values_list("user_id", flat=True)
        )
        closed = close_accounts(user_ids)
        cleared, _deleted = ClauseAgreement.objects.filter(contract=locked).delete()
        unset_in_charge(locked.pk)
        locked.contractor = new_contractor
        locked.save(update_fields=["contractor"])
        audit_record(
            actor=actor,
            action="contract.contractor_change",
            target_type="contract",
            target_id=locked.pk,
            detail={
                "previous_id": change.previous_id,
                "new_id": new_contractor.pk,
                "accounts_closed": closed,
                "clauses_cleared": cleared,
            },
        )
    contract.refresh_from_db()
    return change


def contracts_due_for_closing(*, on: dt.date) -> list[int]:
    """Contracts whose last day has passed and whose accounts are not closed yet."""
    return list(
        Contract.objects.filter(ends_on__lt=on)
        .exclude(status=Contract.Status.ENDED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def contract_close(*, actor: Actor, contract_id: int, now: dt.datetime | None = None) -> bool:
    """The end date has passed: close every operator account of the contract, end their sessions, and
    open the end step (004 特記事項10: the data is returned or erased, then certified).

    The contract becomes 終了 with ``closed_at`` set; ``disposition_*`` stay empty until
    ``contract_certify_end``, and the contract pages show the step as 未了 until then. Idempotent.
    """
    now = now or timezone.now()
    with transaction.atomic():
        contract = Contract.objects.select_for_update().filter(pk=contract_id).first()
        if contract is None or contract.status == Contract.Status.ENDED:
            return False
        user_ids = list(
            Handler.objects.filter(contract=contract, user__isnull=False).values_list("user_id", flat=True)
        )
        closed = close_accounts(user_ids)
        contract.status = Contract.Status.ENDED
        contract.closed_at = now
        contract.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=actor,
            action="contract.close",
            target_type="contract",
            target_id=contract.pk,
            detail={"accounts_closed": closed},
        )
    return True


def contract_certify_end(
    *,
    actor: Actor,
    contract: Contract,
    disposition: str,
    certified_by: str,
    certified_on: dt.date | None,
    on: dt.date | None = None,
) -> Contract:
    """Record that the contractor returned or erased the data, who certified it and when, confirmed by
    the staff member ``actor`` (004 特記事項10: 資料等の返還等)."""
    on = on or today()
    errors: dict[str, str] = {}
    if contract.status != Contract.Status.ENDED:
        raise ValidationError(_("契約終了の処理（アカウントの停止）が済んでから記録してください。"))
    if contract.disposition_certified_on is not None:
        raise ValidationError(_("資料の返還・消去の確認はすでに記録されています。"))
    if disposition not in DISPOSITIONS:
        errors["data_disposition"] = _("資料の処置（返還または消去・廃棄）を選んでください。")
    certified_by = _text(certified_by)
    if not certified_by:
        errors["disposition_certified_by"] = _("返還・消去を証明した者を入力してください。")
    elif len(certified_by) > 100:
        errors["disposition_certified_by"] = _("証明者は100文字以内で入力してください。")
    if certified_on is None:
        errors["disposition_certified_on"] = _("証明日を入力してください。")
    elif certified_on > on:
        errors["disposition_certified_on"] = _("証明日に未来の日付は入力できません。")
    elif certified_on < contract.starts_on:
        errors["disposition_certified_on"] = _("証明日は契約開始日以降の日付にしてください。")
    _refuse(errors)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        locked.data_disposition = disposition
        locked.disposition_certified_by = certified_by
        locked.disposition_certified_on = certified_on
        locked.disposition_confirmed_by = user_of(actor)
        locked.save(
            update_fields=[
                "data_disposition",
                "disposition_certified_by",
                "disposition_certified_on",
                "disposition_confirmed_by",
            ]
        )
        audit_record(
            actor=actor,
            action="contract.end_certified",
            target_type="contract",
            target_id=contract.pk,
            detail={"disposition": disposition},
        )
    contract.refresh_from_db()
    return contract


def contract_input_from(contract: Contract) -> ContractInput:
    """The contract's current terms as an input (for partial updates from code, e.g. the demo)."""
    values = {f.name: getattr(contract, f.name) for f in fields(ContractInput) if f.name != "branches"}
    return ContractInput(**values, branches=list(contract.branches.all()))
