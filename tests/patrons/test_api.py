"""The patron and branch endpoints: who may call them, what they answer, what they never reveal."""

from __future__ import annotations

import datetime as dt
import json
from typing import cast

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client

from patrons.models import Branch, IdentityCheck, PaperApplicationForm, Patron, PatronStatus
from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.dataitems import DataItem
from privacy_admin.core.scope import Scope
from tests.factories import BranchFactory, CategoryFactory, PatronFactory

DENIED = {"detail": "この操作を行う権限がありません。"}
NOT_FOUND = {"detail": "見つかりません。"}


def bearer(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"})


def registration(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "family_name": "山田",
        "given_name": "花子",
        "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ",
        "birth_date": "1990-05-01",
        "address": "神奈川県厚木市中町1-1-3",
        "phone": "046-221-1234",
        "email": "hanako@example.jp",
        "guardian_name": "",
        "category": "general",
        "eligibility": "residence",
        "id_document_type": "drivers_license",
        "registered_branch": "central",
    }
    body.update(overrides)
    return body


def post(client: Client, body: object, path: str = "/api/v1/patrons"):
    return client.post(path, json.dumps(body), content_type="application/json")


def text(response) -> str:
    """The answer as a reader sees it (the renderer escapes non-ASCII, so raw bytes would hide a leak)."""
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.fixture
def counter(counter_staff, general_category) -> Client:
    return bearer(counter_staff)


@pytest.fixture
def patron(central, general_category) -> Patron:
    return cast(Patron, PatronFactory(registered_branch=central, category=general_category))


# --- GET /branches ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["counter_staff", "privacy_officer", "administrator", "working_operator"], indirect=True
)
def test_every_staff_role_lists_active_branches(persona, central, pickup_counter) -> None:
    BranchFactory(code="closed", name="閉館した分館", is_active=False)

    response = bearer(persona).get("/api/v1/branches")

    assert response.status_code == 200
    assert response.json() == [
        {"code": "central", "name": "中央図書館", "kind": "central"},
        {"code": "pickup-east", "name": "東口受取窓口", "kind": Branch.Kind.PICKUP.value},
    ]


def test_branches_refuse_a_user_without_role(no_role_user) -> None:
    response = bearer(no_role_user).get("/api/v1/branches")

    assert response.status_code == 403
    assert response.json() == DENIED
    assert AuditEvent.objects.filter(action="access.denied", target_id="api/v1/branches").count() == 1


def test_branches_refuse_anonymous(db) -> None:
    assert Client().get("/api/v1/branches").status_code == 401


def test_categories_list_codes_for_registration(counter_staff, general_category, child_category) -> None:
    response = bearer(counter_staff).get("/api/v1/categories")

    assert response.status_code == 200
    assert {c["code"] for c in response.json()} == {"general", "child"}


def test_categories_refuse_a_user_without_role(no_role_user) -> None:
    assert bearer(no_role_user).get("/api/v1/categories").status_code == 403


# --- POST /patrons ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["counter_staff", "administrator"], indirect=True)
def test_register_returns_card_number_and_expiry(persona, general_category) -> None:
    response = post(bearer(persona), registration())

    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"card_number", "expires_on"}
    patron = Patron.objects.get()
    assert data == {"card_number": patron.card_number, "expires_on": patron.expires_on.isoformat()}
    assert patron.expires_on > dt.date.today()
    assert patron.registered_branch.code == "central"
    assert patron.category.code == "general"


def test_register_records_the_document_type_and_no_paper_form(counter) -> None:
    post(counter, registration())

    check = IdentityCheck.objects.get()
    assert check.document_type == "drivers_license"
    assert check.purpose == IdentityCheck.Purpose.REGISTRATION
    assert not PaperApplicationForm.objects.exists()
    event = AuditEvent.objects.get(action="patron.register")
    assert event.patron_id == Patron.objects.get().pk


def test_register_stores_half_width_kana_as_full_width(counter) -> None:
    response = post(counter, registration(family_name_kana="ﾔﾏﾀﾞ", given_name_kana="ﾊﾅｺ"))

    assert response.status_code == 201
    patron = Patron.objects.get()
    assert (patron.family_name_kana, patron.given_name_kana) == ("ヤマダ", "ハナコ")


def test_register_accepts_a_six_month_document_with_its_issue_date(counter) -> None:
    issued = (dt.date.today() - dt.timedelta(days=30)).isoformat()

    response = post(counter, registration(id_document_type="resident_record", id_document_issued_on=issued))

    assert response.status_code == 201
    assert IdentityCheck.objects.get().document_issued_on == dt.date.fromisoformat(issued)


def test_register_never_echoes_the_password(counter) -> None:
    response = post(counter, registration(password="kusunoki-42"))

    assert response.status_code == 201
    assert "kusunoki-42" not in text(response)
    assert "password" not in response.json()
    patron = Patron.objects.get()
    assert patron.password != "kusunoki-42"
    assert check_password("kusunoki-42", patron.password)


def test_register_accepts_null_for_optional_fields(counter) -> None:
    response = post(
        counter, registration(phone=None, email=None, guardian_name=None, gender=None, password=None)
    )

    assert response.status_code == 201
    assert Patron.objects.get().phone == ""


@pytest.mark.parametrize("persona", ["privacy_officer", "working_operator", "no_role_user"], indirect=True)
def test_register_refuses_other_roles(persona, general_category, central) -> None:
    response = post(bearer(persona), registration())

    assert response.status_code == 403
    assert response.json() == DENIED
    assert Patron.objects.count() == 0
    event = AuditEvent.objects.get(action="access.denied")
    assert (event.actor_id, event.target_id, event.detail) == (
        persona.pk,
        "api/v1/patrons",
        {"method": "POST"},
    )


def test_register_refuses_anonymous(general_category, central) -> None:
    assert post(Client(), registration()).status_code == 401
    assert Patron.objects.count() == 0


def _refused(response, field: str) -> list[str]:
    """Assert a 422 that saved nothing and leaked neither name nor address; return the field's messages."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "入力内容に誤りがあります。"
    assert Patron.objects.count() == 0
    shown = text(response)
    for secret in ("花子", "厚木市中町", "hanako@example.jp", "046-221-1234"):
        assert secret not in shown
    messages = [e["message"] for e in body["errors"] if e["field"] == field]
    assert messages, body
    return messages


def test_register_refuses_an_over_long_family_name(counter) -> None:
    name = "山" * 31

    response = post(counter, registration(family_name=name))

    messages = _refused(response, "family_name")
    assert any("30文字以内" in m for m in messages)
    assert name not in text(response)


def test_register_refuses_an_absurdly_long_field_before_the_service(counter) -> None:
    messages = _refused(post(counter, registration(address="中" * 5000)), "address")
    assert messages == ["300文字以内で入力してください。"]


@pytest.mark.parametrize(
    "value", ["2026-02-30", "1990-13-01", "1990-5-1", "19900501", 0, "1990-05-01T00:00:00", None]
)
def test_register_refuses_an_impossible_or_malformed_birth_date(counter, value: object) -> None:
    messages = _refused(post(counter, registration(birth_date=value)), "birth_date")
    assert messages == ["日付はYYYY-MM-DD形式の正しい日付で指定してください。"]


def test_register_refuses_a_future_birth_date(counter) -> None:
    next_year = (dt.date.today() + dt.timedelta(days=366)).isoformat()
    messages = _refused(post(counter, registration(birth_date=next_year)), "birth_date")
    assert any("未来" in m for m in messages)
    # Beyond any date the API accepts: refused by the shared date type, with its range.
    assert _refused(post(counter, registration(birth_date="2099-01-01")), "birth_date")


def test_register_refuses_a_non_jis_name_and_suggests_the_standard_character(counter) -> None:
    response = post(counter, registration(family_name="髙橋"))

    messages = _refused(response, "family_name")
    assert any("「高」" in m and "第11条" in m for m in messages)
    assert "髙橋" not in text(response)


def test_register_refuses_non_katakana_furigana(counter) -> None:
    _refused(post(counter, registration(family_name_kana="Yamada")), "family_name_kana")


def test_register_refuses_an_unknown_category(counter) -> None:
    messages = _refused(post(counter, registration(category="vip")), "category")
    assert messages == ["利用者区分を一覧から選んでください。"]


@pytest.mark.parametrize("code", ["gen\x00eral", "../general", "一般", "x" * 33])
def test_register_refuses_a_malformed_code_without_querying(counter, code: str) -> None:
    _refused(post(counter, registration(category=code)), "category")


def test_register_refuses_an_unknown_branch(counter) -> None:
    _refused(post(counter, registration(registered_branch="atlantis")), "registered_branch")


def test_register_refuses_a_branch_that_takes_no_registrations(counter, pickup_counter) -> None:
    messages = _refused(post(counter, registration(registered_branch="pickup-east")), "registered_branch")
    assert any("第3条" in m for m in messages)


def test_register_refuses_an_unknown_document_type(counter) -> None:
    messages = _refused(
        post(counter, registration(id_document_type="library_membership")), "id_document_type"
    )
    assert any("本人確認書類" in m for m in messages)


def test_register_refuses_a_six_month_document_without_issue_date(counter) -> None:
    messages = _refused(post(counter, registration(id_document_type="resident_record")), "id_document_type")
    assert any("6箇月以内" in m for m in messages)


def test_register_refuses_a_stale_six_month_document(counter) -> None:
    issued = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    body = registration(id_document_type="utility_bill", id_document_issued_on=issued)
    _refused(post(counter, body), "id_document_type")


def test_register_refuses_an_address_outside_the_eligible_municipalities(counter) -> None:
    messages = _refused(post(counter, registration(address="東京都千代田区丸の内1-1")), "address")
    assert any("第4条" in m for m in messages)


def test_register_refuses_an_unknown_eligibility(counter) -> None:
    _refused(post(counter, registration(eligibility="tourist")), "eligibility")


@pytest.mark.parametrize(
    "field", ["family_name", "given_name", "family_name_kana", "address", "phone", "email", "guardian_name"]
)
@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\x1b"])
def test_register_refuses_control_characters_and_broken_unicode(counter, field: str, bad: str) -> None:
    # PostgreSQL refuses NUL in text and UTF-8 has no lone surrogates: either would be a 500 if saved.
    value = {"phone": "046-221-1234", "email": "a@example.jp"}.get(field, "ヤマダ")
    _refused(post(counter, registration(**{field: value + bad})), field)


def test_register_refuses_a_short_password_without_echoing_it(counter) -> None:
    response = post(counter, registration(password="abc"))

    _refused(response, "password")
    assert "abc" not in text(response)


def test_register_refuses_a_document_number(counter) -> None:
    # Minimal collection (要綱 第4条; domain §4): the number on the document is never accepted.
    messages = _refused(post(counter, registration(document_number="123456789012")), "document_number")
    assert messages == ["不明な項目です。"]


def test_register_refuses_a_wrongly_typed_field(counter) -> None:
    messages = _refused(post(counter, registration(family_name=123)), "family_name")
    assert messages == ["文字列で指定してください。"]


def test_register_lists_every_missing_field(counter) -> None:
    response = post(counter, {})

    assert response.status_code == 422
    missing = {e["field"] for e in response.json()["errors"] if e["message"] == "必須項目です。"}
    assert missing == {
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "address",
        "category",
        "eligibility",
        "id_document_type",
        "registered_branch",
    }
    assert Patron.objects.count() == 0


def test_register_refuses_blank_required_fields(counter) -> None:
    body = registration(family_name="  ", given_name="\u3000")
    messages = _refused(post(counter, body), "family_name")
    assert messages == ["氏名（姓）を入力してください。"]


def test_register_refuses_the_same_person_twice(counter) -> None:
    assert post(counter, registration()).status_code == 201

    again = registration(family_name="山田　", given_name=" 花子", address="神奈川県厚木市中町１－１－３")
    response = post(counter, again)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "__all__"
    assert "第6条" in errors[0]["message"]
    assert Patron.objects.count() == 1
    assert "花子" not in text(response)


def test_register_accepts_the_same_person_after_cancellation(counter) -> None:
    assert post(counter, registration()).status_code == 201
    Patron.objects.update(status=PatronStatus.CANCELLED)

    assert post(counter, registration()).status_code == 201


# --- GET /patrons/{card_number} and POST /patrons/lookup -------------------------------------------


def _detail(client: Client, card_number: str, how: str):
    if how == "path":
        return client.get(f"/api/v1/patrons/{card_number}")
    return post(client, {"card_number": card_number}, "/api/v1/patrons/lookup")


HOW = ["path", "lookup"]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("persona", ["counter_staff", "privacy_officer", "administrator"], indirect=True)
def test_detail_returns_the_registration(persona, patron: Patron, how: str) -> None:
    patron.password = "pbkdf2_sha256$1$x$y"
    patron.save(update_fields=["password"])

    response = _detail(bearer(persona), patron.card_number, how)

    assert response.status_code == 200
    assert response.json() == {
        "card_number": patron.card_number,
        "family_name": patron.family_name,
        "given_name": patron.given_name,
        "family_name_kana": patron.family_name_kana,
        "given_name_kana": patron.given_name_kana,
        "birth_date": patron.birth_date.isoformat(),
        "gender": "",
        "address": patron.address,
        "phone": patron.phone,
        "email": patron.email,
        "guardian_name": "",
        "category": "general",
        "eligibility": "residence",
        "registered_branch": "central",
        "registered_on": patron.registered_on.isoformat(),
        "expires_on": patron.expires_on.isoformat(),
        "status": "active",
        "has_password": True,
    }
    assert "pbkdf2" not in text(response)
    assert patron.duplicate_key not in text(response)


@pytest.mark.parametrize("how", HOW)
def test_detail_writes_exactly_one_view_event(counter_staff, patron: Patron, how: str) -> None:
    client = bearer(counter_staff)
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # seq has gaps

    assert _detail(client, patron.card_number, how).status_code == 200

    events = AuditEvent.objects.filter(seq__gt=before)
    assert [e.action for e in events] == ["patron.view"]
    event = events.get()
    assert (event.patron_id, event.actor_id, event.detail) == (patron.pk, counter_staff.pk, {"view": "api"})
    assert patron.card_number not in event.target_id


def test_detail_stays_within_a_query_budget(
    counter_staff, patron: Patron, django_assert_max_num_queries
) -> None:
    client = bearer(counter_staff)
    with django_assert_max_num_queries(11):
        assert client.get(f"/api/v1/patrons/{patron.card_number}").status_code == 200


@pytest.mark.parametrize("how", HOW)
def test_detail_of_unknown_card_is_404_without_echo(counter_staff, central, how: str) -> None:
    response = _detail(bearer(counter_staff), "2199999990", how)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert not AuditEvent.objects.filter(action="patron.view").exists()


@pytest.mark.parametrize("card", ["abc", "21%0012345", "' OR 1=1 --", "1" * 40, "２１", "21.5e3"])
def test_detail_of_malformed_card_in_path_is_404(counter_staff, central, card: str) -> None:
    response = bearer(counter_staff).get(f"/api/v1/patrons/{card}")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("card", ["abc", "21\x0012345", "' OR 1=1 --", "", "２１", "21.5e3"])
def test_lookup_of_malformed_card_is_404(counter_staff, central, card: str) -> None:
    response = post(bearer(counter_staff), {"card_number": card}, "/api/v1/patrons/lookup")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("body", [{"card_number": "1" * 33}, {"card_number": 2112345674}, {}, {"card": "1"}])
def test_lookup_with_a_malformed_body_is_422(counter_staff, central, body: dict[str, object]) -> None:
    response = post(bearer(counter_staff), body, "/api/v1/patrons/lookup")

    assert response.status_code == 422
    assert "2112345674" not in text(response)


def test_detail_accepts_full_width_digits(counter_staff, patron: Patron) -> None:
    full_width = patron.card_number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    response = _detail(bearer(counter_staff), full_width, "lookup")

    assert response.status_code == 200
    assert response.json()["card_number"] == patron.card_number


@pytest.mark.parametrize("how", HOW)
def test_detail_hides_patrons_outside_a_contractors_scope(working_operator, patron: Patron, how: str) -> None:
    response = _detail(bearer(working_operator), patron.card_number, how)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert not AuditEvent.objects.filter(action="patron.view").exists()
    attempt = AuditEvent.objects.get(action="patron.out_of_scope")
    assert (attempt.actor_id, attempt.patron_id, attempt.outcome) == (
        working_operator.pk,
        patron.pk,
        "denied",
    )


@pytest.mark.parametrize("how", HOW)
def test_detail_refuses_a_user_without_role(no_role_user, patron: Patron, how: str) -> None:
    response = _detail(bearer(no_role_user), patron.card_number, how)

    assert response.status_code == 403
    assert response.json() == DENIED
    assert not AuditEvent.objects.filter(action="patron.view").exists()
    denied = AuditEvent.objects.get(action="access.denied")
    assert patron.card_number not in denied.target_id
    assert denied.patron_id is None


@pytest.mark.parametrize("how", HOW)
def test_detail_refuses_anonymous(patron: Patron, how: str) -> None:
    assert _detail(Client(), patron.card_number, how).status_code == 401
    assert not AuditEvent.objects.filter(action="patron.view").exists()


def test_detail_shows_only_the_data_items_in_scope(counter_staff, patron: Patron, monkeypatch) -> None:
    narrowed = Scope(branch_ids=None, data_items=frozenset({DataItem.NAME, DataItem.REGISTERED_BRANCH}))
    monkeypatch.setattr("patrons.api.scope_for", lambda actor: narrowed)

    data = _detail(bearer(counter_staff), patron.card_number, "lookup").json()

    # Even the card number is withheld when the contract does not hold it (004's school contract).
    shown = {key for key, value in data.items() if value is not None}
    assert shown == {"status", "family_name", "given_name", "registered_branch"}


def test_detail_shows_a_cancelled_registration_as_such(counter_staff, patron: Patron) -> None:
    Patron.objects.filter(pk=patron.pk).update(status=PatronStatus.CANCELLED)

    response = _detail(bearer(counter_staff), patron.card_number, "lookup")

    assert response.json()["status"] == "cancelled"


def test_registered_patron_can_be_read_back(counter) -> None:
    created = post(counter, registration(family_name_kana="ﾔﾏﾀﾞ")).json()

    data = _detail(counter, created["card_number"], "lookup").json()

    assert (data["family_name"], data["family_name_kana"], data["has_password"]) == ("山田", "ヤマダ", False)
    assert data["expires_on"] == created["expires_on"]


def test_category_of_another_code_is_reported_by_code(counter_staff, central) -> None:
    child = CategoryFactory(code="child", name="児童", is_child=True)
    patron = cast(Patron, PatronFactory(registered_branch=central, category=child))

    assert _detail(bearer(counter_staff), patron.card_number, "path").json()["category"] == "child"
