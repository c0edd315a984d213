"""The API root: error shapes, the schema, and what reaches the logs (authentication and CSRF:
tests/accounts/test_api_auth.py; the idle timeout: tests/accounts/test_middleware.py)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from privacy_admin.accounts.services import api_token_create
from tests.factories import BranchFactory, PatronFactory


def bearer(user) -> Client:
    return Client(
        enforce_csrf_checks=True,
        headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"},
    )


def registration(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "family_name": "山田",
        "given_name": "花子",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ",
        "birth_date": "1990-05-01",
        "address": "神奈川県厚木市中町1-1-3",
        "category": "general",
        "eligibility": "residence",
        "id_document_type": "drivers_license",
        "registered_branch": "central",
    }
    body.update(overrides)
    return body


# --- malformed requests never reach a 500 --------------------------------------------------------


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b'{"family_name": "\xe5\xb1'])
def test_unparsable_body_is_400_in_japanese(counter_staff, body: bytes) -> None:
    response = bearer(counter_staff).post("/api/v1/patrons", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "リクエストの本文をJSONとして解析できません。"}


@pytest.mark.parametrize("body", [b"[1, 2]", b"null", b'"text"', b"42"])
def test_body_that_is_not_an_object_is_422(counter_staff, body: bytes) -> None:
    response = bearer(counter_staff).post("/api/v1/patrons", body, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"] == "入力内容に誤りがあります。"


def test_oversized_body_is_400(counter_staff, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = registration(address="神" * 2000)

    response = bearer(counter_staff).post("/api/v1/patrons", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "リクエストの形式が正しくありません。"}


def test_wrong_method_is_405(counter_staff) -> None:
    response = bearer(counter_staff).delete("/api/v1/branches")
    assert response.status_code == 405


# --- the OpenAPI schema ---------------------------------------------------------------------------


def test_openapi_schema_is_public_and_lists_the_endpoints(db) -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert {
        "/api/v1/branches",
        "/api/v1/patrons",
        "/api/v1/patrons/lookup",
        "/api/v1/patrons/{card_number}",
    } <= set(paths)
    assert set(paths["/api/v1/patrons"]["post"]["responses"]) >= {"201", "401", "403", "422"}
    assert set(paths["/api/v1/patrons/{card_number}"]["get"]["responses"]) >= {"200", "401", "403", "404"}
    assert set(paths["/api/v1/patrons/lookup"]["post"]["responses"]) >= {"200", "403", "404", "422"}
    # Staff: token or session; /api/v1/me/*: the patron's own session (mypage, issue 16).
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "SessionAuth", "PatronSessionAuth"}
    assert "/patrons/lookup" in schema["info"]["description"]


def test_openapi_schema_never_offers_a_password_in_responses(db) -> None:
    components = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert components["RegistrationIn"]["properties"]["password"]["anyOf"][0]["writeOnly"] is True
    for name in ("RegistrationOut", "PatronOut"):
        assert "password" not in components[name]["properties"]
        assert "duplicate_key" not in components[name]["properties"]


def test_interactive_docs_are_not_served(db) -> None:
    # They would load Swagger UI from a CDN next to staff sessions.
    assert Client().get("/api/v1/docs").status_code == 404


# --- logs -----------------------------------------------------------------------------------------


@pytest.fixture
def console_log() -> Iterator[io.StringIO]:
    """What the configured console handler (the one with the redaction filter) writes."""
    handler = logging.getLogger("django.server").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


CARD = "2112345674"


def test_runserver_access_line_masks_the_card_number(console_log: io.StringIO) -> None:
    # As django.core.servers.basehttp.WSGIRequestHandler.log_message emits it.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /api/v1/patrons/{CARD} HTTP/1.1", "200", "512", extra={"status_code": 200}
    )

    line = console_log.getvalue()
    assert "/api/v1/patrons/****5674" in line
    assert CARD not in line


def test_gunicorn_access_line_masks_the_card_number(console_log: io.StringIO) -> None:
    # As gunicorn.glogging.Logger.access emits it: the format, then one dict of atoms.
    atoms = {"h": "192.0.2.1", "r": f"GET /api/v1/patrons/{CARD} HTTP/1.1", "s": "200", "b": "512"}
    logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s %(b)s', atoms)

    line = console_log.getvalue()
    assert "192.0.2.1" in line
    assert CARD not in line


def test_not_found_warning_masks_the_card_number(console_log: io.StringIO, counter_staff) -> None:
    # django.request logs "Not Found: <path>" for every 4xx answer.
    response = bearer(counter_staff).get(f"/api/v1/patrons/{CARD}")

    assert response.status_code == 404
    assert CARD not in response.content.decode()
    line = console_log.getvalue()
    assert "Not Found: /api/v1/patrons/****5674" in line
    assert CARD not in line


def test_branches_answer_carries_no_personal_data(counter_staff) -> None:
    BranchFactory(code="east", name="東分館")
    PatronFactory()

    data = bearer(counter_staff).get("/api/v1/branches").json()

    assert all(set(b) == {"code", "name", "kind"} for b in data)


def test_credentials_of_another_scheme_are_not_logged(db, settings, console_log: io.StringIO) -> None:
    settings.DEBUG = True

    response = Client(headers={"Authorization": "Basic Y291bnRlcjpzZWNyZXQ="}).get("/api/v1/branches")

    assert response.status_code == 401
    assert "Y291bnRlcjpzZWNyZXQ=" not in console_log.getvalue()
