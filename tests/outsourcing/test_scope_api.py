"""The JSON API for contractor operators: scoped lookups, 404 and a logged attempt outside the scope,
and a refusal (403, logged) on every endpoint not opened to them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from privacy_admin.accounts.services import api_token_create
from privacy_admin.api import api
from privacy_admin.audit.models import AuditEvent, Outcome
from privacy_admin.core.roles import Role

from .scope_world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(central: Any, pickup_counter: Any, general_category: Any) -> World:
    return build_world(central, pickup_counter, general_category)


def bearer(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"})


def session(login: Any, user: Any) -> Client:
    return login(user)


@dataclass(frozen=True)
class ApiCase:
    id: str
    method: str
    path: str  # {card} is replaced by the patron's card number
    body: dict[str, str] | None
    patron: str  # attribute of World
    in_scope: str
    out_of_scope: str
    shown: frozenset[str]


PICKUP_SHOWN = frozenset(
    {
        "card_number",
        "family_name",
        "given_name",
        "birth_date",
        "gender",
        "address",
        "phone",
        "email",
        "registered_branch",
        "status",
    }
)
SCHOOL_SHOWN = frozenset({"family_name", "given_name", "status"})

API_CASES = [
    ApiCase("lookup-pickup", "POST", "/api/v1/patrons/lookup", {"card_number": "{card}"}, "reader",
            "op_east", "op_west", PICKUP_SHOWN),
    ApiCase("detail-pickup", "GET", "/api/v1/patrons/{card}", None, "reader", "op_east", "op_west", PICKUP_SHOWN),
    ApiCase("lookup-school", "POST", "/api/v1/patrons/lookup", {"card_number": "{card}"}, "student",
            "op_school", "op_east", SCHOOL_SHOWN),
    ApiCase("detail-school", "GET", "/api/v1/patrons/{card}", None, "student", "op_school", "op_east", SCHOOL_SHOWN),
]  # fmt: skip
# Operations open to operators: the personal-data ones above, and lists without personal data.
PERSONAL_DATA_OPERATIONS = {"patron_lookup", "patron_detail"}
OTHER_CONTRACTOR_OPERATIONS = {"branches_list", "categories_list"}


def _request(client: Client, case: ApiCase, card: str) -> Any:
    path = case.path.replace("{card}", card)
    if case.method == "GET":
        return client.get(path)
    body = {k: v.replace("{card}", card) for k, v in (case.body or {}).items()}
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: c.id)
def test_in_scope_operator_reads_only_the_contracts_items(case: ApiCase, world: World) -> None:
    patron = getattr(world, case.patron)
    response = _request(bearer(getattr(world, case.in_scope)), case, patron.card_number)
    assert response.status_code == 200
    data = response.json()
    assert {k for k, v in data.items() if v is not None} == case.shown
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="patron.view")
    assert (event.patron_id, event.actor_id) == (patron.pk, getattr(world, case.in_scope).pk)


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: c.id)
def test_out_of_scope_operator_gets_404_and_the_attempt_is_logged(case: ApiCase, world: World) -> None:
    patron = getattr(world, case.patron)
    user = getattr(world, case.out_of_scope)
    response = _request(bearer(user), case, patron.card_number)
    assert response.status_code == 404
    assert response.json() == {"detail": "見つかりません。"}
    event = AuditEvent.objects.get(action="patron.out_of_scope")
    assert (event.actor_id, event.patron_id, event.outcome) == (user.pk, patron.pk, Outcome.DENIED)
    assert not AuditEvent.objects.filter(action="patron.view").exists()


def test_out_of_scope_through_the_session_is_404_and_logged_too(world: World, login: Any) -> None:
    client = login(world.op_west)
    response = client.post(
        "/api/v1/patrons/lookup",
        json.dumps({"card_number": world.reader.card_number}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="patron.out_of_scope", actor=world.op_west).count() == 1


def _operations() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(operation id, method, path, admitted roles) of every operation that needs a signed-in user.

    Public operations (``auth=None``: the published register) carry no personal data and are left out.
    """
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                if not op.auth_callbacks:
                    continue
                roles = next((tuple(a.roles) for a in op.auth_callbacks if hasattr(a, "roles")), ())
                for method in op.methods:
                    found.append((op.operation_id or "", method, (prefix.rstrip("/") + path), roles))
    return found


def test_every_operation_open_to_operators_is_listed() -> None:
    opened = {op_id for op_id, _m, _p, roles in _operations() if Role.CONTRACTOR in roles}
    assert opened - OTHER_CONTRACTOR_OPERATIONS == PERSONAL_DATA_OPERATIONS
    assert {c.path for c in API_CASES} == {"/api/v1/patrons/lookup", "/api/v1/patrons/{card}"}


def test_every_other_operation_refuses_operators_and_logs_it(world: World) -> None:
    client = bearer(world.op_east)
    refused = [op for op in _operations() if Role.CONTRACTOR not in op[3]]
    assert len(refused) >= 10  # loans, registration, disclosure requests, registry…
    for op_id, method, path, _roles in refused:
        url = "/api/v1" + re.sub(r"\{[^}]+\}", "1", path)
        response = client.generic(method, url, "{}", content_type="application/json")
        assert response.status_code == 403, (op_id, response.status_code)
    assert AuditEvent.objects.filter(action="access.denied", actor=world.op_east).count() == len(refused)


def test_loans_api_is_closed_to_operators_even_for_their_own_counter(world: World) -> None:
    client = bearer(world.op_east)
    body = {
        "card_number": world.reader.card_number,
        "barcode": world.shelf_item.barcode,
        "branch": world.east.code,
    }
    response = client.post("/api/v1/loans", json.dumps(body), content_type="application/json")
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/reservations/{world.ready_east.pk}/lend",
        json.dumps({"branch": world.east.code}),
        content_type="application/json",
    )
    assert response.status_code == 403
