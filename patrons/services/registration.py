"""Registration and what the counter does with it afterwards (要綱 第2-8条, 第10-12条; 市川市 方針 第5).

Registration with its identity checks, proxy applications and card numbers; 登録内容変更; passwords;
and the paper application forms until they are shredded.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record
from privacy_admin.core import hooks
from privacy_admin.core.actor import Actor, user_of
from privacy_admin.core.dates import today

from .. import names, rules
from ..models import (
    Branch,
    IdentityCheck,
    PaperApplicationForm,
    Patron,
    PatronStatus,
    ProxyApplication,
)
from ._common import _audit_patron, _record_identity
from .validation import (
    IdentityEvidence,
    PatronChanges,
    RegistrationInput,
    _Clean,
    _clean_identity,
    _clean_password,
    _duplicate_error,
    _validate_changes,
    _validate_registration,
)

logger = logging.getLogger(__name__)


def _new_card_number() -> str:
    digits = settings.PATRON_CARD_LENGTH - len(settings.PATRON_CARD_PREFIX) - 1
    for _attempt in range(50):
        candidate = rules.make_card_number(
            secrets.randbelow(10**digits),
            prefix=settings.PATRON_CARD_PREFIX,
            length=settings.PATRON_CARD_LENGTH,
        )
        if not Patron.objects.filter(card_number=candidate).exists():
            return candidate
    raise RuntimeError("card number space exhausted")  # pragma: no cover - 10^7 numbers per prefix


def patron_register(
    *, actor: Actor, data: RegistrationInput, on: dt.date | None = None, bulk: bool = False
) -> Patron:
    """Register a patron (要綱 第4-8条) and issue a unique card number.

    Refuses (ValidationError, nothing saved): incomplete or malformed applications, names outside JIS
    X 0208 (第11条, with the standard character suggested), an identity document that does not prove
    the basis or is older than 6 months where that applies (第4条), a proxy application by an adult
    without 委任状 (第5条), and a second active registration of the same person (第6条1号).
    Document numbers are never asked for or stored.
    """
    on = on or today()
    clean, related = _validate_registration(data, on=on, bulk=bulk)
    clean.raise_if_any()
    v = clean.values
    key = names.duplicate_key(
        family_name=v["family_name"],
        given_name=v["given_name"],
        birth_date=v["birth_date"],
        address=v["address"],
    )
    if Patron.objects.filter(duplicate_key=key, status=PatronStatus.ACTIVE).exists():
        raise _duplicate_error()
    assert data.identity is not None  # validated above
    try:
        with transaction.atomic():
            patron = Patron(
                card_number=_new_card_number(),
                family_name=v["family_name"],
                given_name=v["given_name"],
                family_name_kana=v["family_name_kana"],
                given_name_kana=v["given_name_kana"],
                birth_date=v["birth_date"],
                gender=v["gender"],
                address=v["address"],
                phone=v["phone"],
                email=v["email"],
                guardian_name=v["guardian_name"],
                category=related["category"],
                eligibility=v["eligibility"],
                registered_branch=related["registered_branch"],
                registered_on=on,
                expires_on=rules.initial_expiry(on, validity_years=settings.PATRON_VALIDITY_YEARS),
                password=make_password(v["password"]) if v["password"] else "",
                duplicate_key=key,
            )
            patron._change_reason = "registration"  # type: ignore[attr-defined]
            patron.save(force_insert=True)
            _record_identity(
                patron,
                actor=actor,
                party=IdentityCheck.Party.APPLICANT,
                purpose=IdentityCheck.Purpose.REGISTRATION,
                evidence=data.identity,
            )
            if data.proxy is not None:
                ProxyApplication.objects.create(
                    patron=patron,
                    reason=data.proxy.reason.strip(),
                    power_of_attorney_received=data.proxy.power_of_attorney_received,
                )
                _record_identity(
                    patron,
                    actor=actor,
                    party=IdentityCheck.Party.PROXY,
                    purpose=IdentityCheck.Purpose.REGISTRATION,
                    evidence=data.proxy.identity,
                )
            forms = []
            if data.paper_form and not bulk:  # 要綱 第12条: bulk school registration has no forms
                forms.append(PaperApplicationForm.Kind.NEW)
                if data.proxy is not None and data.proxy.power_of_attorney_received:
                    forms.append(PaperApplicationForm.Kind.POWER_OF_ATTORNEY)
            for kind in forms:
                _paper_form_create(patron=patron, kind=kind, branch=related["registered_branch"], on=on)
            _audit_patron(
                actor=actor,
                action="patron.register",
                patron=patron,
                detail={
                    "category": related["category"].code,
                    "eligibility": v["eligibility"],
                    "proxy": data.proxy is not None,
                    "bulk": bulk,
                    "paper_forms": len(forms),
                },
            )
    except IntegrityError as exc:
        # Two counters registering the same person at once: the partial unique index decides.
        if "patron_one_active_registration" in str(exc) or "duplicate_key" in str(exc):
            raise _duplicate_error() from None
        raise
    return patron


def _paper_form_create(*, patron: Patron, kind: str, branch: Branch, on: dt.date) -> PaperApplicationForm:
    return PaperApplicationForm.objects.create(
        patron=patron,
        kind=kind,
        branch=branch,
        received_on=on,
        destroy_by=rules.paper_form_destroy_by(on, keep_months=settings.PATRON_PAPER_FORM_KEEP_MONTHS),
    )


def patron_update(
    *,
    actor: Actor,
    patron: Patron,
    changes: PatronChanges,
    identity: IdentityEvidence | None,
    on: dt.date | None = None,
) -> Patron:
    """登録内容変更 (要綱 第10条): the change is checked against an identity document, like a registration."""
    on = on or today()
    if patron.status != PatronStatus.ACTIVE:
        raise ValidationError({"__all__": [_("取消済みの登録は変更できません。")]})
    clean, category = _validate_changes(patron, changes, identity, on=on)
    clean.raise_if_any()
    assert identity is not None
    # Work out the result before touching the caller's instance, so a refusal leaves it unchanged.
    new_values = {k: v for k, v in clean.values.items() if getattr(patron, k) != v}
    merged = {f: new_values.get(f, getattr(patron, f)) for f in ("family_name", "given_name", "address")}
    new_key = names.duplicate_key(birth_date=patron.birth_date, **merged)
    if (
        new_key != patron.duplicate_key
        and Patron.objects.filter(duplicate_key=new_key, status=PatronStatus.ACTIVE)
        .exclude(pk=patron.pk)
        .exists()
    ):
        raise _duplicate_error()
    fields_changed = sorted(new_values)
    if category is not None and category.pk != patron.category_id:
        fields_changed = sorted([*fields_changed, "category"])
    try:
        with transaction.atomic():
            for key, value in new_values.items():
                setattr(patron, key, value)
            if category is not None:
                patron.category = category
            patron.duplicate_key = new_key
            patron._change_reason = "change"  # type: ignore[attr-defined]
            patron.save()
            _record_identity(
                patron,
                actor=actor,
                party=IdentityCheck.Party.APPLICANT,
                purpose=IdentityCheck.Purpose.CHANGE,
                evidence=identity,
            )
            _audit_patron(
                actor=actor, action="patron.update", patron=patron, detail={"fields": fields_changed}
            )
    except IntegrityError as exc:
        patron.refresh_from_db()
        if "patron_one_active_registration" in str(exc) or "duplicate_key" in str(exc):
            raise _duplicate_error() from None
        raise
    return patron


def patron_set_password(
    *,
    actor: Actor,
    patron: Patron,
    raw_password: str,
    identity: IdentityEvidence | None,
    on: dt.date | None = None,
) -> None:
    """要綱 第8条5: a forgotten password is replaced at the counter after an identity check."""
    on = on or today()
    clean = _Clean()
    _clean_password(clean, raw_password, card_hint=patron.card_number)
    if not raw_password:
        clean.add("password", _("新しいパスワードを入力してください。"))
    _clean_identity(
        clean,
        "id_document_type",
        identity,
        basis=patron.eligibility,
        holder_birth_date=patron.birth_date,
        on=on,
        bulk=False,
    )
    clean.raise_if_any()
    assert identity is not None
    with transaction.atomic():
        patron.password = make_password(raw_password)
        patron.save(update_fields=["password", "updated_at"])
        hooks.call(hooks.PATRON_PASSWORD_REPLACED, patron.pk)  # the old reading history is unreadable
        _record_identity(
            patron,
            actor=actor,
            party=IdentityCheck.Party.APPLICANT,
            purpose=IdentityCheck.Purpose.PASSWORD,
            evidence=identity,
        )
        _audit_patron(actor=actor, action="patron.password_set", patron=patron)


def paper_form_confirm_destroyed(
    *, actor: Actor, form: PaperApplicationForm, on: dt.date | None = None
) -> None:
    """市川市 方針 第5(1): record that a paper form was shredded, and who confirmed it."""
    on = on or today()
    if form.destroyed_on is not None:
        raise ValidationError({"__all__": [_("この申請書は既に廃棄済みとして記録されています。")]})
    if on < form.received_on:
        raise ValidationError({"__all__": [_("廃棄日が受付日より前になっています。")]})
    with transaction.atomic():
        form.destroyed_on = on
        form.destroyed_confirmed_by = user_of(actor)
        form.save(update_fields=["destroyed_on", "destroyed_confirmed_by"])
        audit_record(
            actor=actor,
            action="paper_form.destroyed",
            target_type="paper_form",
            target_id=form.pk,
            detail={"kind": form.kind},
        )


def paper_forms_overdue(*, on: dt.date | None = None) -> Any:
    on = on or today()
    return PaperApplicationForm.objects.filter(destroyed_on__isnull=True, destroy_by__lt=on)


def paper_forms_remind(*, on: dt.date | None = None) -> int:
    """Remind each branch's staff of paper forms past their destroy-by date (要綱 第2条2).

    The e-mail gives counts and a link only, never a name. Idempotent per day: a form is counted in at
    most one reminder a day. Returns the number of forms reminded about.
    """
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail

    from privacy_admin.core.roles import Role

    on = on or today()
    pending = paper_forms_overdue(on=on).exclude(last_reminded_on=on)
    by_branch: dict[int, list[int]] = {}
    for form_id, branch_id in pending.values_list("pk", "branch_id"):
        by_branch.setdefault(branch_id, []).append(form_id)
    total = 0
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    for branch_id, form_ids in by_branch.items():
        branch = Branch.objects.get(pk=branch_id)
        recipients = list(
            users.filter(
                groups__name__in=[Role.ADMINISTRATOR, Role.COUNTER], staff_profile__branch_id=branch_id
            )
            .values_list("email", flat=True)
            .distinct()
        ) or list(users.filter(groups__name=Role.ADMINISTRATOR).values_list("email", flat=True).distinct())
        with transaction.atomic():
            PaperApplicationForm.objects.filter(pk__in=form_ids).update(last_reminded_on=on)
            audit_record(
                actor=None,
                action="paper_form.reminder",
                target_type="branch",
                target_id=branch.code,
                branch_code=branch.code,
                detail={"count": len(form_ids)},
            )
            if recipients:
                subject = _("【要対応】廃棄期限を過ぎた申請書が%(count)d件あります（%(branch)s）") % {
                    "count": len(form_ids),
                    "branch": branch.name,
                }
                body = _(
                    "%(branch)sで、廃棄期限（受付から%(months)dか月）を過ぎた紙の申請書が%(count)d件あります。\n"
                    "シュレッダーで裁断し、システムの「紙の申請書」画面で廃棄を記録してください。"
                ) % {
                    "branch": branch.name,
                    "months": settings.PATRON_PAPER_FORM_KEEP_MONTHS,
                    "count": len(form_ids),
                }
                transaction.on_commit(
                    functools.partial(send_mail, subject, body, None, recipients, fail_silently=False)
                )
        total += len(form_ids)
    logger.info("paper form reminders: branches=%d forms=%d", len(by_branch), total)
    return total
