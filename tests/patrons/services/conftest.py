from __future__ import annotations

import pytest


@pytest.fixture
def ready(central, general_category, counter_staff):
    return counter_staff
