"""The patron's journey in a real browser (Debian's Chromium through Playwright): sign in, reserve,
the item is made ready at the counter (services), opt in to the reading history, return at the
counter (service), read the returned title, delete it. Also: the error summary takes the focus."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections

from loans import services as loan_services
from loans.models import Reservation
from mypage.models import HistoryEntry
from tests.loans.factories import make_item
from tests.services_plugin import CHROMIUM

from .conftest import PATRON_PASSWORD

pytestmark = [pytest.mark.needs_browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server: Any, settings: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    settings.READING_HISTORY_AVAILABLE = True
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(
                base_url=live_server.url, locale="ja-JP", viewport={"width": 390, "height": 844}
            )
            yield context.new_page()
            browser.close()
            connections.close_all()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _sign_in(page: Any, card_number: str, password: str) -> None:
    page.goto("/my/login/")
    page.get_by_label("利用者番号").fill(card_number)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


def test_the_error_summary_takes_the_focus(page: Any, patron: Any) -> None:
    _sign_in(page, patron.card_number, "wrong-password-1")
    page.wait_for_selector("[role=alert]")
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"


def test_sign_in_reserve_ready_opt_in_return_read_delete(
    page: Any, patron: Any, central: Any, pickup_counter: Any, counter_staff: Any
) -> None:
    item = make_item(title="厚木の鮎とさがみの川", home_branch=central)
    _sign_in(page, patron.card_number, PATRON_PASSWORD)
    page.wait_for_selector("h1:has-text('マイページ')")

    page.get_by_role("link", name="資料を探して予約").first.click()
    page.get_by_label("書名").fill("鮎")
    page.get_by_role("button", name="探す").click()
    page.get_by_label("受取場所").select_option(pickup_counter.code)
    page.get_by_role("button", name="予約する").click()
    page.wait_for_selector("text=予約しました。")
    assert "東口受取窓口" in page.content()

    # At the counter: the item is captured at the pickup counter and put on the hold shelf.
    reservation = Reservation.objects.get(patron=patron)
    loan_services.reservation_capture(
        actor=counter_staff, barcode=item.barcode, branch_code=pickup_counter.code
    )
    reservation.refresh_from_db()
    if reservation.status != Reservation.Status.READY:
        loan_services.reservation_mark_ready(
            actor=counter_staff, reservation=reservation, branch_code=pickup_counter.code
        )
    page.goto("/my/")
    assert "取置中" in page.content() and "取置期限" in page.content()

    page.goto("/my/history/")
    assert "すべて消去されます" in page.content()
    page.get_by_label("パスワード（確認のため）").fill(PATRON_PASSWORD)
    page.get_by_label("上の説明を読み、読書記録を残すことに同意します").check()
    page.get_by_role("button", name="読書記録を始める").click()
    page.wait_for_selector("text=読書記録を始めました")

    # At the counter: handed over, then returned.
    loan_services.reservation_lend(
        actor=counter_staff,
        reservation=Reservation.objects.get(patron=patron),
        branch_code=pickup_counter.code,
    )
    loan_services.loan_return(actor=counter_staff, barcode=item.barcode, branch_code=central.code)
    assert HistoryEntry.objects.filter(patron=patron).count() == 1

    page.goto("/my/history/")
    assert "厚木の鮎とさがみの川" in page.content()
    page.get_by_role("button", name="この記録を削除").click()
    page.wait_for_selector("text=削除しました。")
    assert "厚木の鮎とさがみの川" not in page.content()
    assert not HistoryEntry.objects.filter(patron=patron).exists()
