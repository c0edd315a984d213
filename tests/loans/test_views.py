"""Counter pages: who may use them, the scan flows with and without htmx, and what never shows."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any, cast
from unittest import mock

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from loans import services
from loans.models import DamageCase, Item, Loan, Reservation
from patrons.models import Branch, Patron
from privacy_admin.audit.models import AuditEvent
from tests.factories import make_branch, make_patron

from .factories import make_item

pytestmark = pytest.mark.django_db

PAGES = [
    "counter",
    "return",
    "reserve",
    "pickup",
    "capture",
    "cancel",
    "items",
    "item_import",
    "damage_cases",
]
REFUSED = ["privacy_officer", "contractor_operator", "no_role_user"]
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def kita(db) -> Branch:
    return make_branch(code="kita", name="北分館", kind=Branch.Kind.BRANCH)


@pytest.fixture
def patron(central, general_category) -> Patron:
    return make_patron(
        registered_branch=central,
        category=general_category,
        family_name="鈴木",
        given_name="紗希",
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
    return make_item(home_branch=central, title="ことばの森の散歩道")


@pytest.fixture
def staff_client(login, counter_staff) -> Client:
    return login(counter_staff)


def url(name: str) -> str:
    return reverse(f"loans:{name}")


def scan(
    client: Client, page: str, value: str, *, token: str = "", branch: str = "central", **extra: Any
) -> Any:
    data = {"branch": branch, "scan": value, "patron_token": token, **extra}
    htmx = extra.pop("htmx", False)
    data.pop("htmx", None)
    return client.post(url(page), data, **(HTMX if htmx else {}))


def token_of(response: Any) -> str:
    return response.context["patron_token"]


def html(response: Any) -> str:
    return response.content.decode()


def assert_no_name_and_full_card(response: Any, patron: Patron) -> None:
    text = html(response)
    assert patron.family_name not in text and patron.given_name not in text
    assert patron.card_number not in text


# --- who may use what -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["counter_staff", "administrator"], indirect=True)
def test_counter_roles_open_every_page(page: str, persona: Any, login: Any) -> None:
    assert login(persona).get(url(page)).status_code == 200


# Pages a contractor operator may open when the contract grants them (outsourcing.scope_fields); an
# operator without a contract in force is answered 404 there, as if the page did not exist.
OPERATOR_PAGES = {"counter", "return", "pickup", "capture"}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", REFUSED, indirect=True)
def test_other_roles_are_refused_every_page(
    page: str, persona: Any, login: Any, patron: Patron, item: Item
) -> None:
    client = login(persona)
    if persona.username == "operator" and page in OPERATOR_PAGES:
        assert client.get(url(page)).status_code == 404
        assert client.post(url(page), {"branch": "central", "scan": patron.card_number}).status_code == 404
        assert AuditEvent.objects.filter(action="circulation.out_of_scope", actor=persona).count() == 2
    else:
        assert client.get(url(page)).status_code == 403
        assert client.post(url(page), {"branch": "central", "scan": patron.card_number}).status_code == 403
        assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == 2
    assert not AuditEvent.objects.filter(action="patron.view").exists()


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
def test_other_roles_cannot_lend_return_or_settle(
    persona: Any, login: Any, staff_client: Client, patron, item
) -> None:
    refused = 404 if persona.username == "operator" else 403
    token = token_of(scan(staff_client, "counter", patron.card_number))
    client = login(persona)
    assert scan(client, "counter", item.barcode, token=token).status_code == refused
    assert not Loan.objects.exists()
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    assert client.post(url("return"), {"branch": "central", "scan": item.barcode}).status_code == refused
    assert Loan.objects.count() == 1
    services.loan_return(
        actor=None, barcode=item.barcode, branch_code="central", damaged=True, damage_description="破れ"
    )
    case = DamageCase.objects.get()
    response = client.post(reverse("loans:damage_case_settle", kwargs={"pk": case.pk}))
    assert response.status_code == 403
    assert DamageCase.objects.filter(pk=case.pk).exists()


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client: Client, page: str) -> None:
    response = client.get(url(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- 貸出 ---------------------------------------------------------------------------------------------


def test_counter_page_has_one_autofocused_scan_field_posting_to_itself(staff_client: Client) -> None:
    text = html(staff_client.get(url("counter")))
    assert len(re.findall(r"<input[^>]*name=\"scan\"[^>]*autofocus", text)) == 1
    form = re.search(r'<form id="scan-form"[^>]*>', text)
    assert form is not None
    assert 'method="post"' in form.group(0) and f'action="{url("counter")}"' in form.group(0)
    assert 'hx-post="' in form.group(0) and 'hx-target="#counter-result"' in form.group(0)
    assert "js/htmx.min.js" in text
    assert "X-CSRFToken" in text
    assert '"historyCacheSize":0' in text


def test_branch_defaults_to_the_staff_members_branch(staff_client: Client, kita) -> None:
    response = staff_client.get(url("counter"))
    assert response.context["form"].initial["branch"] == "central"


def test_branch_choice_is_remembered_between_pages(staff_client: Client, kita, item) -> None:
    staff_client.post(url("capture"), {"branch": "kita", "scan": item.barcode})
    assert staff_client.get(url("counter")).context["form"].initial["branch"] == "kita"


def test_card_scan_shows_masked_card_and_loans_never_the_name(staff_client: Client, patron, item) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    response = scan(staff_client, "counter", patron.card_number)
    assert response.status_code == 200
    text = html(response)
    assert "****" + patron.card_number[-4:] in text
    assert "ことばの森の散歩道" in text
    assert_no_name_and_full_card(response, patron)
    event = AuditEvent.objects.get(action="patron.view")
    assert (event.patron_id, event.detail) == (patron.pk, {"view": "counter_lend"})


def test_lending_items_one_after_another(staff_client: Client, patron, central) -> None:
    first, second = make_item(home_branch=central), make_item(home_branch=central)
    token = token_of(scan(staff_client, "counter", patron.card_number))
    for item in (first, second):
        response = scan(staff_client, "counter", item.barcode, token=token)
        assert response.status_code == 200
        assert "貸し出しました。" in html(response)
        assert_no_name_and_full_card(response, patron)
        token = token_of(response)
    assert set(Loan.objects.filter(patron=patron).values_list("item_id", flat=True)) == {first.pk, second.pk}


def test_lend_with_htmx_answers_the_result_region_and_refreshes_the_token(
    staff_client: Client, patron, item
) -> None:
    response = scan(staff_client, "counter", patron.card_number, htmx=True)
    text = html(response)
    assert "<html" not in text
    assert re.search(
        r'<input type="hidden" name="patron_token" id="patron-token" value="[^"]+" hx-swap-oob="true">', text
    )
    assert 'id="scan-prompt" hx-swap-oob="true"' in text
    response = scan(staff_client, "counter", item.barcode, token=token_of(response), htmx=True)
    assert response.status_code == 200
    assert "ことばの森の散歩道" in html(response)
    assert Loan.objects.filter(patron=patron, item=item).exists()


def test_lend_without_javascript_re_renders_the_page(staff_client: Client, patron, item) -> None:
    token = token_of(scan(staff_client, "counter", patron.card_number))
    response = scan(staff_client, "counter", item.barcode, token=token)
    text = html(response)
    assert "<html" in text
    assert f'value="{token_of(response)}"' in text


def test_lend_scan_runs_in_bounded_queries(
    staff_client: Client, patron, item, django_assert_max_num_queries
) -> None:
    token = token_of(scan(staff_client, "counter", patron.card_number))
    with django_assert_max_num_queries(30):
        response = scan(staff_client, "counter", item.barcode, token=token, htmx=True)
    assert response.status_code == 200


def test_lend_of_an_item_on_loan_is_refused_with_409_and_changes_nothing(
    staff_client: Client, patron, other, item
) -> None:
    services.loan_lend(actor=None, card_number=other.card_number, barcode=item.barcode, branch_code="central")
    token = token_of(scan(staff_client, "counter", patron.card_number))
    events = AuditEvent.objects.count()
    response = scan(staff_client, "counter", item.barcode, token=token, htmx=True)
    assert response.status_code == 409
    assert "この資料は貸出中です" in html(response)
    assert Loan.objects.get().patron == other
    assert AuditEvent.objects.count() == events


def test_lend_to_an_expired_card_is_refused(staff_client: Client, patron, item) -> None:
    Patron.objects.filter(pk=patron.pk).update(expires_on=services.today() - dt.timedelta(days=1))
    response = scan(staff_client, "counter", patron.card_number)
    assert "有効期限が切れています" in html(response)
    response = scan(staff_client, "counter", item.barcode, token=token_of(response))
    assert response.status_code == 422
    assert not Loan.objects.exists()


def test_unknown_card_answers_404(staff_client: Client, central) -> None:
    response = scan(staff_client, "counter", "2199999999")
    assert response.status_code == 404
    assert "該当する利用者が見つかりません" in html(response)
    assert response.context["patron_token"] == ""


def test_finish_forgets_the_patron(staff_client: Client, patron) -> None:
    token = token_of(scan(staff_client, "counter", patron.card_number))
    response = scan(staff_client, "counter", "", token=token, action="finish")
    assert response.context["patron_token"] == ""
    assert "次の利用者" in html(response)


def test_a_token_signed_for_someone_else_is_refused(
    login, administrator, counter_staff, patron, item
) -> None:
    token = token_of(scan(login(administrator), "counter", patron.card_number))
    response = scan(login(counter_staff), "counter", item.barcode, token=token)
    assert response.status_code == 422
    assert not Loan.objects.exists()


def test_an_old_token_is_refused(staff_client: Client, counter_staff, patron, item, settings) -> None:
    past = time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS - 60
    with mock.patch("django.core.signing.time.time", return_value=past):
        token = signing.dumps(
            {"p": patron.pk, "u": counter_staff.pk}, salt="loans.counter.patron", compress=True
        )
    response = scan(staff_client, "counter", item.barcode, token=token)
    assert response.status_code == 422
    assert "時間が経ったため" in html(response)
    assert not Loan.objects.exists()


def test_the_token_holds_no_card_number(staff_client: Client, patron) -> None:
    token = token_of(scan(staff_client, "counter", patron.card_number))
    assert patron.card_number not in token
    data = signing.loads(token, salt="loans.counter.patron")
    assert data == {"p": patron.pk, "u": data["u"]}


def test_no_card_number_or_barcode_ever_in_a_url(staff_client: Client, patron, item) -> None:
    responses = [staff_client.get(url("counter"))]
    token = token_of(scan(staff_client, "counter", patron.card_number))
    responses.append(scan(staff_client, "counter", item.barcode, token=token))
    responses.append(staff_client.post(url("return"), {"branch": "central", "scan": item.barcode}))
    for response in responses:
        for link in re.findall(r'(?:href|action|hx-post)="([^"]*)"', html(response)):
            assert patron.card_number not in link and item.barcode not in link
        assert "Location" not in response.headers


# --- 返却 ---------------------------------------------------------------------------------------------


def test_return_says_where_the_item_goes(staff_client: Client, patron, item) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    response = staff_client.post(url("return"), {"branch": "central", "scan": item.barcode})
    assert response.status_code == 200
    text = html(response)
    assert "棚へ" in text and "ことばの森の散歩道" in text
    assert not Loan.objects.exists()
    assert_no_name_and_full_card(response, patron)


def test_return_with_htmx_answers_one_list_entry(staff_client: Client, patron, other, item) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    services.reservation_create(
        actor=None, card_number=other.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    response = staff_client.post(url("return"), {"branch": "central", "scan": item.barcode}, **HTMX)
    text = html(response).strip()
    assert text.startswith("<li") and text.endswith("</li>")
    assert "取置棚へ" in text
    for person in (patron, other):
        assert person.card_number[-4:] not in text and person.family_name not in text


def test_return_to_another_branch_names_the_destination(staff_client: Client, patron, item, kita) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    response = staff_client.post(url("return"), {"branch": "kita", "scan": item.barcode})
    assert "中央図書館へ回送" in html(response)


def test_damaged_return_opens_a_case(staff_client: Client, patron, item) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    response = staff_client.post(
        url("return"),
        {"branch": "central", "scan": item.barcode, "damaged": "on", "damage_description": "表紙の破れ"},
    )
    assert "汚破損案件を登録しました" in html(response)
    assert DamageCase.objects.get().description == "表紙の破れ"


def test_return_of_an_unknown_barcode_is_422_and_not_on_loan_is_409(staff_client: Client, item) -> None:
    assert staff_client.post(url("return"), {"branch": "central", "scan": "NOPE"}).status_code == 422
    response = staff_client.post(url("return"), {"branch": "central", "scan": item.barcode})
    assert response.status_code == 409
    assert "貸出中ではありません" in html(response)


def test_return_scan_runs_in_bounded_queries(
    staff_client: Client, patron, item, django_assert_max_num_queries
) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    staff_client.get(url("return"))
    with django_assert_max_num_queries(19):
        response = staff_client.post(url("return"), {"branch": "central", "scan": item.barcode}, **HTMX)
    assert response.status_code == 200


# --- 予約, 受渡し, 取消, 確保 --------------------------------------------------------------------------


def test_reserving_for_a_pickup_counter(staff_client: Client, patron, item, pickup_counter) -> None:
    token = token_of(scan(staff_client, "reserve", patron.card_number, pickup_branch="central"))
    response = scan(staff_client, "reserve", item.barcode, token=token, pickup_branch="pickup-east")
    assert response.status_code == 200
    assert "予約しました（受取館: 東口受取窓口）" in html(response)
    assert Reservation.objects.get().pickup_branch == pickup_counter
    assert_no_name_and_full_card(response, patron)


def test_duplicate_reservation_is_409(staff_client: Client, patron, item) -> None:
    services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    token = token_of(scan(staff_client, "reserve", patron.card_number, pickup_branch="central"))
    response = scan(staff_client, "reserve", item.barcode, token=token, pickup_branch="central")
    assert response.status_code == 409
    assert Reservation.objects.count() == 1


def _ready(patron: Patron, item: Item, pickup: str = "central") -> Reservation:
    reservation = services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code=pickup
    )
    return services.reservation_mark_ready(actor=None, reservation=reservation)


def test_pickup_lists_ready_items_and_hands_over_on_scan(staff_client: Client, patron, item) -> None:
    _ready(patron, item)
    response = scan(staff_client, "pickup", patron.card_number)
    assert "ことばの森の散歩道" in html(response)
    response = scan(staff_client, "pickup", item.barcode, token=token_of(response))
    assert response.status_code == 200
    assert "受け渡しました" in html(response)
    assert not Reservation.objects.exists()
    assert Loan.objects.get().patron == patron


def test_pickup_button_hands_over_without_a_scan(staff_client: Client, patron, item) -> None:
    reservation = _ready(patron, item)
    token = token_of(scan(staff_client, "pickup", patron.card_number))
    response = scan(
        staff_client, "pickup", "", token=token, action="hand_over", reservation=str(reservation.pk)
    )
    assert response.status_code == 200
    assert not Reservation.objects.exists()


def test_pickup_of_an_item_not_ready_for_this_patron_is_refused(
    staff_client: Client, patron, other, item
) -> None:
    _ready(other, item)
    token = token_of(scan(staff_client, "pickup", patron.card_number))
    response = scan(staff_client, "pickup", item.barcode, token=token)
    assert response.status_code == 409
    assert Reservation.objects.get().patron == other
    assert not Loan.objects.exists()


def test_pickup_page_shows_the_hold_shelf_masked(staff_client: Client, patron, item) -> None:
    _ready(patron, item)
    response = staff_client.get(url("pickup"))
    text = html(response)
    assert "取置棚" in text and "ことばの森の散歩道" in text and "****" + patron.card_number[-4:] in text
    assert_no_name_and_full_card(response, patron)
    event = AuditEvent.objects.get(action="circulation.hold_shelf_view")
    assert (event.patron_id, event.detail) == (None, {"count": 1})


def test_cancel_lists_reservations_and_cancels_by_button(staff_client: Client, patron, item) -> None:
    reservation = services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    response = scan(staff_client, "cancel", patron.card_number)
    assert "ことばの森の散歩道" in html(response)
    response = scan(
        staff_client,
        "cancel",
        "",
        token=token_of(response),
        action="cancel_reservation",
        reservation=str(reservation.pk),
    )
    assert response.status_code == 200
    assert "予約を取り消しました。" in html(response)
    assert not Reservation.objects.exists()


def test_a_cancelled_hold_is_listed_for_the_capture_scan(staff_client: Client, patron, item) -> None:
    reservation = _ready(patron, item)
    token = token_of(scan(staff_client, "cancel", patron.card_number))
    response = scan(
        staff_client, "cancel", "", token=token, action="cancel_reservation", reservation=str(reservation.pk)
    )
    assert "取置棚から出して「予約資料の確保・到着」で読み取ってください" in html(response)
    text = html(staff_client.get(url("capture")))
    assert "予約が取り消された資料" in text and item.barcode in text
    staff_client.post(url("capture"), {"branch": "central", "scan": item.barcode})
    assert "予約が取り消された資料" not in html(staff_client.get(url("capture")))


def test_cancel_by_scanning_the_item(staff_client: Client, patron, item) -> None:
    services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    token = token_of(scan(staff_client, "cancel", patron.card_number))
    assert scan(staff_client, "cancel", item.barcode, token=token).status_code == 200
    assert not Reservation.objects.exists()


def test_cancel_cannot_reach_another_patrons_reservation(staff_client: Client, patron, other, item) -> None:
    theirs = services.reservation_create(
        actor=None, card_number=other.card_number, barcode=item.barcode, pickup_branch_code="central"
    )
    token = token_of(scan(staff_client, "cancel", patron.card_number))
    response = scan(
        staff_client, "cancel", "", token=token, action="cancel_reservation", reservation=str(theirs.pk)
    )
    assert response.status_code == 404
    assert Reservation.objects.filter(pk=theirs.pk).exists()


def test_capture_says_where_a_reserved_item_goes(staff_client: Client, patron, item, kita) -> None:
    services.reservation_create(
        actor=None, card_number=patron.card_number, barcode=item.barcode, pickup_branch_code="kita"
    )
    response = staff_client.post(url("capture"), {"branch": "central", "scan": item.barcode}, **HTMX)
    assert response.status_code == 200
    assert "北分館へ回送" in html(response)
    response = staff_client.post(url("capture"), {"branch": "kita", "scan": item.barcode}, **HTMX)
    assert "取置棚へ" in html(response)
    assert Reservation.objects.get().status == Reservation.Status.READY


# --- 資料登録, CSV, 汚破損 -------------------------------------------------------------------------------


def test_item_registration_saves_and_redirects(staff_client: Client, central) -> None:
    response = staff_client.post(
        url("items"), {"barcode": "3100001", "title": "はじめての郷土史", "branch": "central", "isbn": ""}
    )
    assert response.status_code == 302
    assert Item.objects.get(barcode="3100001").title == "はじめての郷土史"
    assert "はじめての郷土史" in html(staff_client.get(url("items")))


def test_item_registration_errors_keep_the_form(staff_client: Client, central, item) -> None:
    response = staff_client.post(url("items"), {"barcode": item.barcode, "title": "", "branch": "central"})
    assert response.status_code == 422
    text = html(response)
    assert "この資料番号は既に登録されています。" in text and "書名を入力してください。" in text
    assert Item.objects.count() == 1


def test_item_import_reports_after_redirect(staff_client: Client, central) -> None:
    data = "資料番号,書名,著者,所蔵館\n4000001,海辺の町の記録,港 太郎,central\n".encode("utf-8-sig")
    response = staff_client.post(
        url("item_import"), {"file": SimpleUploadedFile("items.csv", data, "text/csv"), "dry_run": ""}
    )
    assert response.status_code == 302
    text = html(staff_client.get(url("item_import")))
    assert "すべての資料を登録しました。" in text
    assert Item.objects.get().title == "海辺の町の記録"


def test_item_import_of_a_bad_file_is_422(staff_client: Client, central) -> None:
    response = staff_client.post(
        url("item_import"), {"file": SimpleUploadedFile("items.csv", b"\xff\xfe\x00a", "text/csv")}
    )
    assert response.status_code == 422
    assert not Item.objects.exists()


def test_damage_cases_show_masked_card_and_settle(staff_client: Client, patron, item) -> None:
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    services.loan_return(
        actor=None, barcode=item.barcode, branch_code="central", damaged=True, damage_description="水濡れ"
    )
    response = staff_client.get(url("damage_cases"))
    text = html(response)
    assert "水濡れ" in text and "****" + patron.card_number[-4:] in text
    assert_no_name_and_full_card(response, patron)
    case = DamageCase.objects.get()
    response = staff_client.post(reverse("loans:damage_case_settle", kwargs={"pk": case.pk}))
    assert response.status_code == 302
    assert not DamageCase.objects.exists()


def test_damage_case_settle_needs_post(staff_client: Client) -> None:
    assert staff_client.get(reverse("loans:damage_case_settle", kwargs={"pk": 1})).status_code == 405


def test_settling_an_unknown_case_is_404(staff_client: Client) -> None:
    assert staff_client.post(reverse("loans:damage_case_settle", kwargs={"pk": 999})).status_code == 404


# --- admin ----------------------------------------------------------------------------------------


def test_loans_and_reservations_are_never_in_the_admin() -> None:
    from django.contrib import admin

    from loans.models import Notice

    assert Loan not in admin.site._registry and Reservation not in admin.site._registry
    assert Item in admin.site._registry and DamageCase in admin.site._registry
    notice_admin = admin.site._registry[Notice]
    assert not notice_admin.has_change_permission(cast(Any, None)) and not notice_admin.has_add_permission(
        cast(Any, None)
    )


def test_admin_finds_items_and_lists_damage_cases_without_the_patron(
    login, administrator, patron, item
) -> None:
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client = login(administrator)
    response = client.get("/admin/loans/item/", {"q": item.barcode})
    assert response.status_code == 200 and "ことばの森の散歩道" in html(response)
    services.loan_lend(
        actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
    )
    services.loan_return(
        actor=None, barcode=item.barcode, branch_code="central", damaged=True, damage_description="破れ"
    )
    case = DamageCase.objects.get()
    for page in ("/admin/loans/damagecase/", f"/admin/loans/damagecase/{case.pk}/change/"):
        response = client.get(page)
        assert response.status_code == 200
        text = html(response)
        assert patron.card_number[-4:] not in text and f"利用者 #{patron.pk}" not in text
