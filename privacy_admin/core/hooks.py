"""What a component above offers to one below, registered at start-up (``AppConfig.ready``).

Dependencies point down (core < audit < accounts < patrons < loans < disclosure_requests < registry <
outsourcing < the wiring). Where a lower component shows something a higher one owns — the patron's
loans on the patron's page, the open incidents on the requests' dashboard — it asks a hook by name,
and the owner registers the answer; with nothing registered the caller gets its default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The hooks, by owner.
PATRON_BY_CARD = "patrons.id_by_card"  # (card_number) -> patron id | None; the access log's filter
PATRON_REACH = "loans.patron_reach"  # (scope) -> [Q over Patron]; who a pickup counter serves
PATRON_LOANS = "loans.loans_of_patron"  # (actor, patron) -> loans in the actor's scope
PATRON_RESERVATIONS = "loans.reservations_of_patron"  # (actor, patron) -> reservations in scope
INCIDENT_PANEL = "registry.incident_panel"  # (actor, on) -> open incidents for a dashboard
CONTRACT_ROWS = "outsourcing.contract_rows"  # (year) -> contracts in force in the 年度, for the report
ENTRY_BLOCKERS = "outsourcing.entry_blockers"  # (entry) -> why a register entry cannot be abolished
# (loan_id, returned_on) -> None; called by the returned-loan erasure rule before the loan row goes:
# the patron's own reading history, sealed to the patron's key (mypage; issue 16).
LOAN_RETURNED = "mypage.loan_returned"
# (patron) -> a channel the patron prefers for notices ("email" | "phone" | "postcard") or None.
NOTICE_CHANNEL_PREFERENCE = "mypage.notice_channel"
# (patron_id) -> None; the patron's password was set without the old one (reset by link, at the
# counter): whatever the old password unlocked (the reading history) is erased.
PATRON_PASSWORD_REPLACED = "mypage.password_replaced"  # noqa: S105 - a hook name
# () -> [model]: further tables whose erased rows the erasure ledger replays after a restore.
ERASURE_EXTRA_MODELS = "mypage.erasure_extra_models"

_hooks: dict[str, Callable[..., Any]] = {}


def register(name: str, provider: Callable[..., Any]) -> None:
    _hooks[name] = provider


def call(name: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    """The registered provider's answer, or ``default`` when no installed app registered one."""
    provider = _hooks.get(name)
    return default if provider is None else provider(*args, **kwargs)
