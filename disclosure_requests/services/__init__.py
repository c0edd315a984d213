"""Every write to 開示・訂正・利用停止 requests (domain.md §7; 山梨県 要綱 第17–42条; 個人情報保護法 第76–103条).

One module per stage of a request, re-exported here so that ``services.request_receive(…)`` and
``from disclosure_requests.services import …`` read the same as before the split:

- ``intake``: receiving a request, the requester's identity, its number (山梨県 要綱 第17–18条, 第30–31条, 第37–38条);
- ``amendments``: 補正 and extensions of the period (山梨県 要綱 第18条第3項, 第24–25条, 第34–35条, 第41–42条);
- ``consultation``: 意見照会 to third parties (山梨県 要綱 第26条);
- ``decision``: the 決定 (山梨県 要綱 第19–23条, 第32–33条, 第39–40条);
- ``carrying_out``: 開示の実施, 訂正, 利用停止, and withdrawal (山梨県 要綱 第26条第3項, 第27–28条, 第32条, 第36条, 第39条);
- ``reminders``: the deadline reminder to privacy officers;
- ``deadline_in_force``: the decision deadline every stage recomputes (reads, independent of who asks);
- ``_common``: the field cleaners and the lock / save / audit steps the stages share.

Each service is keyword-only, validates before it writes, raises ``ValidationError`` with Japanese
messages keyed by the argument at fault and changes nothing when the input is bad. It locks the request
row, makes the change and writes its access-log event in one ``transaction.atomic()``; the event names
the request by its id (and the patron by id when linked), never by the requester's name.

Every service recomputes the cached ``due_on`` / ``clock_stopped`` from ``deadlines`` with the rule
profile fixed at intake (a later switch of the library's profile does not move a running deadline) and
the library's calendar.
"""

from __future__ import annotations

from ._common import OPEN_STATUSES, TARGET_TYPE, request_record_view, today
from .amendments import amendment_complete, amendment_request, request_extend, request_extend_special
from .carrying_out import (
    CHANGE_SUSPENSION_DONE,
    CHANGE_WITHDRAWN,
    DISCLOSING_OUTCOMES,
    MAX_FEE_YEN,
    correction_carry_out,
    disclosure_carry_out,
    earliest_disclosure_on,
    method_choice_deadline,
    request_withdraw,
    suspension_carry_out,
)
from .consultation import consultation_record_opinion, consultation_send
from .deadline_in_force import (
    base_days,
    extension_max_days,
    ordinary_deadline,
    request_deadline,
    request_pauses,
    special_deadlines,
    special_extension_of,
    special_notice_days,
)
from .decision import GRANTING_OUTCOMES, WITHHOLDING_OUTCOMES, request_decide
from .intake import KIND_SHORT, request_identity_documents, request_receive
from .reminders import effective_due_on, nth_open_day_after, requests_due_soon, requests_remind_deadlines

__all__ = [
    "CHANGE_SUSPENSION_DONE",
    "CHANGE_WITHDRAWN",
    "DISCLOSING_OUTCOMES",
    "GRANTING_OUTCOMES",
    "KIND_SHORT",
    "MAX_FEE_YEN",
    "OPEN_STATUSES",
    "TARGET_TYPE",
    "WITHHOLDING_OUTCOMES",
    "amendment_complete",
    "amendment_request",
    "base_days",
    "consultation_record_opinion",
    "consultation_send",
    "correction_carry_out",
    "disclosure_carry_out",
    "earliest_disclosure_on",
    "effective_due_on",
    "extension_max_days",
    "method_choice_deadline",
    "nth_open_day_after",
    "ordinary_deadline",
    "request_deadline",
    "request_decide",
    "request_extend",
    "request_extend_special",
    "request_identity_documents",
    "request_pauses",
    "request_receive",
    "request_record_view",
    "request_withdraw",
    "requests_due_soon",
    "requests_remind_deadlines",
    "special_deadlines",
    "special_extension_of",
    "special_notice_days",
    "suspension_carry_out",
    "today",
]
