"""Sign-in lockout that holds (issue 14 §4): per account across addresses, per address across accounts.

django-axes keeps one row per (username, address, user agent) failure series. Its own lockout compares
a single limit with the largest count among the lockout parameters; the rules here need two limits:

- ``ACCOUNT_LOCKOUT_FAILURES`` (default 10) failures for one username, from any address, lock that
  account everywhere — a guesser cannot move to another address;
- ``ADDRESS_LOCKOUT_FAILURES`` (default 20) failures from one address, over any usernames, lock that
  address — a guesser cannot spread guesses over many accounts.

Both last ``AXES_COOLOFF_TIME``; an administrator can lift them earlier (``lockout_clear``, the page
``accounts:lockouts``). A successful sign-in clears only the signed-in account's own failures, never
those others made from the same address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from privacy_admin.audit.services import audit_record

# Django's usernames are at most 150 characters; axes keeps the name typed in a 255-character column.
USERNAME_KEPT = 150


def attempted_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """The name a sign-in attempt typed, as axes counts it (``AXES_USERNAME_CALLABLE``): cut to what a
    username can be, so that a 10,000-character name counts as a failure instead of failing to be stored
    (found by the form fuzz test: a 500 on /accounts/login/)."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        name = credentials.get(field)
    else:
        name = getattr(request, "data", request.POST).get(field) if request is not None else None
    return None if name is None else str(name)[:USERNAME_KEPT]


def account_limit() -> int:
    return int(getattr(settings, "ACCOUNT_LOCKOUT_FAILURES", 10))


def address_limit() -> int:
    return int(getattr(settings, "ADDRESS_LOCKOUT_FAILURES", 20))


def _recent() -> QuerySet[AccessAttempt]:
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def _sum(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


def account_failures(username: str | None) -> int:
    if not username:
        return 0
    return _sum(_recent().filter(username=username))


def address_failures(ip_address: str | None) -> int:
    if not ip_address:
        return 0
    return _sum(_recent().filter(ip_address=ip_address))


def account_locked(username: str | None) -> bool:
    """Whether this account is locked (from every address). Used by the API token check too."""
    return account_failures(username) >= account_limit()


def address_locked(ip_address: str | None) -> bool:
    return address_failures(ip_address) >= address_limit()


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the two limits above.

    axes locks when ``get_failures(...) >= AXES_FAILURE_LIMIT``, and ``AXES_FAILURE_LIMIT`` is set to
    ``ACCOUNT_LOCKOUT_FAILURES``: the answer is the account's own count, raised to that limit when the
    address is locked.
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = account_failures(get_client_username(request, credentials))
        if address_locked(getattr(request, "axes_ip_address", None)):
            return max(failures, int(settings.AXES_FAILURE_LIMIT))
        return failures

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        # After a successful sign-in: only that account's failures go, not the address's others.
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


@dataclass(frozen=True)
class LockedAccount:
    username: str
    user_id: int
    failures: int
    last_attempt: Any


@dataclass(frozen=True)
class LockedAddress:
    ip_address: str
    failures: int
    last_attempt: Any


def locked_accounts() -> list[LockedAccount]:
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    rows = (
        _recent()
        .exclude(username__isnull=True)
        .values("username")
        .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(n__gte=account_limit())
        .order_by("-last")
    )
    names = [r["username"] for r in rows]
    ids = dict(get_user_model().objects.filter(username__in=names).values_list("username", "pk"))
    # Only real accounts are shown: a name that is no account may be a password typed in the wrong box.
    return [
        LockedAccount(r["username"], ids[r["username"]], r["n"], r["last"])
        for r in rows
        if r["username"] in ids
    ]


def locked_addresses() -> list[LockedAddress]:
    from django.db.models import Max

    rows = (
        _recent()
        .exclude(ip_address__isnull=True)
        .values("ip_address")
        .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(n__gte=address_limit())
        .order_by("-last")
    )
    return [LockedAddress(r["ip_address"], r["n"], r["last"]) for r in rows]


def lockout_clear_account(*, actor: Any, user: Any) -> int:
    """Lift the lockout of ``user``'s account (its failures from every address). Returns rows removed."""
    with transaction.atomic():
        count, _ = AccessAttempt.objects.filter(username=user.get_username()).delete()
        audit_record(
            actor=actor,
            action="auth.lockout_cleared",
            target_type="user",
            target_id=user.pk,
            detail={"scope": "account", "attempts": count},
        )
    return count


def lockout_clear_address(*, actor: Any, ip_address: str) -> int:
    """Lift the lockout of an address (its failures for every username). Returns rows removed."""
    with transaction.atomic():
        count, _ = AccessAttempt.objects.filter(ip_address=ip_address).delete()
        audit_record(
            actor=actor,
            action="auth.lockout_cleared",
            target_type="address",
            target_id=ip_address,
            detail={"scope": "address", "attempts": count},
        )
    return count
