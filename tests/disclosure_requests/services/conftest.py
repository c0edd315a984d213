"""Fixtures shared by the tests of each stage of ``disclosure_requests.services``."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def officer(privacy_officer: Any) -> Any:
    return privacy_officer
