"""Patron pages: who may use each one, the register form's refusals, and what must never leak."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.template import loader
from django.test import Client
from django.urls import reverse

from patrons import rules
from patrons.models import (
    IdentityCheck,
    PaperApplicationForm,
    Patron,
    PatronStatus,
    ProxyApplication,
)
from patrons.services import today
from privacy_admin.audit.models import AuditEvent, Outcome
from tests.factories import PatronFactory

pytestmark = pytest.mark.django_db

ALL_STAFF = ["counter_staff", "privacy_officer", "administrator", "contractor_operator", "no_role_user"]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def patron(central: Any, general_category: Any) -> Patron:
    return make_patron(registered_branch=central, category=general_category)


@pytest.fixture
def paper_form(patron: Patron, central: Any) -> PaperApplicationForm:
    return PaperApplicationForm.objects.create(
        patron=patron,
        kind=PaperApplicationForm.Kind.NEW,
        branch=central,
        received_on=today() - dt.timedelta(days=40),
        destroy_by=today() - dt.timedelta(days=9),
    )


def make_patron(**kwargs: Any) -> Patron:
    return cast(Patron, PatronFactory(**kwargs))


def months_ago(n: int) -> dt.date:
    return rules.add_months(today(), -n)


def registration_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "family_name": "山田",
        "given_name": "花子",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ",
        "birth_date": "1990-05-01",
        "gender": "",
        "address": "神奈川県厚木市中町1-1-3",
        "phone": "046-223-0033",
        "email": "hanako@example.jp",
        "guardian_name": "",
        "category": "general",
        "eligibility": "residence",
        "registered_branch": "central",
        "paper_form": "on",
        "id_document_type": "drivers_license",
        "id_document_issued_on": "",
        "password": "",
        "password_confirm": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def assert_no_card_in_location(response: Any, *card_numbers: str) -> None:
    location = response.headers.get("Location", "")
    for card in card_numbers:
        assert card not in location


def patron_url(name: str, patron: Patron) -> str:
    return reverse(name, kwargs={"public_id": patron.public_id})


# --- who may use what -------------------------------------------------------------------------

WRITE_ONLY = {"counter_staff", "administrator"}
READERS = {"counter_staff", "administrator", "privacy_officer"}


def _expected(page: str, persona: str) -> int:
    if page in ("find", "detail"):
        if persona in READERS:
            return 200
        if persona == "contractor_operator":
            return 200 if page == "find" else 404
        return 403
    return 200 if persona in WRITE_ONLY else 403


def _get(client: Client, page: str, patron: Patron) -> Any:
    if page in ("detail", "edit", "renew", "cancel", "password"):
        return client.get(patron_url(f"patrons:{page}", patron))
    return client.get(reverse(f"patrons:{page}"))


PAGES = ["find", "detail", "register", "edit", "renew", "cancel", "password", "import", "paper_forms"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ALL_STAFF, indirect=True)
def test_page_admits_only_its_roles(page: str, persona: Any, login: Any, patron: Patron) -> None:
    client = login(persona)
    response = _get(client, page, patron)
    assert response.status_code == _expected(page, _persona_name(persona))
    if response.status_code == 403:
        assert "権限がありません" in response.content.decode()
        assert AuditEvent.objects.filter(action="access.denied", actor=persona).exists()


def _persona_name(user: Any) -> str:
    return {
        "counter": "counter_staff",
        "officer": "privacy_officer",
        "admin": "administrator",
        "operator": "contractor_operator",
        "norole": "no_role_user",
    }[user.username]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client: Client, page: str, patron: Patron) -> None:
    response = _get(client, page, patron)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ALL_STAFF, indirect=True)
def test_paper_form_destroy_admits_only_counter_roles(persona: Any, login: Any, paper_form: Any) -> None:
    client = login(persona)
    response = client.post(reverse("patrons:paper_form_destroy", kwargs={"pk": paper_form.pk}))
    paper_form.refresh_from_db()
    if _persona_name(persona) in WRITE_ONLY:
        assert response.status_code == 302
        assert paper_form.destroyed_on == today()
    else:
        assert response.status_code == 403
        assert paper_form.destroyed_on is None


def test_paper_form_destroy_anonymous_changes_nothing(client: Client, paper_form: Any) -> None:
    response = client.post(reverse("patrons:paper_form_destroy", kwargs={"pk": paper_form.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    paper_form.refresh_from_db()
    assert paper_form.destroyed_on is None


@pytest.mark.parametrize("persona", ["privacy_officer", "contractor_operator", "no_role_user"], indirect=True)
def test_write_posts_refuse_other_roles(persona: Any, login: Any, patron: Patron) -> None:
    client = login(persona)
    responses = [
        client.post(reverse("patrons:register"), registration_data(family_name="佐藤")),
        client.post(patron_url("patrons:cancel", patron), {"reason": "moved", "confirm": "on"}),
        client.post(patron_url("patrons:renew", patron), {}),
        client.post(patron_url("patrons:edit", patron), {"address": "神奈川県厚木市旭町1-1"}),
        client.post(
            patron_url("patrons:password", patron),
            {"password": "secret-pass", "password_confirm": "secret-pass", "id_document_type": "passport"},
        ),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    patron.refresh_from_db()
    assert patron.status == PatronStatus.ACTIVE
    assert Patron.objects.count() == 1


def test_get_is_not_allowed_to_destroy_paper_form(login: Any, counter_staff: Any, paper_form: Any) -> None:
    response = login(counter_staff).get(reverse("patrons:paper_form_destroy", kwargs={"pk": paper_form.pk}))
    assert response.status_code == 405


# --- find -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["counter_staff", "privacy_officer", "administrator"], indirect=True)
def test_find_by_card_redirects_to_public_id(persona: Any, login: Any, patron: Patron) -> None:
    response = login(persona).post(
        reverse("patrons:find"), {"search": "card", "card_number": patron.card_number}
    )
    assert response.status_code == 302
    assert response["Location"] == patron_url("patrons:detail", patron)
    assert_no_card_in_location(response, patron.card_number)


def test_find_accepts_full_width_digits(login: Any, counter_staff: Any, patron: Patron) -> None:
    full_width = patron.card_number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = login(counter_staff).post(
        reverse("patrons:find"), {"search": "card", "card_number": full_width}
    )
    assert response.status_code == 302


def test_find_card_page_autofocuses_the_card_field(login: Any, counter_staff: Any) -> None:
    html = login(counter_staff).get(reverse("patrons:find")).content.decode()
    assert re.search(r'<input[^>]*name="card_number"[^>]*autofocus', html)


def test_find_unknown_card_answers_404_with_the_form(login: Any, counter_staff: Any, patron: Patron) -> None:
    response = login(counter_staff).post(
        reverse("patrons:find"), {"search": "card", "card_number": "2199999999"}
    )
    assert response.status_code == 404
    assert "該当する利用者が見つかりません" in response.content.decode()


def test_contractor_find_by_card_is_404_and_logged(
    login: Any, contractor_operator: Any, patron: Patron
) -> None:
    response = login(contractor_operator).post(
        reverse("patrons:find"), {"search": "card", "card_number": patron.card_number}
    )
    assert response.status_code == 404
    html = response.content.decode()
    assert patron.family_name not in html
    event = AuditEvent.objects.get(action="patron.out_of_scope")
    assert event.outcome == Outcome.DENIED
    assert event.patron_id == patron.pk


def test_find_over_long_card_number_is_refused_cleanly(login: Any, counter_staff: Any) -> None:
    response = login(counter_staff).post(
        reverse("patrons:find"), {"search": "card", "card_number": "9" * 500}
    )
    assert response.status_code == 200
    assert "文字以内で入力してください" in response.content.decode()


def test_kana_search_lists_masked_card_and_writes_one_event(
    login: Any, counter_staff: Any, patron: Patron
) -> None:
    response = login(counter_staff).post(
        reverse("patrons:find"),
        {
            "search": "kana",
            "family_name_kana": "やまだ",
            "given_name_kana": "ﾀﾛｳ",
            "birth_date": "1985-06-15",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert rules.mask_card_number(patron.card_number) in html
    assert patron.card_number not in html
    assert patron_url("patrons:detail", patron) in html
    event = AuditEvent.objects.get(action="patron.search")
    assert event.detail["results"] == 1
    assert event.patron_id == patron.pk


def test_kana_search_with_no_match_says_so(login: Any, counter_staff: Any, patron: Patron) -> None:
    response = login(counter_staff).post(
        reverse("patrons:find"),
        {
            "search": "kana",
            "family_name_kana": "ヤマダ",
            "given_name_kana": "タロウ",
            "birth_date": "1985-06-16",
        },
    )
    assert "該当する利用者は見つかりませんでした" in response.content.decode()
    assert AuditEvent.objects.get(action="patron.search").detail["results"] == 0


def test_kana_search_impossible_date(login: Any, counter_staff: Any) -> None:
    response = login(counter_staff).post(
        reverse("patrons:find"),
        {
            "search": "kana",
            "family_name_kana": "ヤマダ",
            "given_name_kana": "タロウ",
            "birth_date": "2026-02-30",
        },
    )
    assert response.status_code == 200
    assert "存在しない日付" in response.content.decode()
    assert not AuditEvent.objects.filter(action="patron.search").exists()


def test_contractor_kana_search_is_404_and_logged(
    login: Any, contractor_operator: Any, patron: Patron
) -> None:
    response = login(contractor_operator).post(
        reverse("patrons:find"),
        {
            "search": "kana",
            "family_name_kana": "ヤマダ",
            "given_name_kana": "タロウ",
            "birth_date": "1985-06-15",
        },
    )
    # The フリガナ search lists several patrons at once: library staff only (outsourcing.scope_fields).
    assert response.status_code == 404
    assert patron.family_name not in response.content.decode()
    event = AuditEvent.objects.get(action="patron.out_of_scope")
    assert (event.outcome, event.target_type, event.detail) == (
        Outcome.DENIED,
        "search",
        {"lookup": "kana_birth_date"},
    )
    assert not AuditEvent.objects.filter(action="patron.search").exists()


# --- detail -----------------------------------------------------------------------------------


def test_detail_shows_registration_and_writes_exactly_one_view_event(
    login: Any, counter_staff: Any, patron: Patron, paper_form: Any, django_assert_max_num_queries: Any
) -> None:
    IdentityCheck.objects.create(
        patron=patron,
        party="applicant",
        purpose="registration",
        document_type="my_number_card",
        checked_by=counter_staff,
        checked_at=dt.datetime(2026, 4, 1, 10, 0, tzinfo=dt.UTC),
    )
    ProxyApplication.objects.create(patron=patron, reason="入院中のため", power_of_attorney_received=True)
    client = login(counter_staff)
    with django_assert_max_num_queries(18):
        response = client.get(patron_url("patrons:detail", patron))
    assert response.status_code == 200
    html = response.content.decode()
    assert patron.card_number in html
    assert patron.full_name in html
    assert "個人番号カード" in html
    assert "counter" in html  # who checked
    assert "入院中のため" in html
    assert "新規図書館利用申込書" in html
    assert "令和" in html
    events = AuditEvent.objects.filter(action="patron.view")
    assert events.count() == 1
    assert events.get().patron_id == patron.pk


def test_detail_sets_no_store(login: Any, counter_staff: Any, patron: Patron) -> None:
    response = login(counter_staff).get(patron_url("patrons:detail", patron))
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("page", ["find", "register", "paper_forms", "import"])
def test_patron_pages_set_no_store(login: Any, counter_staff: Any, page: str) -> None:
    response = login(counter_staff).get(reverse(f"patrons:{page}"))
    assert "no-store" in response["Cache-Control"]


def test_detail_offers_renewal_only_inside_the_window(login: Any, counter_staff: Any, patron: Patron) -> None:
    client = login(counter_staff)
    renew_url = patron_url("patrons:renew", patron)
    assert renew_url not in client.get(patron_url("patrons:detail", patron)).content.decode()
    Patron.objects.filter(pk=patron.pk).update(expires_on=today() + dt.timedelta(days=30))
    assert renew_url in client.get(patron_url("patrons:detail", patron)).content.decode()


def test_privacy_officer_sees_detail_read_only(login: Any, privacy_officer: Any, patron: Patron) -> None:
    response = login(privacy_officer).get(patron_url("patrons:detail", patron))
    assert response.status_code == 200  # a 403 would also show no edit link
    html = response.content.decode()
    assert patron.family_name in html  # the detail itself is there
    assert patron_url("patrons:edit", patron) not in html
    assert patron_url("patrons:cancel", patron) not in html


def test_detail_of_unknown_uuid_is_404(login: Any, counter_staff: Any) -> None:
    response = login(counter_staff).get("/patrons/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404


# --- register ---------------------------------------------------------------------------------


def test_register_happy_path(login: Any, counter_staff: Any, central: Any, general_category: Any) -> None:
    client = login(counter_staff)
    form_page = client.get(reverse("patrons:register")).content.decode()
    assert re.search(r'<input[^>]*name="family_name"[^>]*autofocus', form_page)
    response = client.post(reverse("patrons:register"), registration_data())
    assert response.status_code == 302
    patron = Patron.objects.get()
    assert response["Location"] == patron_url("patrons:detail", patron)
    assert_no_card_in_location(response, patron.card_number)
    page = client.get(response["Location"]).content.decode()
    assert f"利用者番号は {patron.card_number} です" in page
    check = IdentityCheck.objects.get(patron=patron)
    assert (check.document_type, check.checked_by) == ("drivers_license", counter_staff)
    assert PaperApplicationForm.objects.filter(patron=patron, kind="new").exists()
    assert AuditEvent.objects.filter(action="patron.register", patron_id=patron.pk).exists()


def test_register_with_proxy_and_power_of_attorney(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    response = login(counter_staff).post(
        reverse("patrons:register"),
        registration_data(
            is_proxy="on",
            proxy_reason="入院中のため",
            proxy_power_of_attorney="on",
            proxy_id_document_type="library_card",
        ),
    )
    assert response.status_code == 302
    patron = Patron.objects.get()
    assert patron.proxy_application.power_of_attorney_received
    assert set(patron.identity_checks.values_list("party", flat=True)) == {"applicant", "proxy"}
    assert set(patron.paper_forms.values_list("kind", flat=True)) == {"new", "poa"}


def test_register_ignores_proxy_fields_when_not_ticked(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    response = login(counter_staff).post(reverse("patrons:register"), registration_data(proxy_reason="x"))
    assert response.status_code == 302
    assert not ProxyApplication.objects.exists()


def test_register_with_password_stores_a_hash(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    login(counter_staff).post(
        reverse("patrons:register"), registration_data(password="hon-wo-yomu", password_confirm="hon-wo-yomu")
    )
    patron = Patron.objects.get()
    assert patron.has_password and "hon-wo-yomu" not in patron.password


BAD_REGISTRATIONS = [
    pytest.param({"family_name": "山" * 31}, "30文字以内", id="over-long-name"),
    pytest.param({"birth_date": "2026-02-30"}, "存在しない日付", id="impossible-date"),
    pytest.param({"family_name": "髙橋"}, "標準字体「高」", id="non-jis-kanji"),
    pytest.param({"id_document_type": ""}, "本人確認書類の種類を選んでください", id="no-identity-document"),
    pytest.param(
        {"id_document_type": "resident_record", "id_document_issued_on": "__7_months_ago__"},
        "6箇月以内",
        id="stale-resident-record",
    ),
    pytest.param(
        {"is_proxy": "on", "proxy_reason": "入院中", "proxy_id_document_type": "drivers_license"},
        "委任状が必要",
        id="adult-proxy-without-poa",
    ),
    pytest.param(
        {"password": "abcdefg", "password_confirm": "abcdefh"}, "一致しません", id="password-mismatch"
    ),
    pytest.param({"category": "no-such"}, "一覧から選んでください", id="unknown-category"),
    pytest.param({"family_name": ""}, "氏名（姓）を入力してください", id="missing-name"),
    pytest.param({"address": "東京都千代田区1-1"}, "在住で登録できるのは", id="not-eligible-address"),
    pytest.param({"family_name": "山田\x00"}, "制御文字", id="control-character"),
    pytest.param({"birth_date": "99999-01-01"}, "存在しない日付", id="absurd-year"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_REGISTRATIONS)
def test_register_bad_input_changes_nothing(
    login: Any,
    counter_staff: Any,
    central: Any,
    general_category: Any,
    overrides: dict[str, Any],
    message: str,
) -> None:
    if overrides.get("id_document_issued_on") == "__7_months_ago__":
        overrides = {**overrides, "id_document_issued_on": months_ago(7).isoformat()}
    response = login(counter_staff).post(reverse("patrons:register"), registration_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "入力内容を確認してください" in html
    assert Patron.objects.count() == 0
    assert not AuditEvent.objects.filter(action="patron.register").exists()


def test_register_duplicate_is_refused(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    client = login(counter_staff)
    assert client.post(reverse("patrons:register"), registration_data()).status_code == 302
    response = client.post(reverse("patrons:register"), registration_data(family_name="山田 "))
    assert response.status_code == 200
    assert "既に登録されています" in response.content.decode()
    assert Patron.objects.count() == 1


def test_register_half_width_kana_is_stored_full_width(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    login(counter_staff).post(
        reverse("patrons:register"), registration_data(family_name_kana="ﾔﾏﾀﾞ", given_name_kana="はなこ")
    )
    patron = Patron.objects.get()
    assert (patron.family_name_kana, patron.given_name_kana) == ("ヤマダ", "ハナコ")


def test_register_form_offers_no_bulk_only_or_proxy_only_document(login: Any, counter_staff: Any) -> None:
    html = login(counter_staff).get(reverse("patrons:register")).content.decode()
    applicant_select = html.split('name="id_document_type"')[1].split("</select>")[0]
    assert "school_roster" not in applicant_select
    assert "library_card" not in applicant_select
    proxy_select = html.split('name="proxy_id_document_type"')[1].split("</select>")[0]
    assert "library_card" in proxy_select


# --- edit, renew, cancel, password --------------------------------------------------------------


def test_edit_changes_address_with_identity_document(login: Any, counter_staff: Any, patron: Patron) -> None:
    client = login(counter_staff)
    assert client.get(patron_url("patrons:edit", patron)).status_code == 200
    data = {
        f: getattr(patron, f)
        for f in (
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "phone",
            "email",
            "guardian_name",
        )
    }
    data.update(address="神奈川県厚木市旭町1-1-1", category="general", id_document_type="drivers_license")
    response = client.post(patron_url("patrons:edit", patron), data)
    assert response.status_code == 302
    patron.refresh_from_db()
    assert patron.address == "神奈川県厚木市旭町1-1-1"
    assert AuditEvent.objects.get(action="patron.update").detail == {"fields": ["address"]}


def test_edit_without_identity_document_changes_nothing(
    login: Any, counter_staff: Any, patron: Patron
) -> None:
    before = patron.address
    response = login(counter_staff).post(
        patron_url("patrons:edit", patron),
        {
            "family_name": patron.family_name,
            "given_name": patron.given_name,
            "family_name_kana": patron.family_name_kana,
            "given_name_kana": patron.given_name_kana,
            "address": "神奈川県厚木市旭町1-1-1",
            "category": "general",
            "id_document_type": "",
        },
    )
    assert response.status_code == 200
    assert "本人確認書類の種類を選んでください" in response.content.decode()
    patron.refresh_from_db()
    assert patron.address == before


def test_renew_inside_window(login: Any, counter_staff: Any, patron: Patron) -> None:
    old = today() + dt.timedelta(days=20)
    Patron.objects.filter(pk=patron.pk).update(expires_on=old)
    client = login(counter_staff)
    assert client.get(patron_url("patrons:renew", patron)).status_code == 200
    response = client.post(patron_url("patrons:renew", patron), {"id_document_type": ""})
    assert response.status_code == 302
    patron.refresh_from_db()
    assert patron.expires_on == rules.add_years(old, settings.PATRON_VALIDITY_YEARS)


def test_renew_too_early_changes_nothing(login: Any, counter_staff: Any, patron: Patron) -> None:
    response = login(counter_staff).post(patron_url("patrons:renew", patron), {"id_document_type": ""})
    assert response.status_code == 200
    assert "更新は有効期限の60日前" in response.content.decode()
    patron.refresh_from_db()
    assert patron.expires_on == dt.date(2029, 4, 1)


def test_cancel_needs_confirmation(login: Any, counter_staff: Any, patron: Patron) -> None:
    client = login(counter_staff)
    response = client.post(patron_url("patrons:cancel", patron), {"reason": "moved"})
    assert response.status_code == 200
    assert "確認欄にチェック" in response.content.decode()
    patron.refresh_from_db()
    assert patron.status == PatronStatus.ACTIVE
    response = client.post(patron_url("patrons:cancel", patron), {"reason": "moved", "confirm": "on"})
    assert response.status_code == 302
    patron.refresh_from_db()
    assert (patron.status, patron.cancellation_reason) == (PatronStatus.CANCELLED, "moved")


def test_cancel_with_unknown_reason_changes_nothing(login: Any, counter_staff: Any, patron: Patron) -> None:
    response = login(counter_staff).post(
        patron_url("patrons:cancel", patron), {"reason": "bogus", "confirm": "on"}
    )
    assert response.status_code == 200
    patron.refresh_from_db()
    assert patron.status == PatronStatus.ACTIVE


def test_counter_sets_password_after_identity_check(login: Any, counter_staff: Any, patron: Patron) -> None:
    response = login(counter_staff).post(
        patron_url("patrons:password", patron),
        {
            "id_document_type": "passport",
            "password": "shinsho-2026",
            "password_confirm": "shinsho-2026",
        },
    )
    assert response.status_code == 302
    patron.refresh_from_db()
    assert patron.has_password
    assert IdentityCheck.objects.filter(patron=patron, purpose="password").exists()


def test_counter_password_without_identity_changes_nothing(
    login: Any, counter_staff: Any, patron: Patron
) -> None:
    response = login(counter_staff).post(
        patron_url("patrons:password", patron),
        {
            "id_document_type": "",
            "password": "shinsho-2026",
            "password_confirm": "shinsho-2026",
        },
    )
    assert response.status_code == 200
    patron.refresh_from_db()
    assert not patron.has_password


# --- paper forms ------------------------------------------------------------------------------


def test_paper_forms_list_masks_card_and_hides_name(
    login: Any,
    counter_staff: Any,
    patron: Patron,
    paper_form: Any,
    central: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(5):
        other = make_patron(registered_branch=central, category=patron.category)
        PaperApplicationForm.objects.create(
            patron=other,
            kind="new",
            branch=central,
            received_on=today(),
            destroy_by=today() + dt.timedelta(days=30 + i),
        )
    client = login(counter_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("patrons:paper_forms"))
    html = response.content.decode()
    assert rules.mask_card_number(patron.card_number) in html
    assert patron.card_number not in html
    assert patron.family_name not in html
    assert 'class="overdue"' in html
    assert "廃棄期限を過ぎた申請書が1件" in html


def test_paper_form_destroy_records_who_and_when(login: Any, counter_staff: Any, paper_form: Any) -> None:
    client = login(counter_staff)
    response = client.post(reverse("patrons:paper_form_destroy", kwargs={"pk": paper_form.pk}), {"page": "1"})
    assert response.status_code == 302
    paper_form.refresh_from_db()
    assert (paper_form.destroyed_on, paper_form.destroyed_confirmed_by) == (today(), counter_staff)
    again = client.post(reverse("patrons:paper_form_destroy", kwargs={"pk": paper_form.pk}), follow=True)
    assert "既に廃棄済み" in again.content.decode()
    assert AuditEvent.objects.filter(action="paper_form.destroyed").count() == 1


def test_paper_form_destroy_unknown_is_404(login: Any, counter_staff: Any) -> None:
    assert (
        login(counter_staff).post(reverse("patrons:paper_form_destroy", kwargs={"pk": 999})).status_code
        == 404
    )


# --- import -----------------------------------------------------------------------------------


def _csv_upload(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.csv", text.encode(encoding), content_type="text/csv")


ROSTER = "姓,名,セイ,メイ,生年月日,住所,保護者名\n鈴木,一郎,スズキ,イチロウ,2015/4/2,厚木市中町2-1,鈴木花子\n"


def test_import_dry_run_then_save(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    client = login(counter_staff)
    response = client.post(
        reverse("patrons:import"),
        {
            "file": _csv_upload(ROSTER),
            "registered_branch": "central",
            "category": "general",
            "dry_run": "on",
        },
    )
    assert response.status_code == 302
    assert Patron.objects.count() == 0
    page = client.get(reverse("patrons:import")).content.decode()
    assert "確認の結果（保存していません）" in page
    response = client.post(
        reverse("patrons:import"),
        {
            "file": _csv_upload(ROSTER),
            "registered_branch": "central",
            "category": "general",
        },
    )
    assert response.status_code == 302
    patron = Patron.objects.get()
    page = client.get(reverse("patrons:import")).content.decode()
    assert "取り込みの結果" in page
    assert patron.card_number in page


def test_import_bad_file_shows_message(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    response = login(counter_staff).post(
        reverse("patrons:import"),
        {
            "file": _csv_upload("姓,名\n1,2\n"),
            "registered_branch": "central",
            "category": "general",
        },
    )
    assert response.status_code == 200
    assert "必要な列がありません" in response.content.decode()


def test_import_too_large_upload_is_refused(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    big = SimpleUploadedFile("roster.csv", b"a" * (2 * 1024 * 1024 + 1), content_type="text/csv")
    response = login(counter_staff).post(
        reverse("patrons:import"),
        {
            "file": big,
            "registered_branch": "central",
            "category": "general",
        },
    )
    assert response.status_code == 200
    assert "ファイルが大きすぎます" in response.content.decode()


# --- the patron's own password reset -----------------------------------------------------------


def _answer(response: Any) -> str:
    match = re.search("受け付けました。[^<]*", response.content.decode())
    assert match is not None
    return match.group(0)


def test_password_reset_is_public_and_generic(client: Client, patron: Patron) -> None:
    assert client.get(reverse("patrons:password_reset")).status_code == 200
    good = client.post(
        reverse("patrons:password_reset"),
        {"card_number": patron.card_number, "email": patron.email.upper()},
        follow=True,
    )
    bad = client.post(
        reverse("patrons:password_reset"),
        {"card_number": patron.card_number, "email": "someone@example.jp"},
        follow=True,
    )
    assert _answer(good) == _answer(bad)
    patron.refresh_from_db()
    assert not patron.has_password  # only the link changes it
    for response in (good, bad):
        for url, _status in response.redirect_chain:
            assert patron.card_number not in url


def test_password_reset_is_rate_limited_per_ip(client: Client, patron: Patron) -> None:
    data = {"card_number": "2100000000", "email": "x@example.jp"}
    for _ in range(5):
        assert client.post(reverse("patrons:password_reset"), data).status_code == 302
    response = client.post(
        reverse("patrons:password_reset"), {**data, "card_number": patron.card_number, "email": patron.email}
    )
    assert response.status_code == 429
    assert "一時的に止めています" in response.content.decode()
    assert not AuditEvent.objects.filter(
        action="patron.password_reset_requested", patron_id=patron.pk
    ).exists()


# --- home -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL_STAFF, indirect=True)
def test_home_shows_what_each_role_may_use(persona: Any, login: Any) -> None:
    html = login(persona).get(reverse("home")).content.decode()
    name = _persona_name(persona)
    assert (reverse("patrons:register") in html) == (name in WRITE_ONLY)
    if name == "contractor_operator":
        assert "委託先操作員の方へ" in html
    if name == "no_role_user":
        assert "役割が割り当てられていない" in html


def test_register_unparseable_date_still_reports_every_other_problem(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    response = login(counter_staff).post(
        reverse("patrons:register"),
        registration_data(birth_date="2026-02-30", family_name="髙橋", id_document_type=""),
    )
    html = response.content.decode()
    assert "存在しない日付" in html
    assert "標準字体「高」" in html
    assert "本人確認書類の種類を選んでください" in html
    assert "生年月日を正しい日付で入力してください" not in html  # the form's own message is enough
    assert Patron.objects.count() == 0


def test_register_check_only_never_saves_a_valid_application(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    # Everything valid except the password confirmation: the form is invalid, the service would accept.
    response = login(counter_staff).post(
        reverse("patrons:register"), registration_data(password="abcdefgh", password_confirm="abcdefgX")
    )
    assert response.status_code == 200
    assert "一致しません" in response.content.decode()
    assert Patron.objects.count() == 0
    assert not AuditEvent.objects.filter(action="patron.register").exists()
    assert not PaperApplicationForm.objects.exists()


def test_new_card_number_is_not_stored_in_a_browser_cookie(
    login: Any, counter_staff: Any, central: Any, general_category: Any
) -> None:
    # 002: nothing personal is kept on the terminal. The success message carries the new card
    # number, so messages must live in the server-side session, not in the cookie backend.
    response = login(counter_staff).post(reverse("patrons:register"), registration_data())
    card = Patron.objects.get().card_number
    request = HttpRequest()
    morsel = response.cookies.get("messages")
    request.COOKIES["messages"] = morsel.value if morsel is not None else ""
    assert not any(card in str(m) for m in CookieStorage(request))


HOSTILE = [
    "",
    " ",
    "x" * 5000,
    "\x00",
    "<script>alert(1)</script>",
    "0000-00-00",
    "9999-12-31",
    "-1",
    "😀",
    "ｱ" * 70,
]


@pytest.mark.parametrize("value", HOSTILE)
def test_no_input_causes_a_server_error(
    login: Any, counter_staff: Any, patron: Patron, paper_form: Any, value: str
) -> None:
    client = login(counter_staff)
    client.raise_request_exception = False
    fields = [
        *registration_data(),
        "is_proxy",
        "proxy_reason",
        "proxy_power_of_attorney",
        "proxy_id_document_type",
        "proxy_id_document_issued_on",
        "card_number",
        "search",
        "reason",
        "confirm",
        "birth_date",
        "registered_branch",
        "category",
        "dry_run",
        "page",
        "branch",
    ]
    hostile = {f: value for f in fields}
    targets = [
        reverse("patrons:find"),
        reverse("patrons:register"),
        patron_url("patrons:edit", patron),
        patron_url("patrons:renew", patron),
        patron_url("patrons:cancel", patron),
        patron_url("patrons:password", patron),
        reverse("patrons:import"),
        reverse("patrons:paper_form_destroy", kwargs={"pk": paper_form.pk}),
        reverse("patrons:password_reset"),
    ]
    for url in targets:
        for data in (hostile, {**hostile, "search": "kana"}):
            response = client.post(url, data)
            assert response.status_code < 500, url
            assert value not in response.headers.get("Location", "") or not value.strip()
    assert Patron.objects.count() == 1


def test_not_found_page_is_japanese(login: Any, counter_staff: Any) -> None:
    response = login(counter_staff).get(patron_url("patrons:detail", make_patron_stub()))
    assert response.status_code == 404
    assert "見つかりません" in response.content.decode()


def make_patron_stub() -> Patron:
    return Patron(public_id="00000000-0000-4000-8000-000000000001")


def test_server_error_page_stands_alone() -> None:
    # Rendered by Django's server_error view with an empty context: no request, no base.html.
    html = loader.get_template("500.html").render()
    assert "エラーが発生しました" in html
    assert "app.css" not in html
