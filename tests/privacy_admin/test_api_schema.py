"""The published OpenAPI document says what the API takes and answers (issue 14): enumerated fields as
enums with the models' values, the rules' lengths and nullability, bounds on numbers, the deprecated
card-number URL, and every refusal with its JSON shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from ninja import Schema

from disclosure_requests.models import (
    Channel,
    Outcome,
    RequesterKind,
    RequestKind,
    RequestStatus,
    SuspensionKind,
    WithholdingReason,
)
from loans.models import Item, Reservation
from patrons.models import Branch, Eligibility, Gender, PatronStatus
from patrons.rules import DEFAULT_IDENTITY_DOCUMENTS
from privacy_admin.core.api_schemas import BIGINT_MAX, INT_MAX
from register.models import CollectionSource, RegisterEntry

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _component(openapi: dict[str, Any], name: str) -> dict[str, Any]:
    return openapi["components"]["schemas"][name]


def _prop(openapi: dict[str, Any], schema: str, name: str) -> dict[str, Any]:
    return _component(openapi, schema)["properties"][name]


def _enum(prop: dict[str, Any]) -> list[str]:
    """The enum of a property, through ``anyOf [.., null]`` and ``array`` items."""
    if "anyOf" in prop:
        [prop] = [p for p in prop["anyOf"] if p.get("type") != "null"]
    if prop.get("type") == "array":
        prop = prop["items"]
    return prop["enum"]


def _nullable(prop: dict[str, Any]) -> bool:
    return any(p.get("type") == "null" for p in prop.get("anyOf", []))


def _operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, ops in openapi["paths"].items() for m, op in ops.items() if m in METHODS]


ENUMS = [
    ("BranchOut", "kind", Branch.Kind.values),
    ("RegistrationIn", "gender", Gender.values),
    ("RegistrationIn", "eligibility", Eligibility.values),
    ("RegistrationIn", "id_document_type", [d.code for d in DEFAULT_IDENTITY_DOCUMENTS]),
    ("PatronOut", "gender", Gender.values),
    ("PatronOut", "eligibility", Eligibility.values),
    ("PatronOut", "status", PatronStatus.values),
    ("CirculationItemOut", "status", Item.Status.values),
    ("CirculationReservationOut", "status", Reservation.Status.values),
    ("RequestIn", "kind", RequestKind.values),
    ("RequestIn", "channel", Channel.values),
    ("RequestIn", "requester_kind", RequesterKind.values),
    ("RequestIn", "suspension_kind", SuspensionKind.values),
    ("RequestOut", "kind", RequestKind.values),
    ("RequestOut", "status", RequestStatus.values),
    ("DecisionIn", "outcome", Outcome.values),
    ("DecisionIn", "reasons", WithholdingReason.values),
    ("DecisionOut", "outcome", Outcome.values),
    ("DecisionCreatedOut", "status", RequestStatus.values),
    ("EntryOut", "status", RegisterEntry.Status.values),
    ("EntryIn", "collection_sources", CollectionSource.values),
    ("EntryOut", "collection_sources", CollectionSource.values),
]


@pytest.mark.parametrize(("schema", "field", "values"), ENUMS, ids=[f"{s}.{f}" for s, f, _ in ENUMS])
def test_enumerated_fields_declare_the_models_choices(
    openapi, schema: str, field: str, values: list[str]
) -> None:
    assert _enum(_prop(openapi, schema, field)) == list(values)


def test_the_request_document_types_are_an_enum(openapi) -> None:
    from disclosure_requests import services

    declared = _enum(_prop(openapi, "RequestIn", "identity_document_type"))
    assert declared == [code for code, _label in services.request_identity_documents()]


def test_an_optional_enum_is_nullable_and_a_required_one_is_not(openapi) -> None:
    assert _nullable(_prop(openapi, "RequestIn", "channel"))
    assert not _nullable(_prop(openapi, "RequestIn", "kind"))
    assert "kind" in _component(openapi, "RequestIn")["required"]


@pytest.mark.parametrize("schema", ["EntryChangeIn", "AbolishIn"])
def test_register_reasons_are_required_non_null_and_at_most_100_characters(openapi, schema: str) -> None:
    reason = _prop(openapi, schema, "reason")
    assert "reason" in _component(openapi, schema)["required"]
    assert not _nullable(reason) and reason["type"] == "string"
    assert reason["minLength"] == 1 and reason["maxLength"] == 100


def test_numbers_have_bounds(openapi) -> None:
    number = _prop(openapi, "EntryIn", "number")["anyOf"][0]
    assert (number["minimum"], number["maximum"]) == (1, INT_MAX)
    days = _prop(openapi, "ExtensionIn", "days")
    assert days["minimum"] == 1 and days["maximum"] <= 60
    based_on = _prop(openapi, "RequestIn", "based_on")["anyOf"][0]
    assert (based_on["minimum"], based_on["maximum"]) == (1, BIGINT_MAX)


def test_every_integer_path_parameter_is_bounded(openapi) -> None:
    seen = 0
    for _method, path, op in _operations(openapi):
        for param in op.get("parameters", []):
            if param["in"] == "path" and param["schema"].get("type") == "integer":
                seen += 1
                assert "minimum" in param["schema"] and "maximum" in param["schema"], (path, param["name"])
    assert seen >= 8


def test_the_card_number_url_is_deprecated_in_favour_of_the_lookup(openapi) -> None:
    detail = openapi["paths"]["/api/v1/patrons/{card_number}"]["get"]
    lookup = openapi["paths"]["/api/v1/patrons/lookup"]["post"]

    assert detail["deprecated"] is True
    assert not lookup.get("deprecated", False)
    assert "card_number" in _component(openapi, "CardLookupIn")["required"]
    same = detail["responses"]["200"]["content"]["application/json"]["schema"]
    assert lookup["responses"]["200"]["content"]["application/json"]["schema"] == same


def _response_schema(op: dict[str, Any], code: int) -> str:
    return op["responses"][str(code)]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def _can_be_invalid(schema: dict[str, Any]) -> bool:
    return schema.get("type") != "string" or any(k in schema for k in ("maxLength", "pattern", "enum"))


def test_every_operation_documents_its_refusals_with_their_json_shape(openapi) -> None:
    for method, path, op in _operations(openapi):
        where = f"{method.upper()} {path}"
        codes = {int(code) for code in op["responses"]}
        assert 500 in codes and _response_schema(op, 500) == "ErrorOut", where
        if "requestBody" in op or any(_can_be_invalid(p["schema"]) for p in op.get("parameters", [])):
            assert {400, 422} <= codes, where
            assert _response_schema(op, 422) == "ValidationErrorOut", where
        if op.get("security"):
            assert {401, 403} <= codes, where
            assert _response_schema(op, 403) == "ErrorOut", where
        if any(p["in"] == "path" for p in op.get("parameters", [])) and not path.startswith(
            "/api/v1/reports/"
        ):
            assert 404 in codes, where
    error = _component(openapi, "ValidationErrorOut")
    assert error["required"] == ["detail", "errors"]
    assert set(_component(openapi, "FieldErrorOut")["required"]) == {"field", "message"}


def test_schema_names_are_unique_across_the_apis() -> None:
    # django-ninja names each component after its class: two API schemas with one name would make
    # one operation publish the other's shape (found by the contract test: ReservationOut).
    import privacy_admin.api  # noqa: F401  (loads every router)

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found += [sub, *subclasses(sub)]
        return found

    by_name: dict[str, set[str]] = {}
    for cls in subclasses(Schema):
        if cls.__module__.endswith(".api"):
            by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


def test_an_enum_refusal_names_the_field_in_japanese_and_lists_the_values(counter_staff) -> None:
    from privacy_admin.accounts.services import api_token_create

    client = Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=counter_staff)}"})
    response = client.post("/api/v1/patrons", {"eligibility": "martian"}, "application/json")

    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert (
        messages["eligibility"] == "登録資格に指定できない値です（指定できる値: residence、work、school）。"
    )
    assert "martian" not in response.content.decode()
