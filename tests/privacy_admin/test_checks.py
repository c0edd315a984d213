from __future__ import annotations

from unittest import mock

from privacy_admin import checks


def test_warns_when_no_japanese_font() -> None:
    with mock.patch.object(checks, "japanese_font_available", return_value=False):
        messages = checks.check_japanese_font(None)
    assert [m.id for m in messages] == ["privacy_admin.W001"]


def test_silent_when_a_japanese_font_is_installed() -> None:
    with mock.patch.object(checks, "japanese_font_available", return_value=True):
        assert checks.check_japanese_font(None) == []
