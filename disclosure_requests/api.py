"""開示・訂正・利用停止 request endpoints (privacy officers and administrators; 山梨県 要綱 第17–42条).

Dates are ISO 8601 (YYYY-MM-DD). Bad input answers 422 with Japanese messages per field and changes
nothing; an unknown request, or one the caller may not reach, is 404. Answers carry the request's
number, state and deadlines — never the requester's name or address; reading a request is logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext, gettext_noop
from ninja import Field, P, PathEx, Router, Schema, Status
from pydantic import ConfigDict

from patrons.api import IsoDate
from privacy_admin.accounts.api_auth import staff_auth
from privacy_admin.core.api_schemas import BIGINT_MAX, OneOf, error_responses
from privacy_admin.core.roles import Role

from . import selectors, services
from .models import (
    Channel,
    Decision,
    Extension,
    Outcome,
    PrivacyRequest,
    RequesterKind,
    RequestKind,
    RequestStatus,
    SuspensionKind,
    WithholdingReason,
)

router = Router(tags=["requests"])

ROLES = (Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)
_ROLES_TEXT = "利用できる役割: 個人情報保護責任者、システム管理者。"


def _labels(choices: Any) -> str:
    return "、".join(f"{value}={label}" for value, label in choices)


_ERRORS: dict[int, Any] = error_responses(400, 401, 403, 404, 422, 500)
RequestId = PathEx[int, P(ge=1, le=BIGINT_MAX, description="請求の id")]
AmendmentId = PathEx[int, P(ge=1, le=BIGINT_MAX, description="補正の id")]
_DOCUMENT_CODES = OneOf(
    (code for code, _label in services.request_identity_documents()), label="本人確認書類の種類"
)


# --- schemas -----------------------------------------------------------------------------------------


class RequestIn(Schema):
    """請求書の内容。本人確認書類は種類だけを受け付け、番号は受け付けません。"""

    model_config = ConfigDict(extra="forbid")

    kind: Annotated[str, OneOf(RequestKind, label=gettext_noop("請求の種類"))] = Field(
        description=f"請求の種類: {_labels(RequestKind.choices)}"
    )
    received_on: IsoDate = Field(description="受付日（YYYY-MM-DD）。未来の日付は不可")
    requester_name: str = Field(max_length=200, description="請求者氏名（60文字以内）")
    requester_address: str | None = Field(
        None, max_length=300, description="請求者の住所又は居所（120文字以内）"
    )
    requester_phone: str | None = Field(None, max_length=40, description="請求者の電話番号")
    requester_kind: Annotated[str, OneOf(RequesterKind, label=gettext_noop("請求者の区分"))] | None = Field(
        None, description=f"請求者（省略時 self）: {_labels(RequesterKind.choices)}"
    )
    principal_name: str | None = Field(None, max_length=200, description="代理請求のとき、本人の氏名（必須）")
    representation_document: str | None = Field(
        None, max_length=200, description="代理請求のとき、代理権を確認した書類の種類（必須。番号は不可）"
    )
    identity_document_type: Annotated[str, _DOCUMENT_CODES] = Field(
        description="確認した本人確認書類: "
        + "、".join(f"{c}={label}" for c, label in services.request_identity_documents()),
    )
    information_requested: str = Field(max_length=4000, description="請求に係る保有個人情報（2000文字以内）")
    channel: Annotated[str, OneOf(Channel, label=gettext_noop("受付方法"))] | None = Field(
        None, description=f"受付方法（省略時 counter）: {_labels(Channel.choices)}"
    )
    card_number: str | None = Field(None, max_length=32, description="請求者の利用者番号（任意）")
    disclosed_on: IsoDate | None = Field(
        None,
        description="訂正・利用停止: 開示を受けた日。90日を過ぎていれば 422（山梨県 要綱 第30条第3項、第37条第3項）",
    )
    based_on: int | None = Field(
        None, ge=1, le=BIGINT_MAX, description="訂正・利用停止: 基となる開示請求の id（任意）"
    )
    correction_content: str | None = Field(
        None, max_length=4000, description="訂正: 訂正を求める内容（必須）"
    )
    suspension_kind: Annotated[str, OneOf(SuspensionKind, label=gettext_noop("求める措置"))] | None = Field(
        None, description=f"利用停止: 求める措置（必須）: {_labels(SuspensionKind.choices)}"
    )
    reason_for_request: str | None = Field(None, max_length=4000, description="請求の理由")


class CreatedOut(Schema):
    id: int
    number: str
    due_on: dt.date


class AmendmentOut(Schema):
    id: int
    requested_on: dt.date
    reply_by: dt.date
    completed_on: dt.date | None


class ExtensionOut(Schema):
    id: int
    kind: Annotated[str, OneOf(Extension.Kind, label=gettext_noop("延長の種類"))] = Field(
        description="normal=期限延長、special=期限の特例延長"
    )
    days: int = Field(ge=0)
    notified_on: dt.date
    remainder_due_on: dt.date | None


class DecisionOut(Schema):
    id: int
    decided_on: dt.date
    outcome: Annotated[str, OneOf(Outcome, label=gettext_noop("決定の内容"))] = Field(
        description=_labels(Outcome.choices)
    )
    reasons: list[Annotated[str, OneOf(WithholdingReason, label=gettext_noop("不開示の理由区分"))]] = Field(
        description=f"不開示の理由区分（山梨県 要綱 第19条）: {_labels(WithholdingReason.choices)}"
    )
    reason_lapses_on: dt.date | None
    is_partial_scope: bool


class RequestOut(Schema):
    id: int
    number: str
    kind: Annotated[str, OneOf(RequestKind, label=gettext_noop("請求の種類"))] = Field(
        description=_labels(RequestKind.choices)
    )
    status: Annotated[str, OneOf(RequestStatus, label=gettext_noop("状態"))] = Field(
        description=_labels(RequestStatus.choices)
    )
    received_on: dt.date
    due_on: dt.date = Field(
        description="決定期限（閉庁日でも延びません）。補正中は、補正が今日届いた場合の期限"
    )
    due_on_warning: bool = Field(description="決定期限が閉庁日（土日・祝日・年末年始・休館日）に当たる")
    due_on_closed_reason: str = Field(
        description="閉庁日の理由（土曜日、祝日名、年末年始、休館日）。開庁日は空"
    )
    last_open_day_before_due: dt.date | None = Field(description="期限が閉庁日のとき、その前の最終開庁日")
    clock_stopped: bool = Field(description="補正中で期限が停止している")
    special_extension: bool
    final_due_on: dt.date | None = Field(description="特例延長（開示）: 残りの部分の決定期限")
    amendments: list[AmendmentOut]
    extensions: list[ExtensionOut]
    decisions: list[DecisionOut]


class AmendmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    requested_on: IsoDate = Field(description="補正を求めた日")
    what_to_fix: str = Field(
        min_length=1,
        max_length=1000,
        description="補正を求める事項（必須、1000文字以内。山梨県 要綱 第18条第3項）",
    )


class AmendmentCreatedOut(Schema):
    amendment_id: int
    reply_by: dt.date = Field(description="補正の回答期限（閉庁日なら翌開庁日）")
    clock_stopped: bool


class AmendmentCompleteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    completed_on: IsoDate = Field(description="補正された請求が届いた日")


class DeadlineOut(Schema):
    due_on: dt.date
    due_on_warning: bool
    last_open_day_before_due: dt.date | None
    clock_stopped: bool


class AmendmentCompletedOut(DeadlineOut):
    amendment_id: int
    days_not_counted: int = Field(description="期間に算入しない日数（補正を求めた日の翌日から完了の日まで）")


class ExtensionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(
        ge=1, le=60, description="延長日数（合計で開示15日・訂正/利用停止30日まで。期限ルールによる）"
    )
    reason: str = Field(min_length=1, max_length=1000, description="延長の理由（必須、1000文字以内）")
    notified_on: IsoDate = Field(description="延長を通知した日（決定期限以前）")


class ExtensionCreatedOut(DeadlineOut):
    extension_id: int


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Annotated[str, OneOf(Outcome, label=gettext_noop("決定の内容"))] = Field(
        description=_labels(Outcome.choices)
    )
    decided_on: IsoDate = Field(description="決定日（受付日以降、今日まで）")
    reasons: list[Annotated[str, OneOf(WithholdingReason, label=gettext_noop("不開示の理由区分"))]] = Field(
        default_factory=list,
        max_length=len(WithholdingReason.values),
        description=f"部分開示・不開示では1つ以上: {_labels(WithholdingReason.choices)}",
    )
    reason_text: str | None = Field(None, max_length=4000, description="理由（全部を認める決定以外は必須）")
    reason_lapses_on: IsoDate | None = Field(None, description="理由がなくなる時期（分かる場合）")
    disclosed_content: str | None = Field(None, max_length=4000, description="開示する保有個人情報")
    is_partial_scope: bool = Field(
        False, description="特例延長で相当の部分について決定する（山梨県 要綱 第25条）"
    )


class DecisionCreatedOut(Schema):
    decision_id: int
    status: Annotated[str, OneOf(RequestStatus, label=gettext_noop("状態"))] = Field(
        description=_labels(RequestStatus.choices)
    )


# --- helpers ---------------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _deadline_out(pr: PrivacyRequest) -> dict[str, Any]:
    deadline = services.request_deadline(pr)
    return {
        "due_on": deadline.due_on,
        "due_on_warning": deadline.falls_on_closed_day,
        "last_open_day_before_due": deadline.last_open_day_before,
        "clock_stopped": deadline.paused and pr.status in services.OPEN_STATUSES,
    }


def _request_out(pr: PrivacyRequest) -> dict[str, Any]:
    deadline = services.request_deadline(pr)
    decisions: list[Decision] = sorted(pr.decisions.all(), key=lambda x: (x.decided_on, x.pk))
    return {
        "id": pr.pk,
        "number": pr.number,
        "kind": pr.kind,
        "status": pr.status,
        "received_on": pr.received_on,
        "due_on": deadline.due_on,
        "due_on_warning": deadline.falls_on_closed_day,
        "due_on_closed_reason": deadline.closed_reason,
        "last_open_day_before_due": deadline.last_open_day_before,
        "clock_stopped": deadline.paused and pr.status in services.OPEN_STATUSES,
        "special_extension": pr.special_extension,
        "final_due_on": pr.final_due_on,
        "amendments": [
            {
                "id": a.pk,
                "requested_on": a.requested_on,
                "reply_by": a.reply_by,
                "completed_on": a.completed_on,
            }
            for a in pr.amendments.all()
        ],
        "extensions": [
            {
                "id": e.pk,
                "kind": e.kind,
                "days": e.days,
                "notified_on": e.notified_on,
                "remainder_due_on": e.remainder_due_on,
            }
            for e in pr.extensions.all()
        ],
        "decisions": [
            {
                "id": x.pk,
                "decided_on": x.decided_on,
                "outcome": x.outcome,
                "reasons": list(x.reasons),
                "reason_lapses_on": x.reason_lapses_on,
                "is_partial_scope": x.is_partial_scope,
            }
            for x in decisions
        ],
    }


# --- endpoints -------------------------------------------------------------------------------------


@router.post(
    "/requests",
    auth=staff_auth(*ROLES),
    response={201: CreatedOut, **_ERRORS},
    summary="開示・訂正・利用停止請求の受付",
    description=(
        "請求書の内容を受け付け、受付番号（例: R8-開示-0001）と決定期限を返します。代理請求では本人の氏名と"
        "代理権を確認した書類が必要です。訂正・利用停止は開示を受けた日から90日以内（末日が閉庁日なら翌開庁日）に"
        "限ります。入力に誤りがあれば何も保存せず 422。" + _ROLES_TEXT
    ),
    operation_id="request_receive",
)
def request_create(request: HttpRequest, payload: RequestIn) -> Any:
    actor = _actor(request)
    based_on = None
    if payload.based_on is not None:
        try:
            based_on = selectors.get_request_for(actor, payload.based_on)
        except Http404:
            raise ValidationError({"based_on": [gettext("基となる開示請求が見つかりません。")]}) from None
    pr = services.request_receive(
        actor=actor,
        kind=payload.kind,
        received_on=payload.received_on,
        channel=payload.channel or Channel.COUNTER,
        requester_kind=payload.requester_kind or RequesterKind.SELF,
        requester_name=payload.requester_name,
        requester_address=payload.requester_address or "",
        requester_phone=payload.requester_phone or "",
        principal_name=payload.principal_name or "",
        identity_document_type=payload.identity_document_type,
        representation_document=payload.representation_document or "",
        information_requested=payload.information_requested,
        card_number=payload.card_number or None,
        disclosed_on=payload.disclosed_on,
        based_on=based_on,
        correction_content=payload.correction_content or "",
        suspension_kind=payload.suspension_kind or "",
        reason_for_request=payload.reason_for_request or "",
    )
    return Status(201, {"id": pr.pk, "number": pr.number, "due_on": pr.due_on})


@router.get(
    "/requests/{request_id}",
    auth=staff_auth(*ROLES),
    response={200: RequestOut, **error_responses(400, 401, 403, 404, 422, 500)},
    summary="請求の状態と期限",
    description=(
        "状態、決定期限（閉庁日に当たるかと、その前の最終開庁日）、補正・延長・決定の経過を返します。"
        "請求者の氏名などは含みません。閲覧はアクセスログに記録されます。" + _ROLES_TEXT
    ),
    operation_id="request_detail",
)
def request_detail(request: HttpRequest, request_id: RequestId) -> Any:
    actor = _actor(request)
    pr = selectors.request_with_steps(selectors.get_request_for(actor, request_id))
    services.request_record_view(actor=actor, request=pr, what="api")
    return _request_out(pr)


@router.post(
    "/requests/{request_id}/amendments",
    auth=staff_auth(*ROLES),
    response={201: AmendmentCreatedOut, **_ERRORS},
    summary="補正の依頼",
    description=(
        "補正を求めた日から補正が完了する日まで、期限は停止します（山梨県 要綱 第24条第1項ただし書、法第83条第1項ただし書）。"
        "完了していない補正があるとき、受付日より前・未来の日付、決定期限後の依頼は 422。" + _ROLES_TEXT
    ),
    operation_id="request_amendment",
)
def amendment_create(request: HttpRequest, request_id: RequestId, payload: AmendmentIn) -> Any:
    actor = _actor(request)
    pr = selectors.get_request_for(actor, request_id)
    amendment = services.amendment_request(
        actor=actor, request=pr, requested_on=payload.requested_on, what_to_fix=payload.what_to_fix
    )
    return Status(
        201, {"amendment_id": amendment.pk, "reply_by": amendment.reply_by, "clock_stopped": pr.clock_stopped}
    )


@router.post(
    "/requests/{request_id}/amendments/{amendment_id}/complete",
    auth=staff_auth(*ROLES),
    response={200: AmendmentCompletedOut, **_ERRORS},
    summary="補正の完了",
    description=(
        "補正された請求が届いた日を記録し、期限の計算を再開します。補正を求めた日より前・未来の日付は 422。"
        + _ROLES_TEXT
    ),
    operation_id="request_amendment_complete",
)
def amendment_complete(
    request: HttpRequest, request_id: RequestId, amendment_id: AmendmentId, payload: AmendmentCompleteIn
) -> Any:
    actor = _actor(request)
    pr = selectors.get_request_for(actor, request_id)
    amendment = selectors.get_amendment_for(actor, pr, amendment_id)
    services.amendment_complete(actor=actor, amendment=amendment, completed_on=payload.completed_on)
    pr.refresh_from_db()
    assert amendment.completed_on is not None
    return {
        "amendment_id": amendment.pk,
        "days_not_counted": (amendment.completed_on - amendment.requested_on).days,
        **_deadline_out(pr),
    }


@router.post(
    "/requests/{request_id}/extension",
    auth=staff_auth(*ROLES),
    response={201: ExtensionCreatedOut, **_ERRORS},
    summary="決定期限の延長",
    description=(
        "正当な理由があるとき、期限内に書面で通知して延長します（期限ルールの法令による。山梨県 要綱 第24条第2項・第34条第2項・第41条第2項、法第83条第2項・第94条第2項・第102条第2項）。"
        "上限を超える日数、期限後の通知、理由の空欄は 422。" + _ROLES_TEXT
    ),
    operation_id="request_extend",
)
def extension_create(request: HttpRequest, request_id: RequestId, payload: ExtensionIn) -> Any:
    actor = _actor(request)
    pr = selectors.get_request_for(actor, request_id)
    extension = services.request_extend(
        actor=actor, request=pr, days=payload.days, reason=payload.reason, notified_on=payload.notified_on
    )
    return Status(201, {"extension_id": extension.pk, **_deadline_out(pr)})


@router.post(
    "/requests/{request_id}/decision",
    auth=staff_auth(*ROLES),
    response={201: DecisionCreatedOut, **_ERRORS},
    summary="決定",
    description=(
        "開示（全部開示・部分開示・不開示・存否応答拒否・不存在）、訂正（する・しない）、利用停止（する・しない）の"
        "決定を記録します。全部を認める決定以外は理由が必要で、部分開示・不開示は不開示情報の区分（山梨県 要綱 第19条、法第78条）を1つ以上。"
        "受付日より前・未来の決定日は 422。" + _ROLES_TEXT
    ),
    operation_id="request_decide",
)
def decision_create(request: HttpRequest, request_id: RequestId, payload: DecisionIn) -> Any:
    actor = _actor(request)
    pr = selectors.get_request_for(actor, request_id)
    decision = services.request_decide(
        actor=actor,
        request=pr,
        outcome=payload.outcome,
        decided_on=payload.decided_on,
        reasons=payload.reasons,
        reason_text=payload.reason_text or "",
        reason_lapses_on=payload.reason_lapses_on,
        disclosed_content=payload.disclosed_content or "",
        is_partial_scope=payload.is_partial_scope,
    )
    return Status(201, {"decision_id": decision.pk, "status": pr.status})
