"""Handlers and their operator accounts (domain.md §6; 002: 操作員は受託事業者の職員に限定し、操作員のみ
個人IDとパスワードを付与; 004: 取扱責任者及び取扱者をあらかじめ指定する).

One person, one account: a handler has at most one account, an account serves one handler, and accounts
are created by an administrator only. Services follow ``outsourcing.services``: keyword-only, Japanese
``ValidationError`` keyed by the argument at fault, the access-log event in the same transaction, the
handler named by id only.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patrons.models import Branch
from privacy_admin.accounts.models import ApiToken, StaffProfile
from privacy_admin.accounts.passwords import require_change
from privacy_admin.accounts.services import end_sessions
from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor, user_of
from privacy_admin.core.roles import Role, has_role, roles_of

from .models import Contract, Handler

_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - characters, not a secret


def _text(value: str | None) -> str:
    return (value or "").strip()


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({k: [ValidationError(v)] for k, v in errors.items()})


def unset_in_charge(contract_id: int, *, keep: int | None = None) -> None:
    # Saved one by one so that the handlers' history records the change (one in charge per contract).
    others = Handler.objects.filter(contract_id=contract_id, in_charge=True)
    if keep is not None:
        others = others.exclude(pk=keep)
    for other in others:
        other.in_charge = False
        other.save(update_fields=["in_charge"])


def handler_add(*, actor: Actor, contract: Contract, name: str, in_charge: bool = False) -> Handler:
    """Name a handler (取扱者) of the contractor in advance (004: 取扱責任者及び取扱者をあらかじめ指定する)."""
    name = _text(name)
    errors: dict[str, str] = {}
    if contract.status == Contract.Status.ENDED:
        raise ValidationError(_("終了した契約には取扱者を追加できません。"))
    if not name:
        errors["name"] = _("取扱者の氏名を入力してください。")
    elif len(name) > 100:
        errors["name"] = _("氏名は100文字以内で入力してください。")
    _refuse(errors)
    with transaction.atomic():
        if in_charge:
            unset_in_charge(contract.pk)
        handler = Handler.objects.create(
            contract=contract, name=name, in_charge=in_charge, created_by=user_of(actor)
        )
        audit_record(
            actor=actor,
            action="contract.handler_add",
            target_type="contract",
            target_id=contract.pk,
            detail={"handler_id": handler.pk, "in_charge": in_charge},
        )
    return handler


def handler_set_in_charge(*, actor: Actor, handler: Handler) -> Handler:
    if handler.contract.status == Contract.Status.ENDED:
        raise ValidationError(_("終了した契約の取扱責任者は変更できません。"))
    with transaction.atomic():
        unset_in_charge(handler.contract_id, keep=handler.pk)
        handler.in_charge = True
        handler.save(update_fields=["in_charge"])
        audit_record(
            actor=actor,
            action="contract.handler_in_charge",
            target_type="contract",
            target_id=handler.contract_id,
            detail={"handler_id": handler.pk},
        )
    handler.refresh_from_db()
    return handler


def _initial_password() -> str:
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


def _require_administrator(actor: Actor) -> None:
    # domain.md §1: accounts are the administrator's; the view checks too, this holds for every caller.
    if not has_role(actor, Role.ADMINISTRATOR):
        raise PermissionDenied


def operator_account_create(
    *, actor: Actor, handler: Handler, username: str, branch: Branch
) -> tuple[Any, str]:
    """Create the individual account of a named handler (002: 操作員のみ個人IDとパスワードを付与).

    One person, one account: a handler has at most one account and an account serves one handler. The
    initial password is random, returned once for the administrator to hand over, and must be changed
    at the first sign-in. Returns ``(user, initial_password)``.
    """
    _require_administrator(actor)
    contract = handler.contract
    errors: dict[str, str] = {}
    if contract.status == Contract.Status.ENDED:
        raise ValidationError(_("終了した契約の操作員アカウントは作成できません。"))
    if handler.user_id is not None:
        errors["handler"] = _(
            "この取扱者にはすでにアカウントがあります（1人1アカウント。共用はできません）。"
        )
    username = _text(username)
    user_model = get_user_model()
    if not username:
        errors["username"] = _("ユーザー名を入力してください。")
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors["username"] = _("ユーザー名には英数字と @ . + - _ だけを使ってください。")
        if len(username) > 150:
            errors["username"] = _("ユーザー名は150文字以内で入力してください。")
        elif user_model.objects.filter(username__iexact=username).exists():
            errors["username"] = _("このユーザー名はすでに使われています。別のユーザー名にしてください。")
    if not contract.branches.filter(pk=branch.pk).exists():
        errors["branch"] = _("契約の対象の館・受取窓口・学校から選んでください。")
    _refuse(errors)
    password = _initial_password()
    with transaction.atomic():
        user = user_model.objects.create_user(username=username, password=password)
        user.groups.add(Group.objects.get_or_create(name=Role.CONTRACTOR.value)[0])
        StaffProfile.objects.update_or_create(user=user, defaults={"branch": branch})
        handler.user = user
        handler.save(update_fields=["user"])
        require_change(user)
        audit_record(
            actor=actor,
            action="operator.create",
            target_type="user",
            target_id=user.pk,
            detail={"contract_id": contract.pk, "handler_id": handler.pk, "branch": branch.code},
        )
    handler.refresh_from_db()
    return user, password


def operator_account_link(*, actor: Actor, handler: Handler, user: Any) -> Handler:
    """Attach an existing contractor-operator account to a named handler (one person, one account)."""
    _require_administrator(actor)
    if handler.user_id is not None and handler.user_id != user.pk:
        raise ValidationError({"handler": [_("この取扱者にはすでに別のアカウントがあります。")]})
    other = Handler.objects.filter(user_id=user.pk).exclude(pk=handler.pk).first()
    if other is not None:
        raise ValidationError(
            {"user": [_("このアカウントはすでに別の取扱者のものです（アカウントの共用はできません）。")]}
        )
    if roles_of(user) != {Role.CONTRACTOR.value}:
        raise ValidationError({"user": [_("委託先操作員の役割だけを持つアカウントを選んでください。")]})
    if handler.user_id == user.pk:
        return handler
    with transaction.atomic():
        handler.user = user
        handler.save(update_fields=["user"])
        audit_record(
            actor=actor,
            action="operator.link",
            target_type="user",
            target_id=user.pk,
            detail={"contract_id": handler.contract_id, "handler_id": handler.pk},
        )
    handler.refresh_from_db()
    return handler


def close_accounts(user_ids: list[int]) -> int:
    """Deactivate the accounts, end their sessions and revoke their API tokens."""
    if not user_ids:
        return 0
    closed = get_user_model().objects.filter(pk__in=user_ids, is_active=True).update(is_active=False)
    ApiToken.objects.filter(user_id__in=user_ids, revoked_at__isnull=True).update(revoked_at=timezone.now())
    end_sessions(user_ids=user_ids)
    return closed


def operator_account_close(*, actor: Actor, handler: Handler) -> int:
    """Close one operator's account (they left the contractor, or no longer work under the contract)."""
    _require_administrator(actor)
    if handler.user_id is None:
        raise ValidationError(_("この取扱者にはアカウントがありません。"))
    with transaction.atomic():
        closed = close_accounts([handler.user_id])
        audit_record(
            actor=actor,
            action="operator.close",
            target_type="user",
            target_id=handler.user_id,
            detail={"contract_id": handler.contract_id, "handler_id": handler.pk},
        )
    return closed
