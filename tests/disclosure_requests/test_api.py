"""The request endpoints: who may call them, what they answer, and that bad input changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from disclosure_requests import services
from disclosure_requests.models import PrivacyRequest, RequestStatus
from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_patron

from .request_helpers import REQUESTER, d, receive, snapshot, today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

DENIED = {"detail": "この操作を行う権限がありません。"}
NOT_FOUND = {"detail": "見つかりません。"}
BASE = "/api/v1/requests"


def bearer(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"})


def post(client: Client, path: str, body: object) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def text(response: Any) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def errors(response: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for e in response.json()["errors"]:
        found.setdefault(e["field"], []).append(e["message"])
    return found


def body(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "kind": "disclosure",
        "received_on": "2026-06-01",
        "requester_name": REQUESTER,
        "requester_address": "あさひ市中央1-2-3",
        "identity_document_type": "drivers_license",
        "information_requested": "利用登録の情報",
    }
    values.update(overrides)
    return values


@pytest.fixture
def officer(privacy_officer: Any) -> Client:
    return bearer(privacy_officer)


@pytest.fixture
def pr(privacy_officer: Any) -> PrivacyRequest:
    return receive(privacy_officer)


def _calls(pk: int) -> list[tuple[str, str, object]]:
    return [
        ("post", BASE, body()),
        ("get", f"{BASE}/{pk}", None),
        ("post", f"{BASE}/{pk}/amendments", {"requested_on": "2026-06-03", "what_to_fix": "x"}),
        ("post", f"{BASE}/{pk}/amendments/1/complete", {"completed_on": "2026-06-04"}),
        ("post", f"{BASE}/{pk}/extension", {"days": 5, "reason": "x", "notified_on": "2026-06-05"}),
        ("post", f"{BASE}/{pk}/decision", {"outcome": "full", "reasons": [], "decided_on": "2026-06-10"}),
    ]


# --- who may call ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["counter_staff", "working_operator", "no_role_user"], indirect=True)
def test_every_endpoint_refuses_other_roles_before_reading_the_body(persona, pr) -> None:
    client = bearer(persona)
    before = snapshot()
    max_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for method, path, payload in _calls(pr.pk):
        response = post(client, path, payload) if method == "post" else client.get(path)
        assert response.status_code == 403, path
        assert response.json() == DENIED
    after = snapshot()
    assert {k: v for k, v in after.items() if k != "AuditEvent"} == {
        k: v for k, v in before.items() if k != "AuditEvent"
    }
    new_actions = AuditEvent.objects.filter(seq__gt=max_seq).values_list("action", flat=True)
    assert set(new_actions) == {"access.denied"}


def test_an_anonymous_caller_gets_401(client, pr) -> None:
    for method, path, payload in _calls(pr.pk):
        response = post(client, path, payload) if method == "post" else client.get(path)
        assert response.status_code == 401, path


def test_an_unknown_request_is_404(officer) -> None:
    for method, path, payload in _calls(999999)[1:]:
        response = post(officer, path, payload) if method == "post" else officer.get(path)
        assert response.status_code == 404, path
        assert response.json() == NOT_FOUND


# --- POST /requests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
def test_receiving_a_request_answers_its_id_number_and_deadline(persona) -> None:
    response = post(bearer(persona), BASE, body())

    assert response.status_code == 201
    pr = PrivacyRequest.objects.get()
    assert response.json() == {"id": pr.pk, "number": "R8-開示-0001", "due_on": "2026-06-16"}


def test_a_correction_outside_ninety_days_is_422_in_japanese_and_saves_nothing(officer) -> None:
    before = snapshot()

    response = post(
        officer,
        BASE,
        body(
            kind="correction", received_on="2026-06-15", disclosed_on="2026-03-01", correction_content="住所"
        ),
    )

    assert response.status_code == 422
    assert "訂正請求はできません（山梨県 要綱第30条第3項）" in errors(response)["disclosed_on"][0]
    assert snapshot() == before


def test_bad_input_is_422_with_every_field_named_and_no_input_echoed(officer) -> None:
    response = post(
        officer,
        BASE,
        body(requester_name="", requester_kind="minor_representative", received_on="2026-06-16"),
    )

    assert response.status_code == 422
    found = errors(response)
    assert {"requester_name", "principal_name", "representation_document", "received_on"} <= set(found)
    assert not PrivacyRequest.objects.exists()


def test_a_document_type_outside_the_enum_is_refused_by_name_and_never_echoed(officer) -> None:
    # The schema declares the document types as an enum: a value outside it is refused before the
    # service runs, and the message names the field and the values it takes, not what was sent.
    response = post(officer, BASE, body(identity_document_type="my_number_123456789012"))

    assert response.status_code == 422
    [message] = errors(response)["identity_document_type"]
    assert message.startswith("本人確認書類の種類に指定できない値です") and "drivers_license" in message
    assert "123456789012" not in text(response)
    assert not PrivacyRequest.objects.exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"received_on": "2026/06/01"}, "received_on"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"unexpected": 1}, "unexpected"),
        ({"kind": None}, "kind"),
    ],
)
def test_malformed_bodies_are_422_in_japanese(officer, overrides: dict[str, object], field: str) -> None:
    response = post(officer, BASE, body(**overrides))

    assert response.status_code == 422
    assert field in errors(response)
    assert all(not m.isascii() for ms in errors(response).values() for m in ms)


def test_a_card_number_links_the_patron_and_an_unknown_one_is_a_field_error(officer, central) -> None:
    patron = make_patron(registered_branch=central)

    response = post(officer, BASE, body(card_number=patron.card_number))
    assert response.status_code == 201
    assert PrivacyRequest.objects.get().patron == patron

    response = post(officer, BASE, body(card_number="2199999999"))
    assert response.status_code == 422
    assert "card_number" in errors(response)


def test_an_unknown_basis_is_a_field_error(officer) -> None:
    response = post(
        officer,
        BASE,
        body(kind="correction", disclosed_on="2026-05-20", correction_content="x", based_on=999999),
    )

    assert response.status_code == 422
    assert errors(response) == {"based_on": ["基となる開示請求が見つかりません。"]}


# --- GET /requests/{id} ------------------------------------------------------------------------------


def test_reading_a_request_answers_its_state_and_deadline_without_personal_data(
    officer, privacy_officer
) -> None:
    pr = receive(privacy_officer, received_on=d(6, 5))  # due Saturday 20 June
    services.amendment_request(actor=privacy_officer, request=pr, requested_on=d(6, 8), what_to_fix="x")

    response = officer.get(f"{BASE}/{pr.pk}")

    assert response.status_code == 200
    data = response.json()
    assert data["number"] == pr.number and data["kind"] == "disclosure" and data["status"] == "amending"
    assert data["received_on"] == "2026-06-05" and data["clock_stopped"] is True
    assert data["amendments"][0]["requested_on"] == "2026-06-08"
    assert data["amendments"][0]["completed_on"] is None
    assert data["extensions"] == [] and data["decisions"] == []
    assert REQUESTER not in text(response) and "あさひ市" not in text(response)
    assert AuditEvent.objects.filter(action="privacy_request.view", detail={"view": "api"}).count() == 1


def test_reading_a_request_warns_of_a_deadline_on_a_closed_day(officer, privacy_officer) -> None:
    pr = receive(privacy_officer, received_on=d(6, 5))

    data = officer.get(f"{BASE}/{pr.pk}").json()

    assert data["due_on"] == "2026-06-20"
    assert data["due_on_warning"] is True and data["due_on_closed_reason"] == "土曜日"
    assert data["last_open_day_before_due"] == "2026-06-19"


# --- steps ------------------------------------------------------------------------------------------


def test_an_amendment_round_trip(officer, pr) -> None:
    response = post(
        officer, f"{BASE}/{pr.pk}/amendments", {"requested_on": "2026-06-03", "what_to_fix": "情報の特定"}
    )
    assert response.status_code == 201
    amendment_id = response.json()["amendment_id"]
    assert response.json()["reply_by"] == "2026-06-17" and response.json()["clock_stopped"] is True

    response = post(
        officer, f"{BASE}/{pr.pk}/amendments/{amendment_id}/complete", {"completed_on": "2026-06-08"}
    )

    assert response.status_code == 200
    assert response.json() == {
        "amendment_id": amendment_id,
        "days_not_counted": 5,
        "due_on": "2026-06-21",
        "due_on_warning": True,
        "last_open_day_before_due": "2026-06-19",
        "clock_stopped": False,
    }


def test_an_amendment_without_what_to_fix_is_422(officer, pr) -> None:
    response = post(officer, f"{BASE}/{pr.pk}/amendments", {"requested_on": "2026-06-03"})

    assert response.status_code == 422
    assert "what_to_fix" in errors(response)


def test_a_completion_before_the_request_for_amendment_is_422_and_changes_nothing(
    officer, pr, privacy_officer
) -> None:
    amendment = services.amendment_request(
        actor=privacy_officer, request=pr, requested_on=d(6, 5), what_to_fix="x"
    )
    before = snapshot()

    response = post(
        officer, f"{BASE}/{pr.pk}/amendments/{amendment.pk}/complete", {"completed_on": "2026-06-04"}
    )

    assert response.status_code == 422
    assert errors(response) == {"completed_on": ["補正の完了日が補正を求めた日より前です。"]}
    assert snapshot() == before


def test_an_amendment_of_another_request_is_404(officer, pr, privacy_officer) -> None:
    other = receive(privacy_officer)
    amendment = services.amendment_request(
        actor=privacy_officer, request=other, requested_on=d(6, 3), what_to_fix="x"
    )

    response = post(
        officer, f"{BASE}/{pr.pk}/amendments/{amendment.pk}/complete", {"completed_on": "2026-06-04"}
    )

    assert response.status_code == 404


def test_an_extension_answers_the_new_deadline_and_refuses_beyond_the_maximum(officer, pr) -> None:
    response = post(
        officer,
        f"{BASE}/{pr.pk}/extension",
        {"days": 10, "reason": "事務処理上の困難", "notified_on": "2026-06-10"},
    )
    assert response.status_code == 201
    assert response.json()["due_on"] == "2026-06-26"

    before = snapshot()
    response = post(
        officer, f"{BASE}/{pr.pk}/extension", {"days": 6, "reason": "追加", "notified_on": "2026-06-11"}
    )
    assert response.status_code == 422
    assert "合計15日まで" in errors(response)["days"][0]
    assert snapshot() == before


def test_an_extension_after_the_deadline_is_422(officer, privacy_officer) -> None:
    pr = receive(privacy_officer, received_on=d(5, 25))

    response = post(
        officer, f"{BASE}/{pr.pk}/extension", {"days": 5, "reason": "遅れ", "notified_on": "2026-06-10"}
    )

    assert response.status_code == 422
    assert "期限を過ぎてからの延長はできません" in errors(response)["notified_on"][0]


def test_a_decision_is_recorded_and_one_dated_before_the_request_is_422(officer, pr) -> None:
    before = snapshot()
    response = post(
        officer, f"{BASE}/{pr.pk}/decision", {"outcome": "full", "reasons": [], "decided_on": "2026-05-31"}
    )
    assert response.status_code == 422
    assert errors(response) == {"decided_on": ["決定日が受付日より前です。"]}
    assert snapshot() == before

    response = post(
        officer,
        f"{BASE}/{pr.pk}/decision",
        {
            "outcome": "partial",
            "reasons": ["third_person"],
            "reason_text": "第三者の氏名を含むため",
            "decided_on": "2026-06-10",
        },
    )

    assert response.status_code == 201
    assert response.json()["status"] == RequestStatus.DECIDED
    data = officer.get(f"{BASE}/{pr.pk}").json()
    assert data["decisions"] == [
        {
            "id": response.json()["decision_id"],
            "decided_on": "2026-06-10",
            "outcome": "partial",
            "reasons": ["third_person"],
            "reason_lapses_on": None,
            "is_partial_scope": False,
        }
    ]


def test_a_partial_disclosure_without_a_category_is_422(officer, pr) -> None:
    response = post(
        officer,
        f"{BASE}/{pr.pk}/decision",
        {"outcome": "partial", "reasons": [], "reason_text": "x", "decided_on": "2026-06-10"},
    )

    assert response.status_code == 422
    assert "不開示情報の区分を1つ以上選んでください" in errors(response)["reasons"][0]
