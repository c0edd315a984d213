"""Contractor and contract pages: who may use them, what they show, and bad input (a message, no change)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from outsourcing.models import Clause, ClauseAgreement, Contract, Contractor, ContractorChange, Handler
from privacy_admin.audit.models import AuditEvent, Outcome
from register.models import RegisterEntry

from .factories import make_contract, make_contractor, make_operator

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
LOGIN = reverse("accounts:login")

MANAGE_PAGES = [
    ("outsourcing:contracts", False),
    ("outsourcing:contract_create", False),
    ("outsourcing:contractors", False),
    ("outsourcing:contractor_create", False),
    ("outsourcing:contract_detail", True),
    ("outsourcing:contract_edit", True),
]
POST_STEPS = [
    "outsourcing:contract_procedure",
    "outsourcing:contract_clauses",
    "outsourcing:handler_add",
    "outsourcing:contractor_change",
    "outsourcing:contract_end",
]


@pytest.fixture
def contract(pickup_counter) -> Contract:
    return make_contract(branches=[pickup_counter])


def _url(name: str, contract: Contract, with_pk: bool = True) -> str:
    return reverse(name, args=[contract.pk]) if with_pk else reverse(name)


# --- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "with_pk"), [*MANAGE_PAGES, ("outsourcing:operator_create", True)])
def test_anonymous_is_sent_to_sign_in(client: Client, contract, name, with_pk) -> None:
    response = client.get(_url(name, contract, with_pk))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
@pytest.mark.parametrize(("name", "with_pk"), [*MANAGE_PAGES, ("outsourcing:operator_create", True)])
def test_wrong_roles_are_refused_and_logged(login, persona, contract, name, with_pk) -> None:
    response = login(persona).get(_url(name, contract, with_pk))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", outcome=Outcome.DENIED, actor=persona).exists()


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator"], indirect=True)
@pytest.mark.parametrize("name", POST_STEPS)
def test_wrong_roles_cannot_post_steps(login, persona, contract, name) -> None:
    assert login(persona).post(reverse(name, args=[contract.pk]), {}).status_code == 403


@pytest.mark.parametrize("persona", ["privacy_officer", "administrator"], indirect=True)
@pytest.mark.parametrize(("name", "with_pk"), MANAGE_PAGES)
def test_officers_and_administrators_use_the_pages(login, persona, contract, name, with_pk) -> None:
    response = login(persona).get(_url(name, contract, with_pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_only_administrators_create_operator_accounts(
    login, privacy_officer, administrator, contract
) -> None:
    url = reverse("outsourcing:operator_create", args=[contract.pk])
    assert login(privacy_officer).get(url).status_code == 403
    assert login(administrator).get(url).status_code == 200


def test_only_administrators_close_operator_accounts(login, privacy_officer, contract) -> None:
    user = make_operator(contract, "uketori")
    handler = Handler.objects.get(user=user)
    url = reverse("outsourcing:operator_close", args=[contract.pk, handler.pk])
    assert login(privacy_officer).post(url).status_code == 403
    user.refresh_from_db()
    assert user.is_active


def test_unknown_contract_is_404(login, privacy_officer) -> None:
    assert (
        login(privacy_officer).get(reverse("outsourcing:contract_detail", args=[999999])).status_code == 404
    )


# --- lists and detail --------------------------------------------------------------------------------


def test_list_shows_each_state_with_the_blockers(login, privacy_officer, pickup_counter) -> None:
    make_contract(branches=[pickup_counter], number="委-A")
    make_contract(branches=[pickup_counter], number="委-B", in_force=False)
    make_contract(branches=[pickup_counter], number="委-C", status=Contract.Status.ENDED)
    html = login(privacy_officer).get(reverse("outsourcing:contracts")).content.decode()
    for text in ("委-A", "委-B", "委-C", "有効", "手続中", "終了", "取扱責任者が指名されていません。"):
        assert text in html
    assert "契約終了手続（資料の返還・消去の確認）が未了" in html


def test_list_filters_by_state(login, privacy_officer, pickup_counter) -> None:
    make_contract(branches=[pickup_counter], number="委-A")
    make_contract(branches=[pickup_counter], number="委-B", in_force=False)
    html = login(privacy_officer).get(reverse("outsourcing:contracts") + "?state=pending").content.decode()
    assert "委-B" in html and "委-A" not in html


def test_list_reads_a_fixed_number_of_queries(
    login, privacy_officer, pickup_counter, django_assert_max_num_queries
) -> None:
    for n in range(6):
        make_contract(branches=[pickup_counter], number=f"委-{n}")
    client = login(privacy_officer)
    client.get(reverse("outsourcing:contracts"))
    with django_assert_max_num_queries(12):
        client.get(reverse("outsourcing:contracts"))


def test_detail_shows_the_gate_in_japanese_and_is_logged(login, privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    html = (
        login(privacy_officer)
        .get(reverse("outsourcing:contract_detail", args=[contract.pk]))
        .content.decode()
    )
    assert "審議会の手続（諮問・報告・事前一括承認基準の確認）が記録されていません。" in html
    assert "特記事項のうち 16 項目が合意されていません。" in html
    assert "資料等の返還等" in html  # the clause form lists the 16 clauses
    event = AuditEvent.objects.get(action="contract.view")
    assert event.target_id == str(contract.pk)


def test_contractor_list_warns_of_expired_and_near_privacy_marks(login, privacy_officer) -> None:
    make_contractor(
        name="期限切れ社", privacy_mark=True, privacy_mark_expires_on=TODAY - dt.timedelta(days=1)
    )
    make_contractor(
        name="期限間近社", privacy_mark=True, privacy_mark_expires_on=TODAY + dt.timedelta(days=30)
    )
    make_contractor(name="有効社", privacy_mark=True, privacy_mark_expires_on=TODAY + dt.timedelta(days=400))
    html = login(privacy_officer).get(reverse("outsourcing:contractors")).content.decode()
    assert "プライバシーマーク期限切れ" in html
    assert "プライバシーマーク期限間近" in html
    assert "プライバシーマーク有効" in html


# --- writes ------------------------------------------------------------------------------------------


def _contract_post(contractor: Contractor, branch: Any, **overrides: Any) -> dict[str, Any]:
    entry = RegisterEntry.objects.order_by("number").first()
    assert entry is not None
    return {
        "number": "委-100",
        "title": "受取窓口業務",
        "contractor": contractor.pk,
        "purpose": "予約資料の受け渡し",
        "data_items": ["card_number", "name"],
        "branches": [branch.pk],
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=300)).isoformat(),
        "register_entry": entry.pk,
        "review_due_on": (TODAY + dt.timedelta(days=100)).isoformat(),
    } | overrides


def test_create_a_contract(login, privacy_officer, pickup_counter) -> None:
    contractor = make_contractor()
    response = login(privacy_officer).post(
        reverse("outsourcing:contract_create"), _contract_post(contractor, pickup_counter)
    )
    contract = Contract.objects.get(number="委-100")
    assert response["Location"] == reverse("outsourcing:contract_detail", args=[contract.pk])
    assert contract.data_items == ["card_number", "name"]
    assert list(contract.branches.all()) == [pickup_counter]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"ends_on": (TODAY - dt.timedelta(days=1)).isoformat()},
            "契約終了日は契約開始日以降の日付にしてください。",
        ),
        ({"data_items": ["name", "religion"]}, "一覧にない項目が含まれています"),
        ({"data_items": []}, "委託先が取り扱う個人情報の項目を1つ以上選んでください。"),
        ({"starts_on": "2026-02-30"}, "存在しない日付か、形式が正しくありません"),
        ({"branches": []}, "対象の館・受取窓口・学校を1つ以上選んでください。"),
    ],
)
def test_bad_contract_input_gets_a_message_and_changes_nothing(
    login, privacy_officer, pickup_counter, overrides, message
) -> None:
    contractor = make_contractor()
    response = login(privacy_officer).post(
        reverse("outsourcing:contract_create"), _contract_post(contractor, pickup_counter, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contract.objects.exists()


def test_edit_keeps_the_contractor(login, privacy_officer, contract) -> None:
    data = _contract_post(make_contractor(), contract.branches.first(), number=contract.number, title="改題")
    response = login(privacy_officer).post(reverse("outsourcing:contract_edit", args=[contract.pk]), data)
    assert response.status_code == 302
    before = contract.contractor_id
    contract.refresh_from_db()
    assert contract.title == "改題" and contract.contractor_id == before


def test_record_consultation_without_approval_date_is_refused(login, privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    response = login(privacy_officer).post(
        reverse("outsourcing:contract_procedure", args=[contract.pk]),
        {"procedure": "consultation", "consultation_number": "諮問第9号"},
    )
    assert response.status_code == 400
    assert "審議会が承認した日を入力してください。" in response.content.decode()
    contract.refresh_from_db()
    assert contract.procedure == ""


def test_record_pre_approval(login, privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    response = login(privacy_officer).post(
        reverse("outsourcing:contract_procedure", args=[contract.pk]),
        {
            "procedure": "pre_approval",
            "pre_approval_category": "類型10",
            "pre_approval_confirmed_on": TODAY.isoformat(),
            "pre_approval_confirmed_by": "情報公開課 担当",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.procedure, contract.pre_approval_category) == ("pre_approval", "類型10")


def test_clauses_form_records_agreements(login, privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    data = {}
    for clause in Clause:
        data[f"agree_{clause.value}"] = "on"
        data[f"on_{clause.value}"] = TODAY.isoformat()
    response = login(privacy_officer).post(reverse("outsourcing:contract_clauses", args=[contract.pk]), data)
    assert response.status_code == 302
    assert ClauseAgreement.objects.filter(contract=contract).count() == 16


def test_checked_clause_without_a_date_is_refused(login, privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], in_force=False)
    response = login(privacy_officer).post(
        reverse("outsourcing:contract_clauses", args=[contract.pk]), {"agree_basic": "on"}
    )
    assert response.status_code == 400
    assert "合意日を入力してください。" in response.content.decode()
    assert not ClauseAgreement.objects.filter(contract=contract).exists()


def test_add_handler_and_set_in_charge(login, privacy_officer, contract) -> None:
    client = login(privacy_officer)
    client.post(reverse("outsourcing:handler_add", args=[contract.pk]), {"name": "佐藤 花子"})
    handler = Handler.objects.get(contract=contract, name="佐藤 花子")
    assert not handler.in_charge
    client.post(reverse("outsourcing:handler_in_charge", args=[contract.pk, handler.pk]))
    handler.refresh_from_db()
    assert handler.in_charge
    assert Handler.objects.filter(contract=contract, in_charge=True).count() == 1


def test_handler_of_another_contract_is_404(login, privacy_officer, contract, pickup_counter) -> None:
    other = make_contract(branches=[pickup_counter])
    handler = Handler.objects.get(contract=other)
    url = reverse("outsourcing:handler_in_charge", args=[contract.pk, handler.pk])
    assert login(privacy_officer).post(url).status_code == 404


def test_operator_account_password_is_shown_once(login, administrator, contract, pickup_counter) -> None:
    handler = Handler.objects.get(contract=contract)
    client = login(administrator)
    response = client.post(
        reverse("outsourcing:operator_create", args=[contract.pk]),
        {"handler": handler.pk, "username": "uketori01", "branch": pickup_counter.pk},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "この画面に1回だけ表示され" in html
    user = get_user_model().objects.get(username="uketori01")
    handler.refresh_from_db()
    assert handler.user == user
    shown = html.split('class="password-once mono">', 1)[1].split("<", 1)[0]
    assert user.check_password(shown)
    # Not shown again anywhere.
    assert (
        shown not in client.get(reverse("outsourcing:contract_detail", args=[contract.pk])).content.decode()
    )


def test_operator_account_with_a_taken_username_is_refused(
    login, administrator, contract, pickup_counter
) -> None:
    handler = Handler.objects.get(contract=contract)
    response = login(administrator).post(
        reverse("outsourcing:operator_create", args=[contract.pk]),
        {"handler": handler.pk, "username": "admin", "branch": pickup_counter.pk},
    )
    assert response.status_code == 200
    assert "このユーザー名はすでに使われています" in response.content.decode()
    handler.refresh_from_db()
    assert handler.user is None


def test_contractor_change_via_the_page(login, privacy_officer, contract) -> None:
    new = make_contractor(name="株式会社新")
    response = login(privacy_officer).post(
        reverse("outsourcing:contractor_change", args=[contract.pk]),
        {"new_contractor": new.pk, "changed_on": TODAY.isoformat(), "reason": "契約更新時の入札"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.contractor == new
    assert ContractorChange.objects.filter(contract=contract).count() == 1


def test_end_step_via_the_page(login, privacy_officer, pickup_counter) -> None:
    contract = make_contract(branches=[pickup_counter], status=Contract.Status.ENDED)
    client = login(privacy_officer)
    bad = client.post(reverse("outsourcing:contract_end", args=[contract.pk]), {"data_disposition": "erased"})
    assert bad.status_code == 400
    assert "返還・消去を証明した者を入力してください。" in bad.content.decode()
    response = client.post(
        reverse("outsourcing:contract_end", args=[contract.pk]),
        {
            "data_disposition": "returned",
            "disposition_certified_by": "責任者 一郎",
            "disposition_certified_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.disposition_confirmed_by == privacy_officer
    assert "返還・消去の確認）が未了" not in client.get(reverse("outsourcing:contracts")).content.decode()


def test_create_and_edit_a_contractor(login, privacy_officer) -> None:
    client = login(privacy_officer)
    response = client.post(
        reverse("outsourcing:contractor_create"),
        {"name": "株式会社図書", "privacy_mark": "on", "privacy_mark_expires_on": TODAY.isoformat()},
    )
    assert response["Location"] == reverse("outsourcing:contractors")
    contractor = Contractor.objects.get(name="株式会社図書")
    client.post(reverse("outsourcing:contractor_edit", args=[contractor.pk]), {"name": "株式会社図書"})
    contractor.refresh_from_db()
    assert not contractor.privacy_mark and contractor.privacy_mark_expires_on is None


def test_contractor_with_mark_but_no_expiry_is_refused(login, privacy_officer) -> None:
    response = login(privacy_officer).post(
        reverse("outsourcing:contractor_create"), {"name": "株式会社図書", "privacy_mark": "on"}
    )
    assert "プライバシーマークの有効期限を入力してください。" in response.content.decode()
    assert not Contractor.objects.exists()


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_wrong_roles_cannot_name_the_handler_in_charge_or_close_accounts(login, persona, contract) -> None:
    user = make_operator(contract, "uketori")
    handler = Handler.objects.get(user=user)
    client = login(persona)
    assert (
        client.post(reverse("outsourcing:handler_in_charge", args=[contract.pk, handler.pk])).status_code
        == 403
    )
    assert (
        client.post(reverse("outsourcing:operator_close", args=[contract.pk, handler.pk])).status_code == 403
    )
    handler.refresh_from_db()
    user.refresh_from_db()
    assert not handler.in_charge and user.is_active


def test_anonymous_posts_are_sent_to_sign_in(client: Client, contract) -> None:
    handler = Handler.objects.get(contract=contract)
    for url in [
        *(reverse(name, args=[contract.pk]) for name in POST_STEPS),
        reverse("outsourcing:handler_in_charge", args=[contract.pk, handler.pk]),
        reverse("outsourcing:operator_close", args=[contract.pk, handler.pk]),
    ]:
        assert client.post(url)["Location"].startswith(LOGIN)


def test_administrator_closes_an_operator_account(login, administrator, contract) -> None:
    user = make_operator(contract, "uketori")
    handler = Handler.objects.get(user=user)
    response = login(administrator).post(
        reverse("outsourcing:operator_close", args=[contract.pk, handler.pk])
    )
    assert response["Location"] == reverse("outsourcing:contract_detail", args=[contract.pk])
    user.refresh_from_db()
    assert not user.is_active
