"""A signed-in Chromium page for browser tests (Debian's Chromium through Playwright, ja-JP)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.test import Client

from tests.services_plugin import CHROMIUM


@contextmanager
def browser_page(live_server: Any, user: Any = None) -> Iterator[Any]:
    """A page on ``live_server``, signed in as ``user`` (anonymous when None)."""
    from playwright.sync_api import sync_playwright

    cookie = None
    if user is not None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(
                base_url=live_server.url, locale="ja-JP", viewport={"width": 1280, "height": 800}
            )
            if cookie is not None:
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


def in_viewport(locator: Any) -> bool:
    """The element's box lies (at least partly) within the visible part of the page."""
    return bool(
        locator.evaluate(
            "el => { const r = el.getBoundingClientRect();"
            " return r.height > 0 && r.bottom > 0 && r.top < window.innerHeight; }"
        )
    )


def is_focused(locator: Any) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))
