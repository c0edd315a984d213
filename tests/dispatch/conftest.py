from __future__ import annotations

import pytest

from tests.dispatch.helpers import RAN


@pytest.fixture(autouse=True)
def _clear_runs() -> None:
    RAN.clear()
