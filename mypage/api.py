"""``/api/v1/me/*``: the patron's own API (issue 16). Authentication is the patron's session
(``auth.PatronSessionAuth``), never a staff session or token: a staff session gets 403, no patron
session 401. Unsafe methods need the CSRF token, as the staff API's session does. Sign-in is
``POST /me/login`` {card_number, password}; it answers 200 and sets the session cookie."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, P, PathEx, Router, Schema, Status
from ninja.errors import HttpError

from patrons.models import Patron
from privacy_admin.audit.middleware import client_ip
from privacy_admin.core.api_schemas import BIGINT_MAX, error_responses

from . import auth, history, selectors, services


def _me(request: HttpRequest) -> Patron:
    """The signed-in patron (set by ``auth.PatronSessionAuth``)."""
    return cast(Patron, request.patron)  # type: ignore[attr-defined]


router = Router(tags=["mypage"], auth=auth.PatronSessionAuth())

Id = PathEx[int, P(ge=1, le=BIGINT_MAX, description="ID")]
_ERRORS = error_responses(400, 401, 403, 422, 500)
_ERRORS_404 = error_responses(400, 401, 403, 404, 409, 422, 500)


class SignInIn(Schema):
    card_number: str = Field(..., max_length=32)
    password: str = Field(..., max_length=128)


class DetailOut(Schema):
    detail: str


class LoanOut(Schema):
    id: int
    title: str
    due_on: dt.date
    branch: str
    renewable: bool


class ReservationOut(Schema):
    id: int
    title: str
    status: str
    queue_position: int | None
    pickup_place: str
    hold_until: dt.date | None


class ReserveIn(Schema):
    item_id: int = Field(..., ge=1, le=BIGINT_MAX)
    pickup_branch: str = Field(..., max_length=32)


class SearchIn(Schema):
    q: str = Field(..., min_length=1, max_length=100)


class ItemOut(Schema):
    id: int
    title: str
    author: str
    publisher: str
    available: bool


class HistoryEntryOut(Schema):
    id: int
    title: str
    returned_on: dt.date


class HistorySettingsIn(Schema):
    enabled: bool
    # Needed to turn it on: the history's key is wrapped by a key derived from the password.
    password: str = Field("", max_length=128)


class HistorySettingsOut(Schema):
    enabled: bool


@router.post(
    "/login",
    auth=None,
    response={
        200: DetailOut,
        401: DetailOut,
        403: DetailOut,
        429: DetailOut,
        **error_responses(400, 422, 500),
    },
    operation_id="me_login",
    summary="マイページへのログイン",
)
def login(request: HttpRequest, payload: SignInIn, response: HttpResponse) -> Any:
    if auth.is_staff_request(request):
        raise HttpError(403, gettext("職員としてログインしたままではマイページを使えません。"))
    try:
        patron = services.patron_sign_in(
            card_number=payload.card_number, password=payload.password, ip=client_ip(request)
        )
    except services.SignInRefused as refused:
        return Status(429 if refused.locked else 401, {"detail": refused.message})
    kek = services.history_kek_at_sign_in(patron=patron, password=payload.password)
    auth.sign_in_session(request, patron)
    if kek is not None:
        history.set_kek_cookie(
            response, patron_id=patron.pk, session_key=request.session.session_key or "", kek=kek
        )
    return Status(200, {"detail": gettext("ログインしました。")})


@router.post("/logout", response={200: DetailOut, **_ERRORS}, operation_id="me_logout", summary="ログアウト")
def logout(request: HttpRequest, response: HttpResponse) -> Any:
    services.patron_sign_out(patron=_me(request))
    request.session.flush()
    history.clear_kek_cookie(response)
    return Status(200, {"detail": gettext("ログアウトしました。")})


@router.get(
    "/loans", response={200: list[LoanOut], **_ERRORS}, operation_id="me_loans", summary="借りている資料"
)
def loans(request: HttpRequest) -> Any:
    return [
        {"id": r.id, "title": r.title, "due_on": r.due_on, "branch": r.branch, "renewable": r.renewable}
        for r in selectors.my_loans(_me(request))
    ]


@router.post(
    "/loans/{loan_id}/renew",
    response={200: LoanOut, **_ERRORS_404},
    operation_id="me_loan_renew",
    summary="貸出の延長",
)
def renew(request: HttpRequest, loan_id: Id) -> Any:
    patron = _me(request)
    try:
        services.loan_renew(patron=patron, loan_id=loan_id)
    except ValidationError as exc:
        return Status(
            409,
            {
                "detail": gettext("延長できません。"),
                "errors": [{"field": "__all__", "message": m} for m in exc.messages],
            },
        )
    row = next(r for r in selectors.my_loans(patron) if r.id == loan_id)
    return Status(
        200,
        {
            "id": row.id,
            "title": row.title,
            "due_on": row.due_on,
            "branch": row.branch,
            "renewable": row.renewable,
        },
    )


def _reservation_out(r: selectors.ReservationRow) -> dict[str, Any]:
    return {
        "id": r.id,
        "title": r.title,
        "status": r.status,
        "queue_position": r.queue_position,
        "pickup_place": r.pickup_place,
        "hold_until": r.hold_until,
    }


@router.get(
    "/reservations",
    response={200: list[ReservationOut], **_ERRORS},
    operation_id="me_reservations",
    summary="予約",
)
def reservations(request: HttpRequest) -> Any:
    return [_reservation_out(r) for r in selectors.my_reservations(_me(request))]


@router.post(
    "/reservations",
    response={201: ReservationOut, **_ERRORS_404},
    operation_id="me_reserve",
    summary="予約する",
)
def reserve(request: HttpRequest, payload: ReserveIn) -> Any:
    patron = _me(request)
    reservation = services.patron_reserve(
        patron=patron, item_id=payload.item_id, pickup_branch_code=payload.pickup_branch
    )
    row = next(r for r in selectors.my_reservations(patron) if r.id == reservation.pk)
    return Status(201, _reservation_out(row))


@router.delete(
    "/reservations/{reservation_id}",
    response={204: None, **_ERRORS_404},
    operation_id="me_reservation_cancel",
    summary="予約の取消（記録は直ちに消去）",
)
def cancel(request: HttpRequest, reservation_id: Id) -> Any:
    services.patron_cancel_reservation(patron=_me(request), reservation_id=reservation_id)
    return Status(204, None)


@router.post(
    "/items/search",
    response={200: list[ItemOut], **_ERRORS},
    operation_id="me_item_search",
    summary="書名で資料を探す",
)
def search(request: HttpRequest, payload: SearchIn) -> Any:
    return [r.__dict__ for r in selectors.item_search(payload.q)]


def _offered() -> None:
    if not history.available():
        raise HttpError(404, gettext("この図書館では読書記録のサービスを行っていません。"))


@router.get(
    "/history",
    response={200: list[HistoryEntryOut], **_ERRORS_404},
    operation_id="me_history",
    summary="読書記録（本人のみ）",
)
def history_list(request: HttpRequest) -> Any:
    _offered()
    patron = _me(request)
    rows = selectors.my_history(patron, history.kek_from_request(request, patron_id=patron.pk))
    if rows is None:
        return Status(
            409,
            {
                "detail": gettext("読書記録を開くには、もう一度ログインしてください。"),
                "errors": [{"field": "__all__", "message": gettext("もう一度ログインしてください。")}],
            },
        )
    return [{"id": r.id, "title": r.title, "returned_on": r.returned_on} for r in rows]


@router.put(
    "/history/settings",
    response={200: HistorySettingsOut, **_ERRORS_404},
    operation_id="me_history_settings",
    summary="読書記録を残すかどうか",
)
def history_settings(request: HttpRequest, payload: HistorySettingsIn, response: HttpResponse) -> Any:
    _offered()
    patron = _me(request)
    if payload.enabled:
        kek = services.history_enable(patron=patron, password=payload.password)
        history.set_kek_cookie(
            response, patron_id=patron.pk, session_key=request.session.session_key or "", kek=kek
        )
    else:
        services.history_disable(patron=patron)
        history.clear_kek_cookie(response)
    return Status(200, {"enabled": payload.enabled})


@router.delete(
    "/history/{entry_id}",
    response={204: None, **_ERRORS_404},
    operation_id="me_history_delete",
    summary="読書記録を1件削除",
)
def history_delete(request: HttpRequest, entry_id: Id) -> Any:
    _offered()
    services.history_delete_entry(patron=_me(request), entry_id=entry_id)
    return Status(204, None)


@router.delete(
    "/history",
    response={204: None, **_ERRORS_404},
    operation_id="me_history_delete_all",
    summary="読書記録をすべて削除",
)
def history_delete_all(request: HttpRequest) -> Any:
    _offered()
    services.history_delete_all(patron=_me(request))
    return Status(204, None)
