"""The register API: public reads without authentication, writes for administrators only, and bad input
answered 422 in Japanese with nothing changed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from privacy_admin.accounts.services import api_token_create
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core import register_entries as entries
from register.models import CollectionSource, RegisterEntry
from register.services import entries as services
from tests.register.factories import make_entry
from tests.register.helpers import days_ago, freeze_today, snapshot  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

BASE = "/api/v1/register"
DENIED = {"detail": "この操作を行う権限がありません。"}


def bearer(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)}"})


def send(client: Client, method: str, path: str, body: object) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def errors(response: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for e in response.json()["errors"]:
        found.setdefault(e["field"], []).append(e["message"])
    return found


def body(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "レファレンスサービスに関する事務",
        "purpose": "問い合わせに後日回答するため",
        "department": "中央図書館 調査相談係",
        "subjects": "後日の回答を希望した者",
        "extra_items": ["name", "contact"],
        "collection_sources": ["person"],
        "retention_period": "回答の後、速やかに消去",
        "request_office": "中央図書館 管理係",
        "registered_on": days_ago(2).isoformat(),
        "starts_on": days_ago(1).isoformat(),
    }
    values.update(overrides)
    return values


@pytest.fixture
def admin_api(administrator: Any) -> Client:
    return bearer(administrator)


@pytest.fixture
def abolished(administrator: Any) -> RegisterEntry:
    entry = make_entry(name="廃止した事務", registered_on=days_ago(30), starts_on=days_ago(30))
    return services.register_entry_abolish(
        actor=administrator, entry=entry, abolished_on=days_ago(1), reason="終了"
    )


# --- public reads ----------------------------------------------------------------------------------


def test_anyone_lists_the_registered_entries(client: Client, abolished: RegisterEntry) -> None:
    response = client.get(BASE)
    assert response.status_code == 200
    found = {e["code"]: e for e in response.json()}
    assert {entries.LIBRARY_USE, entries.PRIVACY_REQUESTS, entries.CONTRACTOR_OVERSIGHT} <= set(found)
    assert abolished.code not in found
    library_use = found[entries.LIBRARY_USE]
    assert library_use["number"] == 1 and library_use["status"] == "registered"
    assert "利用者番号" in library_use["record_items"] and "card_number" in library_use["record_item_codes"]
    assert library_use["collection_sources"] == ["person", "representative"]


def test_the_list_searches_and_may_include_abolished_entries(
    client: Client, abolished: RegisterEntry
) -> None:
    names = [e["name"] for e in client.get(BASE, {"q": "開示"}).json()]
    assert names == ["保有個人情報の開示・訂正・利用停止請求に関する事務"]
    codes = [e["code"] for e in client.get(BASE, {"include_abolished": "true"}).json()]
    assert abolished.code in codes


def test_anyone_reads_one_entry_but_not_an_abolished_one(client: Client, abolished: RegisterEntry) -> None:
    core = RegisterEntry.objects.get(code=entries.PRIVACY_REQUESTS)
    response = client.get(f"{BASE}/{core.pk}")
    assert response.status_code == 200 and response.json()["name"] == core.name
    assert client.get(f"{BASE}/{abolished.pk}").json() == {"detail": "見つかりません。"}
    assert client.get(f"{BASE}/{abolished.pk}").status_code == 404
    response = client.get(f"{BASE}/{abolished.pk}", {"include_abolished": "true"})
    assert response.status_code == 200 and response.json()["status"] == "abolished"
    assert client.get(f"{BASE}/999999").status_code == 404


# --- writes: who -----------------------------------------------------------------------------------


def test_anonymous_writes_are_refused(client: Client) -> None:
    core = RegisterEntry.objects.get(code=entries.PRIVACY_REQUESTS)
    before = snapshot()
    assert send(client, "post", BASE, body()).status_code == 401
    assert send(client, "patch", f"{BASE}/{core.pk}", {"reason": "x", "name": "y"}).status_code == 401
    assert send(client, "post", f"{BASE}/{core.pk}/abolish", {"reason": "x"}).status_code == 401
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["counter_staff", "privacy_officer", "working_operator"], indirect=True)
def test_other_roles_may_not_write(persona: Any) -> None:
    client = bearer(persona)
    core = RegisterEntry.objects.get(code=entries.PRIVACY_REQUESTS)
    before = RegisterEntry.objects.count()
    for method, path, payload in (
        ("post", BASE, body()),
        ("patch", f"{BASE}/{core.pk}", {"reason": "x", "name": "y"}),
        ("post", f"{BASE}/{core.pk}/abolish", {"abolished_on": days_ago(1).isoformat(), "reason": "x"}),
    ):
        response = send(client, method, path, payload)
        assert (response.status_code, response.json()) == (403, DENIED), path
    assert RegisterEntry.objects.count() == before
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == 3


def test_a_counter_session_may_not_write(counter_staff: Any, login: Any) -> None:
    response = send(login(counter_staff), "post", BASE, body())
    assert response.status_code == 403


# --- writes: what ----------------------------------------------------------------------------------


def test_administrator_registers_an_entry(admin_api: Client) -> None:
    response = send(admin_api, "post", BASE, body())
    assert response.status_code == 201
    data = response.json()
    entry = RegisterEntry.objects.get(pk=data["id"])
    assert data["code"] == f"entry-{entry.number}" and data["starts_on"] == days_ago(1).isoformat()
    assert data["record_items"] == ["氏名", "連絡先"]
    assert AuditEvent.objects.filter(action="register_entry.create", target_id=str(entry.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"starts_on": days_ago(3).isoformat()},
            "starts_on",
            "事務の開始日は登録日以後の日付にしてください（山梨県 要綱第16条第2項: 事務を開始しようとするときに登録）。",
        ),
        (
            {"purpose": ""},
            "purpose",
            "個人情報取扱事務の目的を入力してください（山梨県 要綱第16条第1項）。",
        ),
        (
            {"purpose": None},
            "purpose",
            "個人情報取扱事務の目的を入力してください（山梨県 要綱第16条第1項）。",
        ),
        (
            {"collection_sources": ["gossip"]},
            "collection_sources.0",
            "収集先に指定できない値です（指定できる値: " + "、".join(CollectionSource.values) + "）。",
        ),
        ({"starts_on": "2026/11/01"}, "starts_on", "日付はYYYY-MM-DD形式の正しい日付で指定してください。"),
        ({"sensitive": "maybe"}, "sensitive", "true または false で指定してください。"),
        ({"colour": "red"}, "colour", "不明な項目です。"),
    ],
)
def test_bad_registration_is_422_in_japanese_and_changes_nothing(
    admin_api: Client, overrides: dict[str, object], field: str, message: str
) -> None:
    before = snapshot()
    response = send(admin_api, "post", BASE, body(**overrides))
    assert response.status_code == 422
    assert response.json()["detail"] == "入力内容に誤りがあります。"
    assert errors(response)[field] == [message]
    assert snapshot() == before


def test_administrator_changes_only_what_is_sent(admin_api: Client, today: Any) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    response = send(
        admin_api, "patch", f"{BASE}/{entry.pk}", {"reason": "保存期間の見直し", "retention_period": "1年"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["retention_period"] == "1年" and data["purpose"] == entry.purpose
    assert data["changed_on"] == today.isoformat()
    assert entry.history.first().history_change_reason == "保存期間の見直し"


def test_a_change_without_a_reason_is_422(admin_api: Client) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    before = snapshot()
    response = send(admin_api, "patch", f"{BASE}/{entry.pk}", {"retention_period": "1年"})
    assert response.status_code == 422 and errors(response)["reason"] == ["必須項目です。"]
    response = send(admin_api, "patch", f"{BASE}/{entry.pk}", {"reason": "", "retention_period": "1年"})
    assert response.status_code == 422 and errors(response)["reason"] == ["1文字以上で入力してください。"]
    response = send(
        admin_api, "patch", f"{BASE}/{entry.pk}", {"reason": "理" * 101, "retention_period": "1年"}
    )
    assert response.status_code == 422 and errors(response)["reason"] == ["100文字以内で入力してください。"]
    response = send(admin_api, "patch", f"{BASE}/{entry.pk}", {"reason": "x", "code": "other"})
    assert response.status_code == 422 and errors(response)["code"] == ["不明な項目です。"]
    assert snapshot() == before


def test_administrator_abolishes_an_entry(admin_api: Client) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    response = send(
        admin_api,
        "post",
        f"{BASE}/{entry.pk}/abolish",
        {"abolished_on": days_ago(1).isoformat(), "reason": "終了"},
    )
    assert response.status_code == 200
    assert (
        response.json()["status"] == "abolished"
        and response.json()["abolished_on"] == days_ago(1).isoformat()
    )
    response = send(admin_api, "patch", f"{BASE}/{entry.pk}", {"reason": "再開", "name": "別名"})
    assert response.status_code == 422
    assert errors(response)["__all__"] == [
        "廃止された事務は変更できません。登録は抹消済みです（山梨県 要綱第16条第4項）。"
    ]


def test_abolition_before_registration_is_422_and_changes_nothing(admin_api: Client) -> None:
    entry = make_entry(registered_on=days_ago(30), starts_on=days_ago(30))
    before = snapshot()
    response = send(
        admin_api,
        "post",
        f"{BASE}/{entry.pk}/abolish",
        {"abolished_on": days_ago(31).isoformat(), "reason": "終了"},
    )
    assert response.status_code == 422
    assert errors(response)["abolished_on"] == [
        f"廃止日は登録日（{days_ago(30):%Y-%m-%d}）以後の日付にしてください。"
    ]
    assert snapshot() == before


def test_an_entry_in_use_cannot_be_abolished_through_the_api(admin_api: Client) -> None:
    core = RegisterEntry.objects.get(code=entries.LIBRARY_USE)
    response = send(
        admin_api,
        "post",
        f"{BASE}/{core.pk}/abolish",
        {"abolished_on": days_ago(1).isoformat(), "reason": "終了"},
    )
    assert response.status_code == 422
    assert "宣言されています" in errors(response)["__all__"][0]


def test_writes_to_an_unknown_entry_are_404(admin_api: Client) -> None:
    assert send(admin_api, "patch", f"{BASE}/999999", {"reason": "x", "name": "y"}).status_code == 404
