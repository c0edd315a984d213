"""``/api/v1/me/*``: the contract paths, the patron's session only (staff 403, nobody 401), CSRF on
session writes, another patron's records 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from loans import services as loan_services
from loans.models import Reservation
from mypage.models import HistoryEntry
from tests.loans.factories import make_item

from .conftest import PATRON_PASSWORD

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("get", "/api/v1/me/loans", None),
    ("get", "/api/v1/me/reservations", None),
    ("post", "/api/v1/me/reservations", {"item_id": 1, "pickup_branch": "central"}),
    ("delete", "/api/v1/me/reservations/1", None),
    ("post", "/api/v1/me/loans/1/renew", None),
    ("post", "/api/v1/me/items/search", {"q": "森"}),
    ("post", "/api/v1/me/logout", None),
    ("get", "/api/v1/me/history", None),
    ("put", "/api/v1/me/history/settings", {"enabled": True, "password": "x"}),
    ("delete", "/api/v1/me/history/1", None),
    ("delete", "/api/v1/me/history", None),
]


def _call(client: Client, method: str, path: str, body: Any) -> Any:
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(client, method)(path, **kwargs)


def api_sign_in(client: Client, patron: Any) -> Client:
    response = client.post(
        "/api/v1/me/login",
        data=json.dumps({"card_number": patron.card_number, "password": PATRON_PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return client


def test_login_returns_200_with_a_session_and_logout_ends_it(patron: Any) -> None:
    client = api_sign_in(Client(), patron)
    assert client.get("/api/v1/me/loans").status_code == 200
    assert client.post("/api/v1/me/logout").status_code == 200
    assert client.get("/api/v1/me/loans").status_code == 401


def test_login_refused_with_401_and_a_japanese_message(patron: Any) -> None:
    response = Client().post(
        "/api/v1/me/login",
        data=json.dumps({"card_number": patron.card_number, "password": "wrong-wrong-1"}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "利用者番号またはパスワードが正しくありません。"


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_no_patron_session_is_401(db: Any, method: str, path: str, body: Any) -> None:
    assert _call(Client(), method, path, body).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [*ENDPOINTS, ("post", "/api/v1/me/login", {"card_number": "1", "password": "x"})],
)
def test_a_staff_session_is_403_on_every_me_endpoint(
    login: Any, counter_staff: Any, method: str, path: str, body: Any
) -> None:
    assert _call(login(counter_staff), method, path, body).status_code == 403


def test_loans_contract(patron: Any, central: Any) -> None:
    item = make_item(title="七沢の森", home_branch=central)
    loan_services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    rows = api_sign_in(Client(), patron).get("/api/v1/me/loans").json()
    assert len(rows) == 1
    assert {"title", "due_on", "branch"} <= set(rows[0])
    assert rows[0]["title"] == "七沢の森" and rows[0]["branch"] == "中央図書館"


def test_reserve_list_and_cancel(patron: Any, central: Any, pickup_counter: Any) -> None:
    item = make_item(title="飯山観音", home_branch=central)
    client = api_sign_in(Client(), patron)
    found = client.post(
        "/api/v1/me/items/search", data=json.dumps({"q": "飯山"}), content_type="application/json"
    ).json()
    assert [r["id"] for r in found] == [item.pk]
    response = client.post(
        "/api/v1/me/reservations",
        data=json.dumps({"item_id": item.pk, "pickup_branch": pickup_counter.code}),
        content_type="application/json",
    )
    assert response.status_code == 201
    created = response.json()
    assert created["pickup_place"] == "東口受取窓口" and created["queue_position"] == 1
    rows = client.get("/api/v1/me/reservations").json()
    assert [r["title"] for r in rows] == ["飯山観音"]
    assert client.delete(f"/api/v1/me/reservations/{created['id']}").status_code == 204
    assert not Reservation.objects.filter(pk=created["id"]).exists()


def test_a_refused_reservation_is_422_in_japanese(patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    client = api_sign_in(Client(), patron)
    body = json.dumps({"item_id": item.pk, "pickup_branch": "central"})
    assert (
        client.post("/api/v1/me/reservations", data=body, content_type="application/json").status_code == 201
    )
    response = client.post("/api/v1/me/reservations", data=body, content_type="application/json")
    assert response.status_code in (409, 422)
    assert "既に予約されています" in json.dumps(response.json(), ensure_ascii=False)


def test_another_patrons_reservation_is_404(patron: Any, other_patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    theirs = loan_services.reservation_create(
        actor=None, card_number=other_patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    client = api_sign_in(Client(), patron)
    assert client.delete(f"/api/v1/me/reservations/{theirs.pk}").status_code == 404
    assert Reservation.objects.filter(pk=theirs.pk).exists()


def test_session_writes_need_the_csrf_token(patron: Any, central: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/me/login",
        data=json.dumps({"card_number": patron.card_number, "password": PATRON_PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200
    item = make_item(home_branch=central)
    response = client.post(
        "/api/v1/me/reservations",
        data=json.dumps({"item_id": item.pk, "pickup_branch": "central"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get("/api/v1/me/reservations").status_code == 200


def test_history_api(patron: Any, central: Any, settings: Any) -> None:
    client = api_sign_in(Client(), patron)
    settings.READING_HISTORY_AVAILABLE = False
    assert client.get("/api/v1/me/history").status_code == 404
    settings.READING_HISTORY_AVAILABLE = True
    put = client.put(
        "/api/v1/me/history/settings",
        data=json.dumps({"enabled": True, "password": PATRON_PASSWORD}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json() == {"enabled": True}
    item = make_item(title="荻野川", home_branch=central)
    loan_services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    loan_services.loan_return(actor=None, barcode=item.barcode, branch_code="central")
    rows = client.get("/api/v1/me/history").json()
    assert [r["title"] for r in rows] == ["荻野川"] and set(rows[0]) == {"id", "title", "returned_on"}
    assert client.delete(f"/api/v1/me/history/{rows[0]['id']}").status_code == 204
    assert client.get("/api/v1/me/history").json() == []
    off = client.put(
        "/api/v1/me/history/settings", data=json.dumps({"enabled": False}), content_type="application/json"
    )
    assert off.status_code == 200
    assert not HistoryEntry.objects.exists()


def test_history_enable_needs_the_password(patron: Any, settings: Any) -> None:
    settings.READING_HISTORY_AVAILABLE = True
    client = api_sign_in(Client(), patron)
    response = client.put(
        "/api/v1/me/history/settings",
        data=json.dumps({"enabled": True, "password": "wrong-wrong-1"}),
        content_type="application/json",
    )
    assert response.status_code == 422
