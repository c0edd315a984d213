"""Fixtures and helpers shared by the rule-profile tests (profiles, the admin). Import the fixtures
(``*_fixture``) into a test module to use them."""

from __future__ import annotations

import pytest

from disclosure_requests.models import RuleProfile

RULES_URL = "/admin/disclosure_requests/ruleprofile/"
CLOSED_URL = "/admin/disclosure_requests/closedday/"


@pytest.fixture(name="yamanashi")
def yamanashi_fixture() -> RuleProfile:
    return RuleProfile.objects.get(code="yamanashi-15")


@pytest.fixture(name="appi")
def appi_fixture() -> RuleProfile:
    return RuleProfile.objects.get(code="appi")


def current_codes() -> list[str]:
    return list(RuleProfile.objects.filter(is_current=True).values_list("code", flat=True))


def put_in_force(code: str) -> RuleProfile:
    """Make the seeded profile ``code`` the one in force (a test's setup; the service needs an actor)."""
    RuleProfile.objects.update(is_current=False)
    RuleProfile.objects.filter(code=code).update(is_current=True)
    return RuleProfile.objects.get(code=code)
