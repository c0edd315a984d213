"""The page frame (templates/base.html) in Chromium, as a keyboard user and a reader of another
language meet it (issue 15): a skip link first, each language named in its own language."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.browser_helpers import browser_page, in_viewport, is_focused

pytestmark = [
    pytest.mark.needs_browser,
    # serialized_rollback: the migrations' seed (the rule profile the public page cites) is kept.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_first_tab_reaches_a_visible_skip_link_to_the_main_content(
    live_server: Any, settings: Any
) -> None:
    settings.LIBRARY_OFFICE_ADDRESS = "〒000-0000 あさひ市中央1-1"
    settings.LIBRARY_OFFICE_PHONE = "0120-000-000"
    with browser_page(live_server) as page:
        page.goto(reverse("public_register:publication"))
        skip = page.locator("a.skip-link")
        assert not in_viewport(skip) or skip.bounding_box()["x"] < 0  # hidden until focused

        page.keyboard.press("Tab")
        assert is_focused(skip) and skip.inner_text() == "本文へ移動"
        box = skip.bounding_box()
        assert box is not None and box["x"] >= 0 and box["y"] >= 0 and in_viewport(skip)

        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"

        # The complaints section gives the office's address and phone number (defect 6).
        complaints = page.locator("#complaints").inner_text()
        assert "〒000-0000 あさひ市中央1-1" in complaints and "0120-000-000" in complaints


def test_the_language_menu_names_each_language_in_its_own_language(live_server: Any) -> None:
    with browser_page(live_server) as page:
        page.goto(reverse("public_register:list"))
        options = page.locator("select[name=language] option").all_inner_texts()
        assert options == ["日本語", "English"]
        assert "英語" not in " ".join(options)
