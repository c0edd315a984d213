"""A refused step on the request page, in Chromium: the errors are on screen and focused (issue 15).

Before, the page came back scrolled to the top with the error about 2,000 px below, inside a closed
<details>, and the focus on <body>: an officer could believe an extension was recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from disclosure_requests.models import PrivacyRequest
from tests.browser_helpers import browser_page, in_viewport, is_focused

from .request_helpers import receive, today  # noqa: F401

pytestmark = [
    pytest.mark.needs_browser,
    # serialized_rollback: the migrations' seed (the rule profiles) is back for each test.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("today"),
]


def test_a_refused_extension_shows_its_error_in_view_and_focused(
    live_server: Any, privacy_officer: Any
) -> None:
    pr = receive(privacy_officer)
    due_on = pr.due_on

    with browser_page(live_server, privacy_officer) as page:
        page.goto(reverse("requests:detail", args=[pr.pk]))
        page.locator("summary", has_text="期限の延長").click()
        page.fill("#id_extend-days", "16")
        page.fill("#id_extend-reason", "大量の請求")
        page.fill("#id_extend-notified_on", "2026-06-10")
        page.get_by_role("button", name="延長を記録する").click()
        page.wait_for_load_state("load")

        summary = page.locator("[data-error-summary]")
        summary.wait_for()
        page.wait_for_function("() => document.activeElement !== document.body")
        assert summary.get_attribute("role") == "alert"
        assert "延長できる日数は合計15日までです" in summary.inner_text()
        assert is_focused(summary)
        assert in_viewport(summary)
        # The failed step is open, and a link in the summary takes the focus to its field.
        assert page.locator("details:has([data-error-summary])").evaluate("d => d.open")
        page.evaluate("() => window.scrollTo(0, 0)")
        link = summary.locator("a").first
        if link.count():
            target = link.get_attribute("href")
            link.click()
            assert page.evaluate("() => '#' + document.activeElement.id") == target

    assert PrivacyRequest.objects.get(pk=pr.pk).due_on == due_on and not pr.extensions.exists()


def test_a_field_error_is_linked_from_the_summary(live_server: Any, privacy_officer: Any) -> None:
    pr = receive(privacy_officer)

    with browser_page(live_server, privacy_officer) as page:
        page.goto(reverse("requests:detail", args=[pr.pk]))
        page.locator("summary", has_text="期限の延長").click()
        page.fill("#id_extend-days", "")
        page.fill("#id_extend-notified_on", "2026-06-10")
        # The browser's own check would stop an empty required field: submit past it, as a server
        # refusal would come back.
        page.evaluate("() => document.querySelector('#id_extend-days').form.noValidate = true")
        page.get_by_role("button", name="延長を記録する").click()
        page.wait_for_load_state("load")

        summary = page.locator("[data-error-summary]")
        page.wait_for_function("() => document.activeElement !== document.body")
        assert is_focused(summary) and in_viewport(summary)
        link = summary.locator("a[href='#id_extend-days']")
        assert link.count() == 1
        page.evaluate("() => window.scrollTo(0, 0)")
        link.click()
        field = page.locator("#id_extend-days")
        assert is_focused(field) and in_viewport(field)
