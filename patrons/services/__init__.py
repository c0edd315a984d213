"""Every write to patron data (domain.md §4; 厚木市 要綱 第2-12条; 市川市 方針 第3(4), 第5).

Each service validates with the pure rules in ``patrons.rules`` / ``patrons.names``, raises
``ValidationError`` with Japanese messages keyed by field and changes nothing when input is bad, and
writes its access-log event inside the same transaction as the change.

By stage: ``validation`` (checking input for registration and changes), ``registration``
(registration, identity checks, cards, changes, passwords, proxy applications and paper forms) and
``lifecycle`` (renewal, cancellation, expiry, erasure). The names below are re-exported so callers
keep importing ``patrons.services``; the view events live in ``patrons.selectors``.
"""

from privacy_admin.core.dates import today

from ..selectors import patron_record_search, patron_record_view
from .lifecycle import (
    patron_cancel,
    patron_erase,
    patron_renew,
    patrons_purge_cancelled,
    patrons_purge_expired,
)
from .password_reset import (
    complete_patron_password_reset,
    patron_password_reset_link_send,
    patron_password_reset_token_valid,
    request_patron_password_reset,
)
from .registration import (
    paper_form_confirm_destroyed,
    paper_forms_overdue,
    paper_forms_remind,
    patron_register,
    patron_set_password,
    patron_update,
)
from .validation import (
    Errors,
    IdentityEvidence,
    PatronChanges,
    ProxyInput,
    RegistrationInput,
    identity_documents,
    is_card_number_shape,
    is_code,
)

__all__ = [
    "Errors",
    "IdentityEvidence",
    "PatronChanges",
    "ProxyInput",
    "RegistrationInput",
    "complete_patron_password_reset",
    "identity_documents",
    "is_card_number_shape",
    "is_code",
    "paper_form_confirm_destroyed",
    "paper_forms_overdue",
    "paper_forms_remind",
    "patron_cancel",
    "patron_erase",
    "patron_password_reset_link_send",
    "patron_password_reset_token_valid",
    "patron_record_search",
    "patron_record_view",
    "patron_register",
    "patron_renew",
    "patron_set_password",
    "patron_update",
    "patrons_purge_cancelled",
    "patrons_purge_expired",
    "request_patron_password_reset",
    "today",
]
