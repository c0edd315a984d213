"""The counter pages in a real browser (Debian's Chromium through Playwright): a keyboard-wedge
scanner types a number and Enter; the field must be empty and focused again for the next scan."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from loans import services
from loans.models import Loan
from tests.factories import make_patron
from tests.services_plugin import CHROMIUM

from .factories import make_item

pytestmark = [pytest.mark.needs_browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server: Any, counter_staff: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(counter_staff, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            # Japanese is the product language; a headless browser would otherwise ask for en-US.
            context = browser.new_context(base_url=live_server.url, locale="ja-JP")
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
            yield context.new_page()
            browser.close()
            # ORM calls made while Playwright's loop ran have their own connection: close it, or the
            # test database cannot be dropped at the end of the run.
            connections.close_all()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def scan(page: Any, value: str) -> None:
    page.keyboard.type(value)
    page.keyboard.press("Enter")


def test_scanning_a_card_then_items_lends_them_and_keeps_the_field_ready(
    page, central, general_category
) -> None:
    patron = make_patron(
        registered_branch=central,
        category=general_category,
        family_name="高橋",
        expires_on=services.today() + dt.timedelta(days=300),
    )
    first = make_item(home_branch=central, title="川べりの四季")
    second = make_item(home_branch=central, title="星を数える夜")

    page.goto("/circulation/")
    assert page.evaluate("() => typeof window.htmx") == "object"
    field = page.locator("#id_scan")
    assert field.evaluate("el => el === document.activeElement")
    scan(page, patron.card_number)
    page.wait_for_selector("text=貸出中の資料はありません。")
    assert page.locator("#scan-prompt").inner_text() == "資料番号（貸し出す資料）"
    assert field.input_value() == ""
    assert field.evaluate("el => el === document.activeElement")
    body = page.content()
    assert "****" + patron.card_number[-4:] in body
    assert patron.card_number not in body and "高橋" not in body

    scan(page, first.barcode)
    scan(page, second.barcode)  # the second scan is queued behind the first
    page.wait_for_selector("td:has-text('星を数える夜')")
    page.wait_for_selector("td:has-text('川べりの四季')")
    assert field.input_value() == ""
    assert field.evaluate("el => el === document.activeElement")
    assert Loan.objects.filter(patron=patron).count() == 2
    assert page.url.endswith("/circulation/")  # nothing was put into the address


def test_returns_are_listed_newest_first(page, central, general_category) -> None:
    patron = make_patron(
        registered_branch=central,
        category=general_category,
        expires_on=services.today() + dt.timedelta(days=300),
    )
    items = [make_item(home_branch=central, title=t) for t in ("朝の詩集", "夕暮れの詩集")]
    for item in items:
        services.loan_lend(
            actor=None, card_number=patron.card_number, barcode=item.barcode, branch_code="central"
        )

    page.goto("/circulation/return/")
    for item in items:
        scan(page, item.barcode)
        page.wait_for_selector(f"#counter-result li:has-text('{item.title}')")
    entries = page.locator("#counter-result li")
    assert entries.count() == 2  # each answer was added to the list: htmx, not a page reload
    assert "夕暮れの詩集" in entries.nth(0).inner_text()
    assert "棚へ" in entries.nth(0).inner_text()
    assert page.locator("#id_scan").input_value() == ""
    assert not Loan.objects.exists()

    scan(page, items[0].barcode)  # not on loan any more: the refusal is shown too
    page.wait_for_selector("#counter-result li.ng")
    assert "貸出中ではありません" in page.locator("#counter-result li").nth(0).inner_text()
