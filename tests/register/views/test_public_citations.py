"""The public page (what the library makes known to the people whose data it holds), the register list
and the blank request forms cite the law of the rule profile in force — the Act's articles under the
個人情報の保護に関する法律 profile, the 山梨県 要綱's under that one — and never the other's."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from disclosure_requests.models import RuleProfile
from disclosure_requests.profiles import rule_profile_make_current
from register.views import public as public_views

pytestmark = pytest.mark.django_db

APPI = "個人情報の保護に関する法律"
YAMANASHI = "山梨県立図書館の個人情報の保護に関する要綱"


def _flat(text: str) -> str:
    return "".join(text.split())


def _pdf_text(data: bytes) -> str:
    return _flat("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def in_force(request: Any, administrator: Any) -> RuleProfile:
    return rule_profile_make_current(actor=administrator, profile=RuleProfile.objects.get(code=request.param))


@pytest.mark.parametrize("in_force", ["appi"], indirect=True)
def test_publication_cites_the_act_under_the_appi_profile(client: Any, in_force: RuleProfile) -> None:
    page = _flat(client.get(reverse("public_register:publication")).content.decode())
    assert f"（{APPI}第127条）" in page  # the first mention names the law
    assert "保有個人情報開示請求書</a>（法第77条第1項）" in page
    assert "（法第90条第3項・法第98条第3項）" in page  # the 90-day windows
    assert "（法第83条第1項・法第94条第1項・法第102条第1項）" in page  # the decision periods
    assert "（法第89条第2項）" in page and "（法第128条）" in page and "（法第76条第2項）" in page
    assert "開示は30日以内" in page
    for yamanashi_article in ("第49条", "第18条", "第28条", "第45条", "第24条", "第30条"):
        assert yamanashi_article not in page, yamanashi_article
    register_page = _flat(client.get(reverse("public_register:list")).content.decode())
    assert f"（{APPI}第75条第1項）" in register_page


@pytest.mark.parametrize("in_force", ["yamanashi-15"], indirect=True)
def test_publication_cites_the_yamanashi_rules_under_their_profile(
    client: Any, in_force: RuleProfile
) -> None:
    page = _flat(client.get(reverse("public_register:publication")).content.decode())
    assert f"（{YAMANASHI}第49条）" in page
    assert "（山梨県要綱第28条）" in page and "（山梨県要綱第45条）" in page
    assert "第127条" not in page and "第89条" not in page


@pytest.mark.parametrize(
    ("in_force", "kind", "article", "window"),
    [
        ("appi", "disclosure", f"{APPI}第77条第1項", ""),
        ("appi", "correction", f"{APPI}第91条第1項", "法第90条第3項"),
        ("appi", "suspension", f"{APPI}第99条第1項", "法第98条第3項"),
        ("yamanashi-15", "disclosure", f"{YAMANASHI}第18条第1項", ""),
        ("yamanashi-15", "correction", f"{YAMANASHI}第31条第1項", "山梨県要綱第30条第3項"),
        ("yamanashi-15", "suspension", f"{YAMANASHI}第38条第1項", "山梨県要綱第37条第3項"),
    ],
    indirect=["in_force"],
)
def test_blank_request_forms_cite_the_profile_in_force(
    client: Any, in_force: RuleProfile, kind: str, article: str, window: str
) -> None:
    public_views._form_pdf.cache_clear()
    text = _pdf_text(client.get(reverse("public_register:form_pdf", args=[kind])).content)
    assert f"{article}の規定により" in text
    if window:
        assert window in text
    if kind == "disclosure":
        assert ("（法第89条第2項）" if in_force.code == "appi" else "（山梨県要綱第28条）") in text


@pytest.mark.parametrize(
    ("in_force", "limited"), [("appi", False), ("yamanashi-15", True)], indirect=["in_force"]
)
def test_the_appointed_agent_note_follows_the_profile_in_force(
    client: Any, in_force: RuleProfile, limited: bool
) -> None:
    """山梨県 要綱 第17条第2項 admits a person's appointed agent only for 保有特定個人情報; 法第76条第2項 for any."""
    page = _flat(client.get(reverse("public_register:publication")).content.decode())
    assert "任意代理人（本人の委任による代理人）" in page
    assert "本人の委任状（" in page
    assert ("特定個人情報に限る" in page) is limited
