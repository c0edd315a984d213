"""The English catalogue: complete, compiled, and picked up by requests that ask for English."""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from django.test import Client
from django.utils import translation

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def test_every_entry_is_translated() -> None:
    po = polib.pofile(str(LC_MESSAGES / "django.po"))
    assert len(po) > 0
    assert po.metadata["Language"] == "en"
    untranslated = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    assert untranslated == []


def test_mo_is_compiled_from_po() -> None:
    po = polib.pofile(str(LC_MESSAGES / "django.po"))
    mo = polib.mofile(str(LC_MESSAGES / "django.mo"))
    assert {e.msgid: e.msgstr for e in mo} == {e.msgid: e.msgstr for e in po.translated_entries()}


def test_gettext_follows_active_language() -> None:
    with translation.override("en"):
        assert translation.gettext("利用者検索") == "Patron search"
    with translation.override("ja"):
        assert translation.gettext("利用者検索") == "利用者検索"


@pytest.mark.django_db
def test_login_page_in_english_and_japanese(client: Client) -> None:
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Username" in english
    assert "ユーザー名" not in english
    japanese = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "ユーザー名" in japanese
    assert "Username" not in japanese
