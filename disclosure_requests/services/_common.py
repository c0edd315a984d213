"""Shared by every stage of a request: the statuses that keep a request open, the access-log target,
"today", the field cleaners that turn bad input into Japanese messages keyed by the argument at fault,
and the lock / save / audit steps every service takes inside its ``transaction.atomic()``.

The access-log event names the request by its id (and the patron by id when linked), never by the
requester's name. ``request_record_view`` is the event a look at a request leaves (selectors call it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor
from privacy_admin.core.dates import today as _local_today
from privacy_admin.core.errors import FieldErrors, refuse
from privacy_admin.core.text import clean_text

from ..models import PrivacyRequest, RequestStatus

TARGET_TYPE = "privacy_request"

# The request is still waiting for its decision (the deadline runs, or is stopped by a 補正).
OPEN_STATUSES: tuple[str, ...] = (RequestStatus.RECEIVED, RequestStatus.AMENDING, RequestStatus.CONSULTING)


def today() -> dt.date:
    """The library's calendar day (Asia/Tokyo)."""
    return _local_today()


def _max_length(model: Any, name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)


def _label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _text(
    errors: FieldErrors,
    key: str,
    raw: object,
    *,
    model: Any,
    field: str | None = None,
    required: bool,
    multiline: bool = False,
    message: str | None = None,
) -> str:
    """Strip, bound by the model's max_length and refuse invisible characters; '' when absent."""
    name = field or key
    return clean_text(
        errors,
        key,
        raw,
        label=_label(model, name),
        required=required,
        limit=_max_length(model, name),
        multiline=multiline,
        required_message=message,
    )


def _date(
    errors: FieldErrors, key: str, value: object, *, label: str, required: bool = True, on: dt.date
) -> dt.date | None:
    """A date that is given (when required) and not in the future."""
    if value is None or value == "":
        if required:
            errors.add(key, _("%(label)sを入力してください。") % {"label": label})
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.add(key, _("%(label)sを正しい日付で入力してください。") % {"label": label})
        return None
    if value > on:
        errors.add(key, _("%(label)sに未来の日付は入力できません。") % {"label": label})
        return None
    return value


def _choice(errors: FieldErrors, key: str, value: object, choices: Iterable[str], message: str) -> str:
    if not isinstance(value, str) or value not in set(choices):
        errors.add(key, message)
        return ""
    return value


def _open_status(request: PrivacyRequest) -> str:
    """The status of a request still waiting for its decision, from what is pending."""
    if request.amendments.filter(completed_on__isnull=True).exists():
        return RequestStatus.AMENDING
    if request.consultations.filter(opinion_received_on__isnull=True).exists():
        return RequestStatus.CONSULTING
    return RequestStatus.RECEIVED


def _audit(
    *,
    actor: Actor,
    action: str,
    request: PrivacyRequest,
    detail: dict[str, Any] | None = None,
    standalone: bool = False,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=TARGET_TYPE,
        target_id=request.pk,
        patron_id=request.patron_id,
        detail=detail,
        standalone=standalone,
    )


def _lock(request: PrivacyRequest | int) -> PrivacyRequest:
    pk = request if isinstance(request, int) else request.pk
    return PrivacyRequest.objects.select_for_update().get(pk=pk)


def _refresh(request: PrivacyRequest) -> None:
    """Bring the caller's instance up to date after a successful change (prefetched rows included)."""
    request.refresh_from_db()
    cache = getattr(request, "_prefetched_objects_cache", None)
    if cache:
        cache.clear()


def _save(request: PrivacyRequest, reason: str, *, actor: Actor) -> None:
    """Save with the step's name (and who took it) on the django-simple-history version."""
    request._change_reason = reason  # type: ignore[attr-defined]
    if getattr(actor, "is_authenticated", False):
        request._history_user = actor  # type: ignore[attr-defined]
    request.save()


def _require_open(request: PrivacyRequest, what: str) -> None:
    if request.status not in OPEN_STATUSES:
        raise refuse(
            "__all__",
            _("この請求は「%(status)s」のため、%(what)sはできません。")
            % {"status": request.get_status_display(), "what": what},
        )


def request_record_view(*, actor: Actor, request: PrivacyRequest, what: str = "detail") -> None:
    """Looking at a request shows the requester's personal data: every look leaves a trace."""
    _audit(
        actor=actor, action="privacy_request.view", request=request, detail={"view": what}, standalone=True
    )
