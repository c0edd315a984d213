"""マイページ pages: sign-in, the separation from staff sessions, every page refused to staff, the
patron's own loans, reservations, registered data, password and notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from loans import services as loan_services
from loans.models import Loan, Reservation
from privacy_admin.audit.models import AuditEvent
from tests.loans.factories import make_item

from .conftest import PATRON_PASSWORD, sign_in

pytestmark = pytest.mark.django_db

PATRON_PAGES = ["/my/", "/my/search/", "/my/profile/", "/my/password/", "/my/history/"]


def test_sign_in_with_card_number_and_password_opens_mypage(patron: Any) -> None:
    client = sign_in(Client(), patron)
    response = client.get("/my/")
    assert response.status_code == 200
    assert "マイページ" in response.content.decode()
    event = AuditEvent.objects.filter(action="mypage.sign_in").latest("seq")
    assert (event.outcome, event.role, event.actor_id, event.patron_id) == (
        "success",
        "patron",
        None,
        patron.pk,
    )
    assert patron.card_number not in str(event.detail)


def test_wrong_password_is_refused_with_one_message_and_logged_without_personal_data(patron: Any) -> None:
    response = Client().post("/my/login/", {"card_number": patron.card_number, "password": "wrong-one-99"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "利用者番号またはパスワードが正しくありません。" in body
    assert 'role="alert"' in body
    event = AuditEvent.objects.filter(action="mypage.sign_in").latest("seq")
    assert event.outcome == "failure"
    assert patron.card_number not in str(event.detail) + event.target_id


def test_unknown_card_answers_like_a_wrong_password(db: Any) -> None:
    response = Client().post("/my/login/", {"card_number": "2199999999", "password": "whatever-1"})
    assert "利用者番号またはパスワードが正しくありません。" in response.content.decode()


def test_a_patron_without_a_password_cannot_sign_in(patron: Any) -> None:
    patron.password = ""
    patron.save()
    response = Client().post("/my/login/", {"card_number": patron.card_number, "password": ""})
    assert "/my/" not in response.get("Location", "")


@pytest.mark.parametrize("path", PATRON_PAGES)
def test_without_a_patron_session_every_page_sends_to_sign_in(db: Any, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/my/login/")


@pytest.mark.parametrize("path", [*PATRON_PAGES, "/my/login/"])
def test_a_staff_session_never_reaches_mypage(login: Any, counter_staff: Any, path: str) -> None:
    client = login(counter_staff)
    response = client.get(path)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=counter_staff).exists()


def test_a_staff_session_beside_a_patron_session_is_still_refused(patron: Any, counter_staff: Any) -> None:
    client = sign_in(Client(), patron)
    client.force_login(counter_staff, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/my/").status_code == 403


@pytest.mark.parametrize(
    "path", ["/", "/patrons/find/", "/circulation/", "/audit/", "/requests/", "/accounts/lockouts/"]
)
def test_a_patron_session_never_reaches_a_staff_page(patron_client: Client, path: str) -> None:
    response = patron_client.get(path)
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]


def test_idle_patron_session_ends(patron_client: Client, settings: Any) -> None:
    session = patron_client.session
    session["_mypage_last_seen"] = int(timezone.now().timestamp()) - 16 * 60
    session.save()
    response = patron_client.get("/my/")
    assert response.status_code == 302
    assert response["Location"] == "/my/login/?timeout=1"
    assert patron_client.get("/my/").status_code == 302  # the session is gone
    assert AuditEvent.objects.filter(action="mypage.sign_out", detail__reason="idle_timeout").exists()


def test_sign_out_ends_the_patron_session(patron_client: Client) -> None:
    response = patron_client.post("/my/logout/")
    assert response.status_code == 302
    assert patron_client.get("/my/").status_code == 302


def test_lockout_after_account_failures(patron: Any, settings: Any) -> None:
    settings.ACCOUNT_LOCKOUT_FAILURES = 3
    client = Client()
    for _ in range(3):
        client.post("/my/login/", {"card_number": patron.card_number, "password": "nope-nope-1"})
    response = client.post("/my/login/", {"card_number": patron.card_number, "password": PATRON_PASSWORD})
    assert response.status_code == 429
    assert "しばらくログインできません" in response.content.decode()


def test_home_lists_own_loans_and_reservations_and_logs_the_view(
    patron: Any, other_patron: Any, central: Any
) -> None:
    mine = make_item(title="相模川の四季", home_branch=central)
    theirs = make_item(title="丹沢の山歩き", home_branch=central)
    loan_services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=mine.barcode, branch_code="central"
    )
    loan_services.loan_lend(
        actor=None, card_number=other_patron.card_number, barcode=theirs.barcode, branch_code="central"
    )
    client = sign_in(Client(), patron)
    body = client.get("/my/").content.decode()
    assert "相模川の四季" in body
    assert "丹沢の山歩き" not in body
    event = AuditEvent.objects.filter(action="mypage.view", detail__what="loans").latest("seq")
    assert (event.role, event.patron_id) == ("patron", patron.pk)
    assert "title" not in event.detail


def test_renew_extends_due_date_when_nobody_waits(patron: Any, other_patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    lent_on = timezone.localdate() - dt.timedelta(days=10)
    loan = loan_services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central", on=lent_on
    )
    client = sign_in(Client(), patron)
    response = client.post(f"/my/loans/{loan.pk}/renew/")
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.due_on == timezone.localdate() + dt.timedelta(days=14)


def test_renew_refused_while_a_reservation_waits(patron: Any, other_patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    loan = loan_services.loan_lend(
        actor=None,
        card_number=patron.card_number,
        barcode=item.barcode,
        branch_code="central",
        on=timezone.localdate() - dt.timedelta(days=10),
    )
    loan_services.reservation_create(
        actor=None, card_number=other_patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    due = Loan.objects.get(pk=loan.pk).due_on
    client = sign_in(Client(), patron)
    response = client.post(f"/my/loans/{loan.pk}/renew/")
    assert response.status_code == 422
    assert "予約があるため" in response.content.decode()
    assert Loan.objects.get(pk=loan.pk).due_on == due


def test_another_patrons_loan_cannot_be_renewed(patron: Any, other_patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    loan = loan_services.loan_lend(
        actor=None, card_number=other_patron.card_number, barcode=item.barcode, branch_code="central"
    )
    client = sign_in(Client(), patron)
    assert client.post(f"/my/loans/{loan.pk}/renew/").status_code == 404


def test_search_is_a_post_and_reserve_picks_a_pickup_counter(
    patron: Any, central: Any, pickup_counter: Any
) -> None:
    item = make_item(title="厚木の歴史", home_branch=central)
    client = sign_in(Client(), patron)
    response = client.post("/my/search/", {"q": "厚木"})
    body = response.content.decode()
    assert "厚木の歴史" in body and "東口受取窓口" in body
    response = client.post("/my/reserve/", {"item_id": item.pk, "pickup": pickup_counter.code})
    assert response.status_code == 302
    reservation = Reservation.objects.get(patron=patron)
    assert reservation.pickup_branch == pickup_counter
    body = client.get("/my/").content.decode()
    assert "厚木の歴史" in body and "東口受取窓口" in body and "1番目" in body
    event = AuditEvent.objects.filter(action="circulation.reserve").latest("seq")
    assert (event.role, event.patron_id) == ("patron", patron.pk)


def test_cancel_erases_the_reservation_at_once(patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    reservation = loan_services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    client = sign_in(Client(), patron)
    assert client.post(f"/my/reservations/{reservation.pk}/cancel/").status_code == 302
    assert not Reservation.objects.filter(pk=reservation.pk).exists()


def test_another_patrons_reservation_answers_404(patron: Any, other_patron: Any, central: Any) -> None:
    item = make_item(home_branch=central)
    reservation = loan_services.reservation_create(
        actor=None, card_number=other_patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    client = sign_in(Client(), patron)
    assert client.post(f"/my/reservations/{reservation.pk}/cancel/").status_code == 404
    assert Reservation.objects.filter(pk=reservation.pk).exists()


def test_profile_shows_the_held_data_inventory_and_changes_contact_only(patron: Any) -> None:
    client = sign_in(Client(), patron)
    body = client.get("/my/profile/").content.decode()
    assert patron.address in body and "窓口で変更してください" in body
    response = client.post(
        "/my/profile/",
        {"form": "contact", "phone": "046-111-2222", "email": "new@example.jp", "address": "東京都"},
    )
    assert response.status_code == 302
    patron.refresh_from_db()
    assert (patron.phone, patron.email) == ("046-111-2222", "new@example.jp")
    assert patron.address != "東京都"


def test_bad_email_is_refused_with_the_error_summary(patron: Any) -> None:
    client = sign_in(Client(), patron)
    response = client.post("/my/profile/", {"form": "contact", "phone": "", "email": "not-an-address"})
    assert response.status_code == 422
    body = response.content.decode()
    assert 'role="alert"' in body and "data-focus-on-load" in body
    assert "電子メールアドレスの形式が正しくありません。" in body


def test_notice_channel_choice(patron: Any) -> None:
    client = sign_in(Client(), patron)
    assert client.post("/my/profile/", {"form": "channel", "channel": "postcard"}).status_code == 302
    from loans.notices import notice_channel_for

    patron.refresh_from_db()
    assert notice_channel_for(patron, on=timezone.localdate()) == "postcard"


def test_password_change_needs_the_current_one_and_a_strong_new_one(patron: Any) -> None:
    client = sign_in(Client(), patron)
    response = client.post(
        "/my/password/", {"current_password": "wrong-pass-1", "password": "Tanzawa-Yama-2026"}
    )
    assert response.status_code == 422
    response = client.post("/my/password/", {"current_password": PATRON_PASSWORD, "password": "111111"})
    assert response.status_code == 422
    response = client.post(
        "/my/password/", {"current_password": PATRON_PASSWORD, "password": "Tanzawa-Yama-2026"}
    )
    assert response.status_code == 302
    sign_in(Client(), patron, "Tanzawa-Yama-2026")


def test_pages_carry_no_inline_script_or_style(patron_client: Client) -> None:
    for path in ["/my/", "/my/search/", "/my/profile/", "/my/password/"]:
        body = patron_client.get(path).content.decode()
        assert "<script>" not in body and "<style" not in body and "style=" not in body
        assert 'href="#main"' in body
