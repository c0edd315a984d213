"""loans.labels: every circulation and notice action the app writes has a Japanese label."""

from __future__ import annotations

import pytest

from loans import services

pytestmark = pytest.mark.django_db


# --- access-log labels ------------------------------------------------------------------------------


def test_every_circulation_action_has_a_japanese_label() -> None:
    import pathlib
    import re

    from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS

    root = pathlib.Path(services.__file__).parent.parent  # loans/, with the services package
    used = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r'"((?:circulation|notice)\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert {"circulation.lend", "circulation.return", "circulation.reserve"} <= used
    assert sorted(used - set(ACTION_LABELS)) == []
    assert "circulation." in ACTION_GROUP_LABELS and "notice." in ACTION_GROUP_LABELS
