"""The API keeps its published contract (issue 14): schemathesis, in process against the WSGI app.

The schema is read from ``/api/v1/openapi.json`` of ``privacy_admin.wsgi.application`` itself, and every
operation is called with generated input (valid and invalid, a bounded number of examples each) as a
role it admits, holding a real API token, against a seeded world: the path ids and the card numbers,
barcodes and codes in bodies are, often, ones that exist, so the calls reach the services and not only
the schema's refusals. Every answer must be no server error, have a status code the operation
documents, the content type it documents, and a body that matches the documented schema. A second run does the same as a contractor's operator, whom most operations
refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from privacy_admin.accounts.services import api_token_create
from privacy_admin.core.roles import Role
from privacy_admin.wsgi import application
from tests.disclosure_requests.factories import make_request
from tests.factories import make_patron, make_staff
from tests.loans.factories import make_item
from tests.register.factories import make_entry

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# The role each group of operations is for (the first path segment after /api/v1/).
ROLE_BY_SEGMENT = {
    "branches": Role.COUNTER,
    "categories": Role.COUNTER,
    "patrons": Role.COUNTER,
    "items": Role.COUNTER,
    "loans": Role.COUNTER,
    "returns": Role.COUNTER,
    "reservations": Role.COUNTER,
    "requests": Role.PRIVACY_OFFICER,
    "incidents": Role.PRIVACY_OFFICER,
    "register": Role.ADMINISTRATOR,
    "reports": Role.ADMINISTRATOR,
}


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[None]:
    """The WSGI handler closes "old" connections around each request; inside the test's transaction
    that would close the connection holding the seeded world (django.test.Client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db: Any, central: Any, general_category: Any, pickup_counter: Any) -> dict[str, Any]:
    """Real records and one token per role; ``values`` holds what a request may name."""
    counter = make_staff("contract-counter", Role.COUNTER, central)
    officer = make_staff("contract-officer", Role.PRIVACY_OFFICER, central)
    admin = make_staff("contract-admin", Role.ADMINISTRATOR, central)
    patron = make_patron(registered_branch=central, category=general_category)
    item = make_item(home_branch=central, title="星降る町の図書館")
    on_hold = make_item(home_branch=central, title="海辺の図書室")
    from loans import services as loan_services

    reservation = loan_services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=on_hold.barcode, pickup_branch_code="central"
    )
    request = make_request(received_on=timezone.localdate() - dt.timedelta(days=5))
    from disclosure_requests.models import Amendment

    amendment = Amendment.objects.create(
        request=request,
        requested_on=timezone.localdate() - dt.timedelta(days=3),
        reply_by=timezone.localdate() + dt.timedelta(days=10),
        what_to_fix="請求に係る保有個人情報を特定してください。",
    )
    entry = make_entry(registered_on=dt.date(2026, 4, 1), starts_on=dt.date(2026, 4, 1))
    tokens = {
        role: api_token_create(actor=None, user=user)
        for role, user in [
            (Role.COUNTER, counter),
            (Role.PRIVACY_OFFICER, officer),
            (Role.ADMINISTRATOR, admin),
        ]
    }
    return {
        "tokens": tokens,
        "path": {
            "card_number": [patron.card_number],
            "reservation_id": [reservation.pk],
            "request_id": [request.pk],
            "amendment_id": [amendment.pk],
            "entry_id": [entry.pk],
            "fiscal_year": [2025, 2026],
        },
        "body": {
            "card_number": [patron.card_number],
            "barcode": [item.barcode, on_hold.barcode],
            "branch": ["central", "pickup-east"],
            "pickup_branch": ["central", "pickup-east"],
            "registered_branch": ["central"],
            "category": ["general"],
            "based_on": [request.pk],
        },
    }


def _role_for(path: str) -> str:
    segment = path.removeprefix("/api/v1/").split("/", 1)[0]
    return ROLE_BY_SEGMENT.get(segment, Role.ADMINISTRATOR)


def _use_real_values(case: Any, data: st.DataObject, world: dict[str, Any]) -> None:
    """Half the time, a path id or a body field names a record that exists (drawn by hypothesis, so
    a failure shrinks and replays)."""
    for name in list(case.path_parameters or {}):
        if name in world["path"] and data.draw(st.booleans(), label=f"real {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(world["path"][name]), label=name)
    if isinstance(case.body, dict):
        for name in list(case.body):
            if name in world["body"] and data.draw(st.booleans(), label=f"real {name}"):
                case.body[name] = data.draw(st.sampled_from(world["body"][name]), label=name)


# Read at collection, through the whole WSGI stack (middleware included); serving the schema needs no
# database. (schemathesis.pytest.from_fixture would defer this, but it does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@schema.given(data=st.data())
@hypothesis.settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
@pytest.mark.usefixtures("wsgi_in_test_transaction")
def test_every_operation_keeps_its_contract(case: Any, data: st.DataObject, world: dict[str, Any]) -> None:
    _use_real_values(case, data, world)
    token = world["tokens"][_role_for(case.path)]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@schema.parametrize()
@schema.given(data=st.data())
@hypothesis.settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
@pytest.mark.usefixtures("wsgi_in_test_transaction")
def test_every_operation_keeps_its_contract_for_a_contractor_operator(
    case: Any, data: st.DataObject, world: dict[str, Any], working_operator: Any
) -> None:
    # An operator is admitted to patron reads within the contract's scope (the seeded patron is out of
    # it: 404) and refused everywhere else (403): those answers keep the contract too.
    _use_real_values(case, data, world)
    token = api_token_create(actor=None, user=working_operator)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
