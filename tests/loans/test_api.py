"""Circulation endpoints: who may call them, their answers, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from loans import services
from loans.models import DamageCase, Item, Loan, Reservation
from patrons.models import Branch, Patron
from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_branch, make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db

DENIED = {"detail": "この操作を行う権限がありません。"}
REFUSED = ["privacy_officer", "working_operator", "no_role_user"]


def bearer(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"})


def post(client: Client, path: str, body: object | None = None) -> Any:
    if body is None:
        return client.post(f"/api/v1{path}")
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def text(response: Any) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.fixture
def kita(db) -> Branch:
    return make_branch(code="kita", name="北分館", kind=Branch.Kind.BRANCH)


@pytest.fixture
def api(counter_staff) -> Client:
    return bearer(counter_staff)


@pytest.fixture
def patron(central, general_category) -> Patron:
    return make_patron(
        registered_branch=central,
        category=general_category,
        expires_on=services.today() + dt.timedelta(days=400),
    )


@pytest.fixture
def other(central, general_category) -> Patron:
    return make_patron(
        registered_branch=central,
        category=general_category,
        expires_on=services.today() + dt.timedelta(days=400),
    )


@pytest.fixture
def item(central) -> Item:
    return make_item(home_branch=central, title="星降る町の図書館")


def state() -> tuple[Any, ...]:
    return (
        list(Loan.objects.values()),
        list(Reservation.objects.values()),
        list(Item.objects.order_by("pk").values()),
        list(DamageCase.objects.values()),
        AuditEvent.objects.filter(action__startswith="circulation.").count(),
    )


def reserved(patron: Patron, item: Item, pickup: str = "central") -> Reservation:
    return services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code=pickup
    )


# --- who may call ---------------------------------------------------------------------------------

ENDPOINTS = [
    ("/items", {"barcode": "5000001", "title": "本", "branch": "central"}),
    ("/loans", {"card_number": "2100000001", "barcode": "1", "branch": "central"}),
    ("/returns", {"barcode": "1", "branch": "central"}),
    ("/reservations", {"card_number": "2100000001", "barcode": "1", "pickup_branch": "central"}),
    ("/reservations/{id}/ready", {"branch": "central"}),
    ("/reservations/{id}/lend", {"branch": "central"}),
    ("/reservations/{id}/cancel", None),
]


@pytest.mark.parametrize(("path", "body"), ENDPOINTS)
@pytest.mark.parametrize("persona", REFUSED, indirect=True)
def test_other_roles_are_refused(persona, path, body, patron, item) -> None:
    reservation = reserved(patron, item)
    before = state()
    response = post(bearer(persona), path.format(id=reservation.pk), body)
    assert response.status_code == 403
    assert response.json() == DENIED
    assert state() == before
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == 1


@pytest.mark.parametrize(("path", "body"), ENDPOINTS)
def test_anonymous_is_401(path, body, patron, item) -> None:
    reservation = reserved(patron, item)
    assert post(Client(), path.format(id=reservation.pk), body).status_code == 401


@pytest.mark.parametrize("persona", ["counter_staff", "administrator"], indirect=True)
def test_counter_roles_lend_and_return(persona, patron, item) -> None:
    client = bearer(persona)
    assert (
        post(
            client,
            "/loans",
            {"card_number": patron.card_number, "barcode": item.barcode, "branch": "central"},
        ).status_code
        == 201
    )
    assert post(client, "/returns", {"barcode": item.barcode, "branch": "central"}).status_code == 200


# --- items ----------------------------------------------------------------------------------------


def test_item_create_answers_201(api, central) -> None:
    response = post(
        api,
        "/items",
        {"barcode": "5000001", "title": "海と山の民話", "branch": "central", "isbn": "978-4-06-123456-7"},
    )
    assert response.status_code == 201
    item = Item.objects.get()
    assert response.json() == {
        "id": item.pk,
        "barcode": "5000001",
        "title": "海と山の民話",
        "branch": "central",
        "status": "available",
    }


def test_item_create_with_a_known_barcode_is_422(api, item) -> None:
    before = state()
    response = post(api, "/items", {"barcode": item.barcode, "title": "別の本", "branch": "central"})
    assert response.status_code == 422
    assert {"field": "barcode", "message": "この資料番号は既に登録されています。"} in response.json()[
        "errors"
    ]
    assert state() == before


def test_item_create_refuses_unknown_fields(api, central) -> None:
    response = post(api, "/items", {"barcode": "5000002", "title": "本", "branch": "central", "patron": 1})
    assert response.status_code == 422
    assert not Item.objects.exists()


# --- loans and returns ----------------------------------------------------------------------------


def test_lend_answers_201_with_id_and_due_date(api, patron, item, settings) -> None:
    settings.LOANS_PERIOD_DAYS = 14
    response = post(
        api, "/loans", {"card_number": patron.card_number, "barcode": item.barcode, "branch": "central"}
    )
    assert response.status_code == 201
    loan = Loan.objects.get()
    assert response.json() == {
        "id": loan.pk,
        "due_on": (services.today() + dt.timedelta(days=14)).isoformat(),
    }
    event = AuditEvent.objects.get(action="circulation.lend")
    assert (event.target_type, event.patron_id) == ("patron", patron.pk)


def test_lend_of_an_unknown_barcode_is_422_and_changes_nothing(api, patron, central) -> None:
    before = state()
    response = post(
        api, "/loans", {"card_number": patron.card_number, "barcode": "404404", "branch": "central"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "barcode", "message": "資料番号が見つかりません。番号を確かめてください。"}
    ]
    assert state() == before


def test_lend_of_an_item_on_loan_is_409_and_changes_nothing(api, patron, other, item) -> None:
    services.loan_lend(actor=None, card_number=other.card_number, barcode=item.barcode, branch_code="central")
    before = state()
    response = post(
        api, "/loans", {"card_number": patron.card_number, "barcode": item.barcode, "branch": "central"}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "この資料は貸出中です。先に返却処理をしてください。"
    assert state() == before


def test_lend_to_an_expired_card_is_422_and_changes_nothing(api, patron, item) -> None:
    Patron.objects.filter(pk=patron.pk).update(expires_on=services.today() - dt.timedelta(days=1))
    before = state()
    response = post(
        api, "/loans", {"card_number": patron.card_number, "barcode": item.barcode, "branch": "central"}
    )
    assert response.status_code == 422
    assert "有効期限が切れています" in response.json()["errors"][0]["message"]
    assert state() == before


def test_refusals_never_echo_card_number_or_barcode(api, patron, item) -> None:
    Patron.objects.filter(pk=patron.pk).update(expires_on=services.today() - dt.timedelta(days=1))
    response = post(
        api, "/loans", {"card_number": patron.card_number, "barcode": item.barcode, "branch": "central"}
    )
    assert patron.card_number not in text(response) and item.barcode not in text(response)


def test_return_answers_where_the_item_goes_never_who(api, patron, other, item, kita) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    reserved(other, item, pickup="kita")
    response = post(api, "/returns", {"barcode": item.barcode, "branch": "central"})
    assert response.status_code == 200
    assert response.json() == {
        "route": "transit",
        "instruction": "北分館へ回送",
        "destination": "kita",
        "overdue_days": 0,
        "damage_case": False,
    }
    assert not Loan.objects.exists()
    for person in (patron, other):
        assert person.card_number not in text(response)


@pytest.mark.needs_postgres
def test_a_return_over_the_api_runs_the_services_queries_and_one_for_the_token(
    api, counter_staff, patron, central, django_assert_max_num_queries
) -> None:
    books = [make_item(home_branch=central) for _n in range(2)]
    for book in books:
        services.loan_lend(
            actor=None, card_number=patron.card_number, barcode=book.barcode, branch_code="central"
        )
    assert post(api, "/returns", {"barcode": books[0].barcode, "branch": "central"}).status_code == 200
    # The token is remembered now: the credential generation (1), whether the account may still act
    # (1: locked, password expired; issue 14), then the return (8, see tests/loans/services/test_lending.py).
    # No session, token, user or group query.
    with django_assert_max_num_queries(10):
        assert post(api, "/returns", {"barcode": books[1].barcode, "branch": "central"}).status_code == 200


def test_damaged_return_needs_a_description(api, patron, item) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    before = state()
    response = post(api, "/returns", {"barcode": item.barcode, "branch": "central", "damaged": True})
    assert response.status_code == 422
    assert state() == before
    response = post(
        api,
        "/returns",
        {"barcode": item.barcode, "branch": "central", "damaged": True, "damage_description": "破れ"},
    )
    assert response.json()["damage_case"] is True


def test_return_of_an_item_not_on_loan_is_409(api, item) -> None:
    before = state()
    response = post(api, "/returns", {"barcode": item.barcode, "branch": "central"})
    assert response.status_code == 409
    assert "貸出中ではありません" in response.json()["detail"]
    assert state() == before


def test_malformed_branch_is_422(api, item) -> None:
    response = post(api, "/returns", {"barcode": item.barcode, "branch": "central\x00"})
    assert response.status_code == 422


# --- reservations ---------------------------------------------------------------------------------


def test_reserve_answers_201_with_id(api, patron, item, pickup_counter) -> None:
    response = post(
        api,
        "/reservations",
        {"card_number": patron.card_number, "barcode": item.barcode, "pickup_branch": "pickup-east"},
    )
    assert response.status_code == 201
    reservation = Reservation.objects.get()
    assert response.json() == {"id": reservation.pk}
    assert reservation.pickup_branch == pickup_counter


def test_duplicate_reservation_is_409(api, patron, item) -> None:
    reserved(patron, item)
    before = state()
    response = post(
        api,
        "/reservations",
        {"card_number": patron.card_number, "barcode": item.barcode, "pickup_branch": "central"},
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "この資料は既に予約されています。"
    assert state() == before


def test_ready_then_lend_erases_the_reservation(api, patron, item) -> None:
    reservation = reserved(patron, item)
    response = post(api, f"/reservations/{reservation.pk}/ready", {"branch": "central"})
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["pickup_branch"]) == (reservation.pk, "ready", "central")
    assert body["hold_until"] is not None
    response = post(api, f"/reservations/{reservation.pk}/lend", {"branch": "central"})
    assert response.status_code == 201
    loan = Loan.objects.get()
    assert response.json() == {"id": loan.pk, "due_on": loan.due_on.isoformat()}
    assert not Reservation.objects.exists()


def test_ready_without_a_branch(api, patron, item) -> None:
    reservation = reserved(patron, item)
    assert post(api, f"/reservations/{reservation.pk}/ready", {}).status_code == 200


def test_lending_a_reservation_that_is_not_ready_is_409(api, patron, item) -> None:
    reservation = reserved(patron, item)
    before = state()
    response = post(api, f"/reservations/{reservation.pk}/lend", {"branch": "central"})
    assert response.status_code == 409
    assert "まだ取置中ではありません" in response.json()["detail"]
    assert state() == before


def test_ready_at_the_wrong_branch_is_409(api, patron, item, kita) -> None:
    reservation = reserved(patron, item, pickup="kita")
    before = state()
    response = post(api, f"/reservations/{reservation.pk}/ready", {"branch": "central"})
    assert response.status_code == 409
    assert state() == before


def test_cancel_deletes_and_says_what_to_do_with_a_held_copy(api, patron, other, item) -> None:
    reservation = reserved(patron, item)
    services.reservation_mark_ready(actor=None, reservation=reservation)
    reserved(other, item)
    response = post(api, f"/reservations/{reservation.pk}/cancel")
    assert response.status_code == 200
    assert response.json() == {
        "route": "rescan",
        "instruction": "取置棚から出して「予約資料の確保・到着」で読み取ってください",
    }
    assert list(Reservation.objects.values_list("patron_id", flat=True)) == [other.pk]


def test_cancel_of_a_waiting_reservation_moves_nothing(api, patron, item) -> None:
    reservation = reserved(patron, item)
    response = post(api, f"/reservations/{reservation.pk}/cancel")
    assert response.json() == {"route": None, "instruction": None}
    assert not Reservation.objects.exists()


def test_unknown_reservation_is_404(api, central) -> None:
    for path in ("ready", "lend", "cancel"):
        response = post(
            api, f"/reservations/987654/{path}", {"branch": "central"} if path != "cancel" else None
        )
        assert response.status_code == 404


def test_cancelled_reservation_is_404_afterwards(api, patron, item) -> None:
    reservation = reserved(patron, item)
    assert post(api, f"/reservations/{reservation.pk}/cancel").status_code == 200
    assert post(api, f"/reservations/{reservation.pk}/cancel").status_code == 404


def test_openapi_documents_the_circulation_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/items", "/api/v1/loans", "/api/v1/returns", "/api/v1/reservations"):
        assert path in paths
    assert "409" in paths["/api/v1/loans"]["post"]["responses"]
