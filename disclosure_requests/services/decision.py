"""The decision (決定) on a request (山梨県 要綱 第19–23条, 第32–33条, 第39–40条).

A decision that does not grant everything states its reason (第23条第3項, 第33条第3項, 第40条第3項);
部分開示 and 不開示 name the categories of 第19条 they rest on. Under 期限の特例 a decision on a
substantial part (第25条) leaves the request open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from privacy_admin.core.actor import Actor
from privacy_admin.core.errors import FieldErrors

from ..citations import article_of
from ..models import (
    OUTCOMES_BY_KIND,
    Decision,
    Outcome,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    WithholdingReason,
)
from ..profiles import library_calendar
from . import _common
from ._common import _audit, _choice, _date, _lock, _open_status, _refresh, _require_open, _save, _text
from .deadline_in_force import _has_partial_scope_decision, _store_deadline, request_deadline

# Outcomes that grant what was asked: every other outcome states its reason in the letter
# (山梨県 要綱 第23条第3項, 第33条第3項, 第40条第3項).
GRANTING_OUTCOMES = frozenset({Outcome.FULL, Outcome.CORRECT, Outcome.SUSPEND})
# 部分開示 and 不開示 withhold information, so they name at least one category of 第19条.
WITHHOLDING_OUTCOMES = frozenset({Outcome.PARTIAL, Outcome.REFUSED})


def request_decide(
    *,
    actor: Actor,
    request: PrivacyRequest,
    outcome: str,
    decided_on: dt.date,
    reasons: Sequence[str] = (),
    reason_text: str = "",
    reason_lapses_on: dt.date | None = None,
    disclosed_content: str = "",
    is_partial_scope: bool = False,
) -> Decision:
    """Record the decision (開示 第23条; 訂正 第33条; 利用停止 第40条).

    A decision that does not grant everything states its reason and, where known, when the reason lapses
    (第23条第3項); 部分開示 and 不開示 name the categories of 第19条 they rest on. Under a special
    extension a decision on a substantial part (``is_partial_scope``, 第25条) leaves the request open,
    due by the date set for the rest.
    """
    on = _common.today()
    with transaction.atomic():
        req = _lock(request)
        _require_open(req, _("決定の記録"))
        errors = FieldErrors()
        allowed = OUTCOMES_BY_KIND[req.kind]
        outcome = _choice(
            errors,
            "outcome",
            outcome,
            allowed,
            _("%(kind)sに対する決定を選んでください（%(choices)s）。")
            % {
                "kind": req.get_kind_display(),
                "choices": _("・").join(str(Outcome(o).label) for o in allowed),
            },
        )
        decided = _date(errors, "decided_on", decided_on, label=_("決定日"), on=on)
        if decided is not None and decided < req.received_on:
            errors.add("decided_on", _("決定日が受付日より前です。"))
        text = _text(errors, "reason_text", reason_text, model=Decision, required=False, multiline=True)
        content = _text(
            errors,
            "disclosed_content",
            disclosed_content,
            model=Decision,
            required=False,
            multiline=True,
        )
        if isinstance(reasons, str) or not isinstance(reasons, Iterable):
            errors.add("reasons", _("不開示の理由区分は一覧から選んでください。"))
            reasons = ()
        chosen: list[str] = []
        for value in reasons:
            if value not in WithholdingReason.values:
                errors.add("reasons", _("不開示の理由区分は一覧から選んでください。"))
                break
            if value not in chosen:
                chosen.append(value)
        chosen.sort(key=WithholdingReason.values.index)
        if outcome:
            if outcome not in GRANTING_OUTCOMES and not text:
                errors.add(
                    "reason_text",
                    _("「%(label)s」の決定には理由を記載してください（%(value)s）。")
                    % {
                        "label": Outcome(outcome).label,
                        "value": article_of(req.profile, f"{req.kind}_reasons", f"{req.kind}_decision"),
                    },
                )
            if outcome in WITHHOLDING_OUTCOMES and not chosen:
                errors.add(
                    "reasons",
                    _("「%(label)s」の決定には、不開示情報の区分を1つ以上選んでください。")
                    % {"label": Outcome(outcome).label},
                )
            if chosen and (req.kind != RequestKind.DISCLOSURE or outcome in (Outcome.FULL, Outcome.NOT_HELD)):
                errors.add(
                    "reasons", _("不開示の理由区分は、部分開示・不開示・存否応答拒否の決定でだけ選べます。")
                )
            if reason_lapses_on is not None and outcome in GRANTING_OUTCOMES:
                errors.add(
                    "reason_lapses_on",
                    _("理由がなくなる時期は、請求を認めない部分がある決定でだけ入力します。"),
                )
        if reason_lapses_on is not None:
            if isinstance(reason_lapses_on, dt.datetime) or not isinstance(reason_lapses_on, dt.date):
                errors.add("reason_lapses_on", _("理由がなくなる時期を正しい日付で入力してください。"))
            elif decided is not None and reason_lapses_on <= decided:
                errors.add("reason_lapses_on", _("理由がなくなる時期は決定日より後の日にしてください。"))
        if not isinstance(is_partial_scope, bool):
            errors.add("is_partial_scope", _("相当の部分についての決定かどうかを選んでください。"))
        elif is_partial_scope:
            if req.kind != RequestKind.DISCLOSURE or not req.special_extension:
                errors.add(
                    "is_partial_scope",
                    _("相当の部分についての決定は、期限の特例を適用した開示請求でだけ記録できます。"),
                )
            elif _has_partial_scope_decision(req):
                errors.add("is_partial_scope", _("相当の部分についての決定は既に記録されています。"))
        errors.raise_if_any()
        assert decided is not None
        calendar = library_calendar()
        in_force = request_deadline(req, decided, calendar=calendar)
        decision = Decision.objects.create(
            request=req,
            decided_on=decided,
            outcome=outcome,
            reasons=chosen,
            reason_text=text,
            reason_lapses_on=reason_lapses_on,
            is_partial_scope=bool(is_partial_scope),
            disclosed_content=content if req.kind == RequestKind.DISCLOSURE else "",
        )
        if is_partial_scope:
            req.status = _open_status(req)
        else:
            req.status = RequestStatus.DECIDED
        _store_deadline(req, on=on, calendar=calendar)
        _save(req, "decide", actor=actor)
        _audit(
            actor=actor,
            action="privacy_request.decide",
            request=req,
            detail={
                "decision_id": decision.pk,
                "outcome": outcome,
                "reasons": chosen,
                "partial_scope": bool(is_partial_scope),
                "on_time": in_force.paused or decided <= in_force.due_on,
            },
        )
    _refresh(request)
    return decision
