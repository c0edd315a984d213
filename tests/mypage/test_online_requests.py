"""電子申請 from マイページ: it reaches the officers' list awaiting the identity check, with the
patron's answers; receiving it starts the clock; the patron sees status and letter dates only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from disclosure_requests.models import Channel, OnlineApplication, PrivacyRequest, RuleProfile

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(db: Any) -> RuleProfile:
    RuleProfile.objects.update(is_current=False)
    return RuleProfile.objects.update_or_create(
        code="yamanashi-15",
        defaults={"name": "山梨県要綱（15日）", "is_current": True, "disclosure_days": 15},
    )[0]


def test_the_form_says_what_to_bring_and_when_the_clock_starts(patron: Any, profile: Any) -> None:
    body = sign_in(Client(), patron).get("/my/requests/new/").content.decode()
    assert "本人確認書類" in body and "住民票の写し" in body
    assert "山梨県要綱（15日）" in body and "15日以内に決定" in body


def test_a_request_waits_on_the_officers_list_then_is_received(
    patron: Any, profile: Any, login: Any, privacy_officer: Any
) -> None:
    client = sign_in(Client(), patron)
    response = client.post(
        "/my/requests/new/",
        {
            "kind": "disclosure",
            "information_requested": "私の貸出・予約の記録と利用者登録の内容",
            "identity_by": "counter",
        },
    )
    assert response.status_code == 302
    application = OnlineApplication.objects.get(patron=patron)
    assert application.status == "awaiting" and not PrivacyRequest.objects.exists()
    assert "本人確認待ち" in client.get("/my/").content.decode()

    officer = login(privacy_officer)
    listing = officer.get("/requests/list/").content.decode()
    assert "電子申請（本人確認待ち）" in listing and "私の貸出・予約の記録と利用者登録の内容" in listing
    response = officer.post(
        f"/requests/online/{application.pk}/receive/", {"identity_document_type": "drivers_license"}
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    request = PrivacyRequest.objects.get()
    assert (request.channel, request.patron_id, request.requester_name) == (
        Channel.ONLINE,
        patron.pk,
        patron.full_name,
    )
    application.refresh_from_db()
    assert application.status == "received" and application.request == request

    patron_page = Client()
    sign_in(patron_page, patron)
    body = patron_page.get("/my/").content.decode()
    assert request.number in body and "決定期限" in body
    assert "私の貸出・予約の記録" not in body  # the patron's page shows status and dates, not contents


def test_correction_needs_the_disclosure_date_and_content(patron: Any, profile: Any) -> None:
    client = sign_in(Client(), patron)
    response = client.post(
        "/my/requests/new/", {"kind": "correction", "information_requested": "住所", "identity_by": "mail"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "開示を受けた日" in body and 'role="alert"' in body
    assert not OnlineApplication.objects.exists()


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator"], indirect=True)
def test_only_officers_receive_online_requests(patron: Any, profile: Any, login: Any, persona: Any) -> None:
    application = OnlineApplication.objects.create(
        kind="disclosure",
        patron=patron,
        submitted_on="2026-05-01",
        information_requested="x",
        identity_by="counter",
    )
    response = login(persona).get(f"/requests/online/{application.pk}/receive/")
    assert response.status_code in (403, 404)


def test_staff_cannot_open_the_patron_request_form(login: Any, counter_staff: Any) -> None:
    assert login(counter_staff).get("/my/requests/new/").status_code == 403
