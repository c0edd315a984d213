"""register.checks: ``manage.py check`` warns when the public page has no address to post to."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning
from django.core.management import call_command

from register.checks import check_public_office_address


def test_a_blank_office_address_is_a_warning_with_an_id(settings: Any) -> None:
    settings.LIBRARY_OFFICE_ADDRESS = "  "
    messages = check_public_office_address(None)
    assert [(type(m), m.id) for m in messages] == [(Warning, "register.W001")]
    assert "LIBRARY_OFFICE_ADDRESS" in messages[0].msg


def test_a_set_office_address_is_quiet(settings: Any) -> None:
    settings.LIBRARY_OFFICE_ADDRESS = "〒000-0000 あさひ市中央1-1"
    assert check_public_office_address(None) == []


def test_manage_py_check_reports_it(settings: Any, capsys: Any) -> None:
    settings.LIBRARY_OFFICE_ADDRESS = ""
    call_command("check")
    out = capsys.readouterr()
    assert "register.W001" in out.out + out.err
