"""Authentication of the JSON API (accounts.api_auth): a bearer token or the web session, the role
checked before the body is read, CSRF checked only for a session, and every refusal of a role logged
as ``access.denied`` naming the route, never the path."""

from __future__ import annotations

from typing import cast

import pytest
from django.test import Client

from patrons.models import Patron
from privacy_admin.accounts.models import ApiToken
from privacy_admin.accounts.services import api_token_create, api_token_revoke
from privacy_admin.audit.models import AuditEvent
from tests.factories import PatronFactory

CSRF = "a" * 32  # an unmasked secret; Django accepts it as both cookie and header value


def bearer(user) -> Client:
    return Client(
        enforce_csrf_checks=True,
        headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"},
    )


def session(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


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


# --- bearer tokens ------------------------------------------------------------------------------


def test_token_authenticates(counter_staff) -> None:
    assert bearer(counter_staff).get("/api/v1/branches").status_code == 200


def test_token_updates_last_used(counter_staff) -> None:
    bearer(counter_staff).get("/api/v1/branches")
    assert ApiToken.objects.get(user=counter_staff).last_used_at is not None


def test_revoked_token_is_refused(counter_staff) -> None:
    raw = api_token_create(actor=None, user=counter_staff)
    api_token_revoke(actor=None, token=ApiToken.objects.get(user=counter_staff))

    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/branches")

    assert response.status_code == 401
    assert response.json() == {"detail": "認証が必要です。"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_inactive_user_is_refused(counter_staff) -> None:
    raw = api_token_create(actor=None, user=counter_staff)
    counter_staff.is_active = False
    counter_staff.save(update_fields=["is_active"])

    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/branches").status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer pa_nonsense", "Bearer ", "Token abc", "Basic Zm9vOmJhcg==", "Bearer " + "x" * 500]
)
def test_malformed_or_unknown_token_is_401(db, header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/v1/branches")
    assert response.status_code == 401


def test_anonymous_is_401(db) -> None:
    response = Client().get("/api/v1/branches")
    assert response.status_code == 401
    assert response.json() == {"detail": "認証が必要です。"}


def test_anonymous_post_is_401_not_a_csrf_error(db) -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/patrons", registration(), content_type="application/json"
    )
    assert response.status_code == 401


def test_token_post_needs_no_csrf_token(counter_staff, general_category) -> None:
    response = bearer(counter_staff).post("/api/v1/patrons", registration(), content_type="application/json")
    assert response.status_code == 201


def test_token_of_refused_role_is_403_before_the_body_is_read(privacy_officer) -> None:
    response = bearer(privacy_officer).post("/api/v1/patrons", b"{not json", content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {"detail": "この操作を行う権限がありません。"}


# --- session and CSRF ----------------------------------------------------------------------------


def test_session_reads_without_csrf_token(counter_staff) -> None:
    assert session(counter_staff).get("/api/v1/branches").status_code == 200


def test_session_post_without_csrf_token_is_refused(counter_staff, general_category) -> None:
    response = session(counter_staff).post("/api/v1/patrons", registration(), content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Patron.objects.count() == 0


def test_session_post_with_wrong_csrf_token_is_refused(counter_staff, general_category) -> None:
    client = session(counter_staff)
    client.cookies["csrftoken"] = CSRF

    response = client.post(
        "/api/v1/patrons", registration(), content_type="application/json", headers={"X-CSRFToken": "b" * 32}
    )

    assert response.status_code == 403
    assert Patron.objects.count() == 0


def test_session_post_with_csrf_token_is_accepted(counter_staff, general_category) -> None:
    client = session(counter_staff)
    client.cookies["csrftoken"] = CSRF

    response = client.post(
        "/api/v1/patrons", registration(), content_type="application/json", headers={"X-CSRFToken": CSRF}
    )

    assert response.status_code == 201
    assert Patron.objects.count() == 1


def test_session_of_no_role_user_is_403(no_role_user) -> None:
    assert session(no_role_user).get("/api/v1/branches").status_code == 403


# --- denied access is logged without personal data -----------------------------------------------


def test_denied_event_names_the_route_not_the_card_number(no_role_user, central) -> None:
    patron = cast(Patron, PatronFactory())

    response = bearer(no_role_user).get(f"/api/v1/patrons/{patron.card_number}")

    assert response.status_code == 403
    event = AuditEvent.objects.get(action="access.denied")
    assert event.outcome == "denied"
    assert event.target_id == "api/v1/patrons/<card_number>"
    assert event.detail == {"method": "GET"}
    assert event.patron_id is None
    assert patron.card_number not in str(AuditEvent.objects.values_list().get(pk=event.pk))
