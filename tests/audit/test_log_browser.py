"""The access-log page in a real browser (Debian's Chromium through Playwright) on the demo data: every
row stays short, the detail has room, and nothing breaks the Content-Security-Policy."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.test import Client

from tests.services_plugin import CHROMIUM

pytestmark = [pytest.mark.needs_browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MAX_ROW_PX = 120
MIN_DETAIL_PX = 200


@pytest.fixture
def page(live_server: Any, settings: Any) -> Iterator[tuple[Any, list[str]]]:
    from playwright.sync_api import sync_playwright

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", patrons=30, stdout=io.StringIO())
    client = Client()
    client.force_login(
        get_user_model().objects.get(username="officer"), backend="django.contrib.auth.backends.ModelBackend"
    )
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(
                base_url=live_server.url, locale="ja-JP", viewport={"width": 1366, "height": 900}
            )
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
            page = context.new_page()
            problems: list[str] = []
            page.on(
                "console",
                lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            yield page, problems
            browser.close()
            connections.close_all()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _measure(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => ({
            rows: [...document.querySelectorAll('table.audit-log tbody tr')].map(
                tr => Math.round(tr.getBoundingClientRect().height)),
            detail: Math.min(...[...document.querySelectorAll('tr.audit-detail td')].map(
                td => td.getBoundingClientRect().width)),
            details: document.querySelectorAll('.audit-detail-list dt').length,
        })"""
    )


def test_every_row_of_the_demo_log_is_short_and_the_detail_has_room(page: tuple[Any, list[str]]) -> None:
    browser, problems = page
    browser.goto("/audit/")
    seen = _measure(browser)
    assert len(seen["rows"]) == 100  # 50 events, each a main line and a detail line
    assert max(seen["rows"]) <= MAX_ROW_PX, seen["rows"]
    assert seen["detail"] >= MIN_DETAIL_PX
    text = browser.locator("table.audit-log").inner_text()
    assert "user " not in text and "central" not in text and "=" not in text

    # A filter by a group label (the select offers Japanese labels) shows rows with their detail.
    browser.select_option("#id_action", "patron.")
    browser.locator("form button.primary").click()
    browser.wait_for_load_state("networkidle")
    seen = _measure(browser)
    assert seen["rows"] and max(seen["rows"]) <= MAX_ROW_PX, seen["rows"]
    assert seen["detail"] >= MIN_DETAIL_PX
    assert problems == []
