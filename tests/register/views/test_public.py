"""The public register and the 要綱 第49条 publication: no login, registered entries only, the request
forms as PDF, and no personal data."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from privacy_admin.core import register_entries as entries
from register.models import RegisterEntry
from register.services import entries as services
from register.views import public as public_views
from tests.factories import make_patron
from tests.register.factories import make_entry
from tests.register.helpers import days_ago, freeze_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def abolished(administrator: Any) -> RegisterEntry:
    entry = make_entry(name="終了したアンケート調査", registered_on=days_ago(30), starts_on=days_ago(30))
    return services.register_entry_abolish(
        actor=administrator, entry=entry, abolished_on=days_ago(1), reason="調査の終了"
    )


def _pdf_text(data: bytes) -> str:
    """The PDF's text without white space (pypdf breaks Japanese lines where the layout does)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


def test_the_public_list_needs_no_login_and_hides_abolished_entries(
    client: Any, abolished: RegisterEntry
) -> None:
    response = client.get(reverse("public_register:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "図書館資料の館内および館外利用等に関する業務" in page
    assert "終了したアンケート調査" not in page
    assert reverse("register_print:public_register_pdf") in page


def test_the_public_list_searches_name_purpose_and_department(client: Any) -> None:
    make_entry(
        name="団体貸出に関する事務",
        department="中央図書館 団体係",
        registered_on=days_ago(3),
        starts_on=days_ago(3),
    )
    page = client.get(reverse("public_register:list"), {"q": "団体係"}).content.decode()
    assert "団体貸出に関する事務" in page and "図書館資料の館内および館外利用等に関する業務" not in page
    page = client.get(reverse("public_register:list"), {"q": "苦情の申出"}).content.decode()
    assert "保有個人情報の開示・訂正・利用停止請求に関する事務" in page  # in its purpose


def test_the_public_detail_shows_the_items_and_changes_without_staff_names(
    client: Any, administrator: Any
) -> None:
    entry = RegisterEntry.objects.get(code=entries.LIBRARY_USE)
    services.register_entry_change(actor=administrator, entry=entry, reason="受取窓口の開設", sensitive=True)
    page = client.get(reverse("public_register:detail", args=[entry.pk])).content.decode()
    assert "個人情報取扱事務の目的" in page and entry.purpose in page
    assert "利用者番号" in page and "返却期限年月日" in page  # 記録項目 from the inventory
    assert "受取窓口の開設" in page and "要配慮個人情報の有無" in page
    assert administrator.get_username() not in page
    assert "patrons.Patron" not in page  # the code's field names are for staff


def test_an_abolished_or_unknown_entry_is_404(client: Any, abolished: RegisterEntry) -> None:
    assert client.get(reverse("public_register:detail", args=[abolished.pk])).status_code == 404
    assert client.get(reverse("public_register:detail", args=[999999])).status_code == 404


def test_public_pages_show_no_personal_data(client: Any, central: Any) -> None:
    patron = make_patron()
    pages = [
        client.get(reverse("public_register:list")).content.decode(),
        client.get(reverse("public_register:publication")).content.decode(),
    ]
    for page in pages:
        assert patron.family_name not in page and patron.card_number not in page


def test_the_publication_page_has_every_item_of_article_49(client: Any, settings: Any) -> None:
    settings.LIBRARY_OFFICE = "みどり市立図書館 管理係"
    settings.LIBRARY_APPEAL_AUTHORITY = "みどり市教育委員会"
    settings.LIBRARY_OFFICE_PHONE = "0120-000-000"
    response = client.get(reverse("public_register:publication"))
    assert response.status_code == 200
    page = response.content.decode()
    # (1) where to apply
    assert "みどり市立図書館 管理係" in page and "0120-000-000" in page
    # (2) the forms and how to apply
    for kind in ("disclosure", "correction", "suspension"):
        assert reverse("public_register:form_pdf", args=[kind]) in page
    assert "開示を受けた日から90日以内" in page and "開示は15日以内" in page
    # (3) identity: the configured documents and what a representative brings
    assert "運転免許証" in page and "個人番号カード" in page and "戸籍謄本" in page
    assert "学校の名簿" not in page  # bulk registration only
    # (4) fees
    assert "1枚10円" in page and "閲覧は無料" in page
    # (5) complaints and the supervising office
    assert "苦情の申出先" in page and "みどり市教育委員会" in page


def test_fees_follow_the_library_settings(client: Any, settings: Any) -> None:
    settings.PRIVACY_COPY_FEE_MONOCHROME_YEN = 20
    page = client.get(reverse("public_register:publication")).content.decode()
    assert "1枚20円" in page


@pytest.mark.parametrize(
    ("kind", "title", "words"),
    [
        ("disclosure", "保有個人情報開示請求書", ["請求する保有個人情報", "閲覧"]),
        ("correction", "保有個人情報訂正請求書", ["訂正を求める内容", "開示を受けた日"]),
        ("suspension", "保有個人情報利用停止請求書", ["求める措置", "消去", "提供の停止"]),
    ],
)
def test_request_forms_download_as_pdf(client: Any, kind: str, title: str, words: list[str]) -> None:
    public_views._form_pdf.cache_clear()
    response = client.get(reverse("public_register:form_pdf", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(response.content)
    assert title in text
    for word in [*words, "請求者の氏名", "本人確認書類", "運転免許証", "あさひ市立図書館長"]:
        assert word in text, word


def test_an_unknown_form_is_404(client: Any) -> None:
    assert client.get(reverse("public_register:form_pdf", args=["complaint"])).status_code == 404


def test_staff_see_the_public_pages_too(counter_staff: Any, login: Any) -> None:
    client = login(counter_staff)
    assert client.get(reverse("public_register:list")).status_code == 200
    assert client.get(reverse("public_register:publication")).status_code == 200


def test_public_pages_answer_get_only(client: Any) -> None:
    assert client.post(reverse("public_register:list")).status_code == 405


def test_the_complaints_section_gives_the_address_and_phone(client: Any, settings: Any) -> None:
    settings.LIBRARY_OFFICE_ADDRESS = "〒000-0000 みどり市中央1-1"
    settings.LIBRARY_OFFICE_PHONE = "0120-000-000"
    page = client.get(reverse("public_register:publication")).content.decode()
    complaints_section = page[page.index('id="complaints"') :]
    assert "〒000-0000 みどり市中央1-1" in complaints_section
    assert "0120-000-000" in complaints_section


def test_blank_contact_settings_leave_no_empty_lines(client: Any, settings: Any) -> None:
    settings.LIBRARY_OFFICE_ADDRESS = ""
    settings.LIBRARY_OFFICE_PHONE = ""
    page = client.get(reverse("public_register:publication")).content.decode()
    assert "所在地（郵送先）" not in page
    assert "<dt>電話</dt>" not in page
    assert "<dd></dd>" not in page and "（）" not in page
