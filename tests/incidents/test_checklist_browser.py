"""The checklist of 規則 第43条 as the officer reads it in Chromium (issue 15): a line nobody has
answered reads 未確認, not 非該当, until the checklist is recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from incidents import services
from tests.browser_helpers import browser_page

from .helpers import frozen_now, record  # noqa: F401

pytestmark = [
    pytest.mark.needs_browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("frozen_now"),
]


def _lines(page: Any) -> dict[str, str]:
    """Each checklist line's label → its badge."""
    lines = page.locator("section[aria-labelledby='checklist'] ul.lines li")
    return {line.inner_text().split(" ", 1)[1]: line.locator(".badge").inner_text() for line in lines.all()}


def test_unanswered_lines_read_unconfirmed_until_the_checklist_is_recorded(
    live_server: Any, privacy_officer: Any
) -> None:
    incident = record(privacy_officer, people_count=5)
    url = reverse("incidents:detail", args=[incident.pk])

    with browser_page(live_server, privacy_officer) as page:
        page.goto(url)
        section = page.locator("section[aria-labelledby='checklist']")
        assert "チェックリストはまだ確認されていません" in section.inner_text()
        badges = _lines(page)
        assert [b for label, b in badges.items() if "要配慮" in label] == ["未確認"]
        assert [b for label, b in badges.items() if "財産的被害" in label] == ["未確認"]
        assert [b for label, b in badges.items() if "不正の目的" in label] == ["未確認"]
        # 100人超 is read from the number of people: known without the checklist.
        assert [b for label, b in badges.items() if "100人" in label] == ["非該当"]
        assert "報告対象の事態に当たらない" not in section.inner_text()
        assert "未確認" in section.locator("p", has_text="結果").inner_text()

        services.incident_set_triggers(
            actor=privacy_officer,
            incident=incident,
            involves_sensitive=True,
            financial_harm=False,
            wrongful_purpose=False,
        )
        page.goto(url)
        badges = _lines(page)
        assert [b for label, b in badges.items() if "要配慮" in label] == ["該当"]
        assert [b for label, b in badges.items() if "財産的被害" in label] == ["非該当"]
        assert [b for label, b in badges.items() if "不正の目的" in label] == ["非該当"]
        assert "未確認" not in page.locator("section[aria-labelledby='checklist']").inner_text()

        page.goto(reverse("incidents:list"))
        assert "該当" in page.locator("tr", has_text=incident.number).first.inner_text()


def test_the_list_says_unconfirmed_before_the_checklist(live_server: Any, privacy_officer: Any) -> None:
    incident = record(privacy_officer, people_count=5)

    with browser_page(live_server, privacy_officer) as page:
        page.goto(reverse("incidents:list"))
        row = page.locator("tr", has_text=incident.number).first
        assert "未確認" in row.inner_text() and "非該当" not in row.inner_text()
