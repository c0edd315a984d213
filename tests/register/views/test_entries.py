"""The register pages for staff: who may use them, and that administrators register, change and abolish
entries in the browser with clear messages for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from privacy_admin.audit.models import AuditEvent
from privacy_admin.core import register_entries as entries
from register.models import RegisterEntry
from register.services import entries as services
from tests.disclosure_requests.profile_helpers import put_in_force
from tests.register.factories import make_entry
from tests.register.helpers import days_ago, freeze_today, snapshot  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def _form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "複写サービスに関する事務",
        "purpose": "著作権法第31条による複製の目的を把握するため",
        "department": "中央図書館 奉仕係",
        "subjects": "複写を申し込んだ者",
        "extra_items": ["copy_request", "name"],
        "collection_sources": ["person"],
        "retention_period": "1年",
        "request_office": "中央図書館 管理係",
        "registered_on": days_ago(2).isoformat(),
        "starts_on": days_ago(1).isoformat(),
    }
    values.update(overrides)
    return values


@pytest.fixture
def entry() -> RegisterEntry:
    return make_entry(registered_on=days_ago(30), starts_on=days_ago(30))


def _urls(pk: int) -> dict[str, str]:
    return {
        "list": reverse("registry:list"),
        "detail": reverse("registry:detail", args=[pk]),
        "inventory": reverse("registry:inventory"),
        "create": reverse("registry:create"),
        "change": reverse("registry:change", args=[pk]),
        "abolish": reverse("registry:abolish", args=[pk]),
    }


# --- who may use the pages -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Any, entry: RegisterEntry) -> None:
    for url in _urls(entry.pk).values():
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("persona", ["counter_staff", "contractor_operator", "no_role_user"], indirect=True)
def test_other_roles_are_refused_and_logged(persona: Any, login: Any, entry: RegisterEntry) -> None:
    client = login(persona)
    for url in _urls(entry.pk).values():
        assert client.get(url).status_code == 403, url
    assert client.post(_urls(entry.pk)["create"], _form()).status_code == 403
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == 7
    assert RegisterEntry.objects.filter(name="複写サービスに関する事務").count() == 0


def test_privacy_officers_read_but_do_not_write(
    privacy_officer: Any, login: Any, entry: RegisterEntry
) -> None:
    client = login(privacy_officer)
    urls = _urls(entry.pk)
    for name in ("list", "detail", "inventory"):
        assert client.get(urls[name]).status_code == 200, name
    for name in ("create", "change", "abolish"):
        assert client.get(urls[name]).status_code == 403, name
    before = snapshot()
    assert client.post(urls["create"], _form()).status_code == 403
    assert client.post(urls["abolish"], {"abolished_on": days_ago(1), "reason": "終了"}).status_code == 403
    # Only the refusals were logged.
    assert snapshot()[:2] == before[:2]
    list_page = client.get(urls["list"]).content.decode()
    assert reverse("registry:create") not in list_page


# --- list and detail -------------------------------------------------------------------------------


def test_list_filters_by_status_and_searches(
    administrator: Any, login: Any, entry: RegisterEntry, django_assert_max_num_queries: Any
) -> None:
    abolished = make_entry(name="廃止した調査", registered_on=days_ago(30), starts_on=days_ago(30))
    services.register_entry_abolish(
        actor=administrator, entry=abolished, abolished_on=days_ago(1), reason="終了"
    )
    client = login(administrator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("registry:list")).content.decode()
    assert "図書館資料の館内および館外利用等に関する業務" in page and "廃止した調査" in page
    page = client.get(reverse("registry:list"), {"status": "abolished"}).content.decode()
    assert "廃止した調査" in page and "図書館資料の館内および館外利用等に関する業務" not in page
    page = client.get(reverse("registry:list"), {"q": "開示 訂正"}).content.decode()
    assert "保有個人情報の開示・訂正・利用停止請求に関する事務" in page
    assert "図書館資料の館内および館外利用等に関する業務" not in page
    page = client.get(reverse("registry:list"), {"status": "nonsense", "page": "x"}).content.decode()
    assert "廃止した調査" in page


def test_detail_shows_every_item_record_items_links_and_history(administrator: Any, login: Any) -> None:
    core = RegisterEntry.objects.get(code=entries.LIBRARY_USE)
    services.register_entry_change(
        actor=administrator,
        entry=core,
        reason="受取窓口の開設",
        sensitive=True,
        regular_recipients="なし（変更）",
    )
    page = login(administrator).get(reverse("registry:detail", args=[core.pk])).content.decode()
    for label in (
        "個人情報取扱事務の名称",
        "個人情報取扱事務の目的",
        "所管する組織の名称",
        "対象者の範囲",
        "記録項目",
        "収集先",
        "外部委託の有無",
        "オンライン結合の有無",
        "要配慮個人情報の有無",
        "経常的提供先",
        "保存期間",
        "請求を受け付ける組織",
        "登録日",
        "変更日",
        "廃止日",
    ):
        assert label in page, label
    # 記録項目 from the field inventory.
    assert "利用者番号" in page and "返却期限年月日" in page and "patrons.Patron.card_number" in page
    # The change history with who, why and the difference.
    assert "受取窓口の開設" in page and administrator.get_username() in page
    assert "なし（変更）" in page and "要配慮個人情報の有無" in page
    assert reverse("register_print:entry_pdf", args=[core.pk]) in page
    assert reverse("register_print:index") in page
    assert reverse("registry:change", args=[core.pk]) in page


def test_unknown_entry_is_404(administrator: Any, login: Any) -> None:
    client = login(administrator)
    assert client.get(reverse("registry:detail", args=[999999])).status_code == 404
    assert client.get(reverse("registry:change", args=[999999])).status_code == 404


# --- writes ----------------------------------------------------------------------------------------


def test_administrator_registers_an_entry(administrator: Any, login: Any) -> None:
    client = login(administrator)
    assert client.get(reverse("registry:create")).status_code == 200
    response = client.post(reverse("registry:create"), _form(), follow=True)
    entry = RegisterEntry.objects.get(name="複写サービスに関する事務")
    assert response.redirect_chain[-1][0] == reverse("registry:detail", args=[entry.pk])
    assert f"第{entry.number}号「複写サービスに関する事務」を登録しました。" in response.content.decode()
    assert entry.extra_items == ["name", "copy_request"] and entry.starts_on == days_ago(1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_on": days_ago(3).isoformat()}, "事務の開始日は登録日以後の日付にしてください"),
        ({"purpose": ""}, "個人情報取扱事務の目的を入力してください（山梨県 要綱第16条第1項）。"),
        ({"collection_sources": []}, "収集先を1つ以上選んでください"),
        ({"extra_items": ["nonsense"]}, "候補にありません"),
        ({"starts_on": "2026-13-45"}, "日付"),
    ],
)
def test_bad_registration_shows_the_message_and_changes_nothing(
    administrator: Any, login: Any, overrides: dict[str, Any], message: str
) -> None:
    client = login(administrator)
    before = snapshot()
    response = client.post(reverse("registry:create"), _form(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "登録・変更はまだ行われていません" in page
    assert snapshot() == before


def test_administrator_changes_an_entry_with_a_reason(
    administrator: Any, login: Any, entry: RegisterEntry
) -> None:
    client = login(administrator)
    form_page = client.get(reverse("registry:change", args=[entry.pk])).content.decode()
    assert entry.purpose in form_page
    # The entry is named by its 登録番号, not by its internal code (entry-14).
    assert f"登録番号 第{entry.number}号" in form_page and entry.code not in form_page
    values = _form(name=entry.name, starts_on=entry.starts_on.isoformat(), reason="目的の明確化")
    values.pop("registered_on")
    response = client.post(reverse("registry:change", args=[entry.pk]), values, follow=True)
    assert "の変更を登録しました。" in response.content.decode()
    entry.refresh_from_db()
    assert entry.purpose == "著作権法第31条による複製の目的を把握するため"
    assert entry.history.first().history_change_reason == "目的の明確化"


def test_a_change_without_a_reason_shows_the_message_and_changes_nothing(
    administrator: Any, login: Any, entry: RegisterEntry
) -> None:
    values = _form(name=entry.name, starts_on=entry.starts_on.isoformat(), reason="")
    client = login(administrator)
    before = snapshot()
    response = client.post(reverse("registry:change", args=[entry.pk]), values)
    assert "変更の理由を入力してください。" in response.content.decode()
    assert snapshot() == before


def test_administrator_abolishes_an_entry(administrator: Any, login: Any, entry: RegisterEntry) -> None:
    client = login(administrator)
    assert client.get(reverse("registry:abolish", args=[entry.pk])).status_code == 200
    response = client.post(
        reverse("registry:abolish", args=[entry.pk]),
        {"abolished_on": days_ago(1).isoformat(), "reason": "事務の終了"},
        follow=True,
    )
    assert "を廃止し、登録を抹消しました。" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.ABOLISHED
    # An abolished entry can no longer be changed or abolished from the pages.
    for name in ("change", "abolish"):
        response = client.get(reverse(f"registry:{name}", args=[entry.pk]))
        assert response.status_code == 302


def test_abolition_before_registration_shows_the_message_and_changes_nothing(
    administrator: Any, login: Any, entry: RegisterEntry
) -> None:
    client = login(administrator)
    before = snapshot()
    response = client.post(
        reverse("registry:abolish", args=[entry.pk]),
        {"abolished_on": days_ago(31).isoformat(), "reason": "終了"},
    )
    assert "廃止日は登録日" in response.content.decode()
    assert snapshot() == before


def test_abolition_page_says_why_an_entry_in_use_cannot_be_abolished(administrator: Any, login: Any) -> None:
    core = RegisterEntry.objects.get(code=entries.PRIVACY_REQUESTS)
    page = login(administrator).get(reverse("registry:abolish", args=[core.pk])).content.decode()
    assert "まだ廃止できません。" in page and "disclosure_requests.PrivacyRequest" in page


def test_inventory_page_lists_declared_and_excused_fields(privacy_officer: Any, login: Any) -> None:
    page = login(privacy_officer).get(reverse("registry:inventory")).content.decode()
    assert "patrons.Patron.birth_date" in page and "生年月日" in page
    assert "patrons.Branch.name" in page and "館・受取窓口の名称" in page


def test_the_admin_shows_entries_and_their_history_read_only(administrator: Any, login: Any) -> None:
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client = login(administrator)
    core = RegisterEntry.objects.get(code=entries.LIBRARY_USE)
    services.register_entry_change(actor=administrator, entry=core, reason="受取窓口の開設", sensitive=True)
    assert client.get("/admin/register/registerentry/").status_code == 200
    assert client.get(f"/admin/register/registerentry/{core.pk}/change/").status_code == 200
    history = client.get(f"/admin/register/registerentry/{core.pk}/history/")
    assert history.status_code == 200 and "受取窓口の開設" in history.content.decode()
    assert client.get("/admin/register/registerentry/add/").status_code == 403
    before = snapshot()
    client.post(f"/admin/register/registerentry/{core.pk}/change/", {"name": "書き換え"})
    assert snapshot()[:2] == before[:2]


def test_the_detail_names_the_entry_by_number_not_code(administrator: Any, login: Any) -> None:
    entry = RegisterEntry.objects.get(code=entries.LIBRARY_USE)
    page = login(administrator).get(reverse("registry:detail", args=[entry.pk])).content.decode()
    assert f"第{entry.number}号" in page
    assert "<dt>コード</dt>" not in page and f">{entry.code}<" not in page


# --- the law the pages cite ------------------------------------------------------------------------------


def _pages_text(client: Any, entry: RegisterEntry) -> str:
    urls = _urls(entry.pk)
    return "".join(
        client.get(urls[name]).content.decode() for name in ("list", "detail", "create", "change", "abolish")
    )


def test_register_pages_cite_the_yamanashi_articles_under_that_profile(
    administrator: Any, login: Any, entry: RegisterEntry
) -> None:
    put_in_force("yamanashi-15")
    text = _pages_text(login(administrator), entry)
    for cited in ("（山梨県 要綱第16条）", "（山梨県 要綱第16条第2項）", "（山梨県 要綱第16条第2項後段）"):
        assert cited in text, cited
    assert "（山梨県 要綱第16条第4項）" in text and "（山梨県 要綱第16条第1項）" in text


def test_register_pages_cite_the_act_and_no_yamanashi_article_under_the_appi_profile(
    administrator: Any, login: Any, entry: RegisterEntry
) -> None:
    put_in_force("appi")
    text = _pages_text(login(administrator), entry)
    assert "（法第75条第1項）" in text  # the 個人情報ファイル簿 and its items
    assert "要綱" not in text and "第16条" not in text
    # The Act sets no "register before it starts" rule for a local body: the sentence stands uncited.
    assert "個人情報を取り扱う事務を開始する前に登録します。" in text


def test_register_messages_cite_the_profile_in_force(administrator: Any, login: Any) -> None:
    client = login(administrator)
    bad = _form(name="", starts_on=days_ago(3).isoformat())
    put_in_force("appi")
    page = client.post(reverse("registry:create"), bad).content.decode()
    assert (
        "事務の名称を入力してください（法第75条第1項）。" in page
        or "を入力してください（法第75条第1項）。" in page
    )
    assert "事務の開始日は登録日以後の日付にしてください（事務は開始する前に登録します）。" in page
    put_in_force("yamanashi-15")
    page = client.post(reverse("registry:create"), bad).content.decode()
    assert "を入力してください（山梨県 要綱第16条第1項）。" in page
    assert (
        "事務の開始日は登録日以後の日付にしてください（山梨県 要綱第16条第2項: 事務を開始しようとするときに登録）。"
        in page
    )
    assert not RegisterEntry.objects.filter(name="").exists()
