"""Circulation endpoints: items, loans, returns, reservations (counter staff and administrators).

Card numbers and barcodes go in request bodies, never in paths. Answers say what happened to the
item, never who had it. Access-log events name the patron or the item, never both (方針 第3).

Errors (``{"detail": ...}`` in Japanese; nothing is changed by a refused request):

- 422 — the input is wrong: a missing or malformed field, an unknown card number, barcode or branch,
  a cancelled or expired card, a missing damage description (``errors`` lists them by field);
- 409 — the state of the item or reservation does not allow it: the item is already on loan or not on
  loan, held for someone else, others are waiting for it, the reservation is not ready or not at this
  branch, a duplicate reservation, a loan or reservation limit reached (``detail`` says which);
- 404 — an unknown reservation id (or one outside the caller's scope, which is logged);
- 401 / 403 — not signed in / a role other than counter staff or administrator.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, gettext_noop
from ninja import Field, P, PathEx, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from privacy_admin.accounts.api_auth import staff_auth
from privacy_admin.core.api_schemas import BIGINT_MAX, OneOf, error_responses
from privacy_admin.core.roles import Role

from . import erasure, services
from .models import Item, Reservation
from .selectors import get_reservation_for

router = Router(tags=["circulation"])

ROLES = (Role.COUNTER, Role.ADMINISTRATOR)
_CODE = r"^[A-Za-z0-9_-]{1,32}$"
_ROLE_NOTE = "利用できる役割: カウンター職員、システム管理者。"

_ERRORS: dict[int, Any] = error_responses(400, 401, 403, 409, 422, 500, 503)
_ERRORS_WITH_404: dict[int, Any] = error_responses(400, 401, 403, 404, 409, 422, 500, 503)
ReservationId = PathEx[int, P(ge=1, le=BIGINT_MAX, description="予約ID")]
RESTORE_PENDING_MESSAGE = gettext_lazy(
    "バックアップから復元したデータベースに消去済みの記録が戻っています。"
    "システム管理者が manage.py erasure_replay を実行するまで、貸出・返却は受け付けません。"
)


def _conflict_or_raise(exc: ValidationError) -> Any:
    """State conflicts answer 409 with the service's message; anything else goes to the 422 handler."""
    if not services.is_conflict(exc):
        raise exc
    errors = [
        {"field": field, "message": str(message)}
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
    return Status(409, {"detail": errors[0]["message"], "errors": errors})


class ItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    barcode: str = Field(max_length=100, description="資料番号（半角英数字とハイフン、20文字以内）")
    title: str = Field(max_length=400, description="書名（200文字以内）")
    branch: str = Field(pattern=_CODE, description="所蔵館のコード（GET /branches）。受取窓口は不可")
    author: str = Field("", max_length=200, description="著者（100文字以内）")
    publisher: str = Field("", max_length=200, description="出版者（100文字以内）")
    isbn: str = Field("", max_length=40, description="ISBN（10桁または13桁。ハイフン可）")
    call_number: str = Field("", max_length=80, description="請求記号（40文字以内）")


class CirculationItemOut(Schema):
    id: int
    barcode: str
    title: str
    branch: str
    status: Annotated[str, OneOf(Item.Status, label=gettext_noop("資料の状態"))] = Field(
        description="、".join(f"{v}={label}" for v, label in Item.Status.choices)
    )


class LoanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    card_number: str = Field(max_length=32, description="利用者番号")
    barcode: str = Field(max_length=40, description="資料番号")
    branch: str = Field(pattern=_CODE, description="貸出館（カウンター）のコード")


class CirculationLoanOut(Schema):
    id: int
    due_on: dt.date = Field(description="返却期限")


class ReturnIn(Schema):
    model_config = ConfigDict(extra="forbid")

    barcode: str = Field(max_length=40, description="資料番号")
    branch: str = Field(pattern=_CODE, description="返却を受けた館のコード")
    damaged: bool = Field(False, description="汚破損あり（汚破損案件を登録します）")
    damage_description: str = Field(
        "", max_length=400, description="汚破損の状況（damaged のとき必須、200文字以内）"
    )


class CirculationReturnOut(Schema):
    """返却した資料をどこへ置くか。だれが借りていたかは返しません。"""

    route: Literal["shelf", "hold_shelf", "transit"] = Field(
        description="shelf=棚へ, hold_shelf=取置棚へ, transit=回送"
    )
    instruction: str = Field(description="カウンターへの指示（例: 棚へ / 取置棚へ / 北分館へ回送）")
    destination: str | None = Field(description="回送先・取置場所の館コード")
    overdue_days: int = Field(ge=0, description="返却期限を過ぎた日数（0 = 期限内）")
    damage_case: bool = Field(description="汚破損案件を登録したか")


class ReservationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    card_number: str = Field(max_length=32, description="利用者番号")
    barcode: str = Field(max_length=40, description="資料番号")
    pickup_branch: str = Field(pattern=_CODE, description="受取館（館または受取窓口）のコード")


class CirculationReservationCreatedOut(Schema):
    id: int


class BranchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    branch: str = Field(pattern=_CODE, description="処理する館（受取館）のコード")


class ReadyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    branch: str | None = Field(
        None, pattern=_CODE, description="資料が届いた館のコード（受取館と違えば 409）"
    )


class CirculationReservationOut(Schema):
    id: int
    status: Annotated[str, OneOf(Reservation.Status, label=gettext_noop("予約の状態"))] = Field(
        description="waiting=順番待ち, in_transit=回送中, ready=取置中"
    )
    pickup_branch: str
    hold_until: dt.date | None = Field(description="取置期限")


class CirculationCancelOut(Schema):
    route: Literal["rescan"] | None = Field(
        description=(
            "rescan = 取り置かれていた（回送中の）資料を「予約資料の確保・到着」で読み取ると、次の予約者か"
            "棚へ回します。取り置かれていなければ null"
        )
    )
    instruction: str | None = Field(description="カウンターへの指示")


def _actor(request: HttpRequest) -> Any:
    """The signed-in counter user; refuses (503) while a restored backup waits for its erasure replay
    (方針 第3(2)(3)): a new loan could take an id the ledger lists, and the replay would delete it."""
    if erasure.restore_pending():
        raise HttpError(503, str(RESTORE_PENDING_MESSAGE))
    return request.auth  # type: ignore[attr-defined]


@router.post(
    "/items",
    auth=staff_auth(*ROLES),
    response={201: CirculationItemOut, **_ERRORS},
    summary="資料登録",
    description="資料を1点登録します。資料番号が登録済みなら 422。" + _ROLE_NOTE,
    operation_id="item_create",
)
def item_create(request: HttpRequest, payload: ItemIn) -> Any:
    item = services.item_create(
        actor=_actor(request),
        barcode=payload.barcode,
        title=payload.title,
        branch_code=payload.branch,
        author=payload.author,
        publisher=payload.publisher,
        isbn=payload.isbn,
        call_number=payload.call_number,
    )
    return Status(
        201,
        {
            "id": item.pk,
            "barcode": item.barcode,
            "title": item.title,
            "branch": item.home_branch.code,
            "status": item.status,
        },
    )


@router.post(
    "/loans",
    auth=staff_auth(*ROLES),
    response={201: CirculationLoanOut, **_ERRORS},
    summary="貸出",
    description=(
        "利用者番号と資料番号で貸し出し、貸出IDと返却期限を返します。この利用者が予約していた資料なら、"
        "予約の記録は同時に消去します（方針第3(3)）。有効期限切れ・取消済みの利用者は 422、"
        "貸出中・他の利用者の取置・予約待ち・貸出点数の上限は 409。" + _ROLE_NOTE
    ),
    operation_id="loan_lend",
)
def loan_create(request: HttpRequest, payload: LoanIn) -> Any:
    try:
        loan = services.loan_lend(
            actor=_actor(request),
            card_number=payload.card_number,
            barcode=payload.barcode,
            branch_code=payload.branch,
        )
    except ValidationError as exc:
        return _conflict_or_raise(exc)
    return Status(201, {"id": loan.pk, "due_on": loan.due_on})


@router.post(
    "/returns",
    auth=staff_auth(*ROLES),
    response={200: CirculationReturnOut, **_ERRORS},
    summary="返却",
    description=(
        "資料番号で返却し、貸出の記録を同時に消去します（方針第3(2)）。応答は資料の行き先（棚へ・取置棚へ・"
        "回送）だけで、借りていた利用者は返しません。貸出中でない資料は 409。" + _ROLE_NOTE
    ),
    operation_id="loan_return",
)
def return_create(request: HttpRequest, payload: ReturnIn) -> Any:
    try:
        result = services.loan_return(
            actor=_actor(request),
            barcode=payload.barcode,
            branch_code=payload.branch,
            damaged=payload.damaged,
            damage_description=payload.damage_description,
        )
    except ValidationError as exc:
        return _conflict_or_raise(exc)
    return {
        "route": result.route,
        "instruction": result.instruction,
        "destination": result.destination.code if result.destination else None,
        "overdue_days": result.overdue_days,
        "damage_case": result.damage_case,
    }


@router.post(
    "/reservations",
    auth=staff_auth(*ROLES),
    response={201: CirculationReservationCreatedOut, **_ERRORS},
    summary="予約",
    description=(
        "利用者番号・資料番号・受取館で予約し、予約IDを返します。同じ資料の重複予約・貸出中の本人の資料・"
        "予約点数の上限は 409、有効期限切れ・取消済みの利用者は 422。" + _ROLE_NOTE
    ),
    operation_id="reservation_create",
)
def reservation_create(request: HttpRequest, payload: ReservationIn) -> Any:
    try:
        reservation = services.reservation_create(
            actor=_actor(request),
            card_number=payload.card_number,
            barcode=payload.barcode,
            pickup_branch_code=payload.pickup_branch,
        )
    except ValidationError as exc:
        return _conflict_or_raise(exc)
    return Status(201, {"id": reservation.pk})


def _reservation_out(reservation: Any) -> dict[str, Any]:
    return {
        "id": reservation.pk,
        "status": reservation.status,
        "pickup_branch": reservation.pickup_branch.code,
        "hold_until": reservation.hold_until,
    }


@router.post(
    "/reservations/{reservation_id}/ready",
    auth=staff_auth(*ROLES),
    response={200: CirculationReservationOut, **_ERRORS_WITH_404},
    summary="予約資料の取置",
    description=(
        "受取館に届いた（または書架から確保した）予約資料を取置にし、取置期限を設定して利用者へ通知します。"
        "本文は {} でもよく、branch を送ると受取館かどうかを確かめます。"
        "受取館でない館・既に取置中・まだ確保できない予約は 409。" + _ROLE_NOTE
    ),
    operation_id="reservation_ready",
)
def reservation_ready(request: HttpRequest, reservation_id: ReservationId, payload: ReadyIn) -> Any:
    reservation = get_reservation_for(_actor(request), reservation_id)
    try:
        reservation = services.reservation_mark_ready(
            actor=_actor(request), reservation=reservation, branch_code=payload.branch
        )
    except ValidationError as exc:
        return _conflict_or_raise(exc)
    return _reservation_out(reservation)


@router.post(
    "/reservations/{reservation_id}/lend",
    auth=staff_auth(*ROLES),
    response={201: CirculationLoanOut, **_ERRORS_WITH_404},
    summary="予約資料の受渡し",
    description=(
        "取置中の予約資料を受け渡して貸出にし、予約の記録を同時に消去します（方針第3(3)）。"
        "取置中でない・この館で受け取る予約でない・貸出点数の上限は 409、有効期限切れは 422。" + _ROLE_NOTE
    ),
    operation_id="reservation_lend",
)
def reservation_lend(request: HttpRequest, reservation_id: ReservationId, payload: BranchIn) -> Any:
    reservation = get_reservation_for(_actor(request), reservation_id)
    try:
        loan = services.reservation_lend(
            actor=_actor(request), reservation=reservation, branch_code=payload.branch
        )
    except ValidationError as exc:
        return _conflict_or_raise(exc)
    return Status(201, {"id": loan.pk, "due_on": loan.due_on})


@router.post(
    "/reservations/{reservation_id}/cancel",
    auth=staff_auth(*ROLES),
    response={200: CirculationCancelOut, **_ERRORS_WITH_404},
    summary="予約取消",
    description=(
        "予約を取り消し、記録を消去します（方針第3(3)）。取り置かれていた（回送中の）資料は動かさず、"
        "カウンターの「予約資料の確保・到着」で読み取ったときに次の予約者か棚へ回します（route = rescan）。"
        + _ROLE_NOTE
    ),
    operation_id="reservation_cancel",
)
def reservation_cancel(request: HttpRequest, reservation_id: ReservationId) -> Any:
    reservation = get_reservation_for(_actor(request), reservation_id)
    try:
        routing = services.reservation_cancel(actor=_actor(request), reservation=reservation)
    except ValidationError as exc:
        return _conflict_or_raise(exc)
    return {
        "route": routing.route if routing else None,
        "instruction": routing.instruction if routing else None,
    }
