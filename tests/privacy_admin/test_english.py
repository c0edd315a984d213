"""In English, the pages, the flash messages and the services' refusals contain no Japanese.

The rule for "outside data": what a page shows from the database is data, whatever its language (a
branch's or a patron's name, a master table seeded in Japanese by a migration). The check therefore
reads the page's visible text (no tags, attribute values, scripts or styles), removes every text value
stored in the database, and then expects no hiragana, katakana or kanji to be left.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, cast

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.utils import translation

from outsourcing import services as outsourcing_services
from privacy_admin.core.dates import format_date
from tests.factories import make_staff

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")


class _VisibleText(HTMLParser):
    """The text a reader sees: character data outside <script>, <style> and <template>, and outside
    elements marked ``translate="no"`` (HTML's own mark for text that must stay as it is, such as
    the Japanese names of public holidays that the calendar library gives)."""

    _VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []  # one entry per open element: is its text hidden?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._VOID:
            return
        hidden = tag in {"script", "style", "template"} or ("translate", "no") in attrs
        self._stack.append(hidden or (bool(self._stack) and self._stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self._stack and self._stack[-1]):
            self.parts.append(data)


def _stored_texts() -> list[str]:
    """Every Japanese text value in the database, longest first (data, not interface text)."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                if isinstance(value, str) and JAPANESE.search(value):
                    found.add(value.strip())
                    found.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(found, key=len, reverse=True)


def japanese_outside_data(page: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(page)
    text = html.unescape("\n".join(parser.parts))
    for value in _stored_texts():
        text = text.replace(value, " ")
    return sorted(set(JAPANESE.findall(text)))


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


_HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#?]*)"')
_SKIP = ("/accounts/logout", "/i18n/", "/static/", "/admin/", "/api/")


def _links(page: str) -> list[str]:
    return [h for h in _HREF.findall(page) if not h.startswith(_SKIP) and not h.endswith((".pdf", ".csv"))]


def _pages_linked_from_home(client: Client) -> Iterator[str]:
    """The pages of the navigation (linked from home) and the pages those link to: two clicks deep."""
    home = client.get("/")
    assert home.status_code == 200
    seen: set[str] = {"/"}
    for href in _links(home.content.decode()):
        if href in seen:
            continue
        seen.add(href)
        yield href
        response = client.get(href)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for deeper in _links(response.content.decode()):
            if deeper not in seen:
                seen.add(deeper)
                yield deeper


@pytest.fixture(autouse=True)
def _language_back_to_default() -> Iterator[None]:
    # A request leaves its language active in the thread: later tests expect the default (ja).
    yield
    translation.deactivate()


@pytest.fixture
def english_client(client: Client) -> Client:
    return _english(client)


def _ascii_branch():
    from tests.factories import make_branch

    return make_branch(code="central", name="Central Library")


ROLES = ["counter_staff", "privacy_officer", "administrator", "contractor_operator"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_main_pages_of_each_role_have_no_japanese_in_english(english_client: Client, role: str) -> None:
    user = make_staff(f"en-{role}", role, _ascii_branch())
    english_client.force_login(cast(Any, user), backend="django.contrib.auth.backends.ModelBackend")
    pages = ["/", *_pages_linked_from_home(english_client)]
    assert len(pages) > 1
    problems: dict[str, list[str]] = {}
    for url in pages:
        response = english_client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        left = japanese_outside_data(response.content.decode())
        if left:
            problems[url] = left
    assert not problems, "Japanese outside data:\n" + "\n".join(
        f"{u}: {' | '.join(w)}" for u, w in problems.items()
    )


@pytest.mark.django_db
def test_form_errors_and_flash_message_are_english(english_client: Client) -> None:
    admin = make_staff("en-admin", "administrator", _ascii_branch())
    english_client.force_login(cast(Any, admin), backend="django.contrib.auth.backends.ModelBackend")

    refused = english_client.post("/outsourcing/contractors/new/", {"name": ""})
    assert refused.status_code == 200
    assert japanese_outside_data(refused.content.decode()) == []

    done = english_client.post(
        "/outsourcing/contractors/new/", {"name": "Example Services Ltd."}, follow=True
    )
    assert done.status_code == 200
    page = done.content.decode()
    assert "Contractor “Example Services Ltd.” has been registered." in page
    assert japanese_outside_data(page) == []


@pytest.mark.django_db
def test_service_refusal_is_english_in_english(administrator) -> None:
    data = outsourcing_services.ContractorInput(name="")
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        outsourcing_services.contractor_create(actor=administrator, data=data)
    assert refusal.value.message_dict == {"name": ["Enter the contractor's name."]}
    with translation.override("ja"), pytest.raises(ValidationError) as japanese:
        outsourcing_services.contractor_create(actor=administrator, data=data)
    assert japanese.value.message_dict == {"name": ["委託先の名称を入力してください。"]}


def test_dates_in_messages_follow_the_language() -> None:
    day = dt.date(2026, 11, 21)
    with translation.override("en"):
        assert format_date(day) == "Nov. 21, 2026"
    with translation.override("ja"):
        assert format_date(day) in {"令和8年11月21日", "2026年11月21日"}


@pytest.mark.django_db
def test_api_errors_follow_the_request_language(client: Client) -> None:
    english = client.get("/api/v1/register/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404
    assert english.json() == {"detail": "Not found."}
    japanese = client.get("/api/v1/register/999999", HTTP_ACCEPT_LANGUAGE="ja")
    assert japanese.json() == {"detail": "見つかりません。"}


@pytest.mark.django_db
def test_patron_email_is_in_the_library_language_whoever_sends_it() -> None:
    from loans import notices
    from loans.models import Notice
    from tests.factories import make_patron

    patron = make_patron()
    items = [{"title": "Title", "due_on": dt.date(2026, 11, 20)}]
    with translation.override("en"):
        message = notices._email(
            patron,
            kind=Notice.Kind.OVERDUE,
            channel=Notice.Channel.EMAIL,
            items=items,
            on=dt.date(2026, 11, 21),
        )
    assert "返却期限を過ぎています" in message.body
    assert "返却期限を過ぎた資料があります" in message.subject
    assert "past their due date" not in message.body
