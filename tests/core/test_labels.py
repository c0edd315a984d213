"""privacy_admin.core.labels: the registry every app fills from its ``AppConfig.ready``, and the rule it
keeps — every action code written to the access log anywhere in the code has a label, so the log page
never shows a bare code (this is why the apps' ``labels.py`` dicts need no tests of their own)."""

from __future__ import annotations

import re
from pathlib import Path

from privacy_admin.audit import labels as audit_labels  # noqa: F401  (registers the audit app's own)
from privacy_admin.core import labels

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", ".tools", "tests", "migrations", "bench", "tools", "var"}


def test_every_action_written_has_a_label() -> None:
    written: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            written |= set(re.findall(r'\baction="([a-z_]+\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert {"circulation.lend", "patron.view", "audit.view"} <= written
    assert sorted(written - set(labels.ACTIONS)) == []


def test_register_adds_actions_and_groups(monkeypatch) -> None:
    monkeypatch.setattr(labels, "ACTIONS", {})
    monkeypatch.setattr(labels, "GROUPS", {})
    labels.register({"x.made": "作成"}, {"x.": "X（すべて）"})
    labels.register({"y.made": "作成"})
    assert labels.ACTIONS == {"x.made": "作成", "y.made": "作成"}
    assert labels.GROUPS == {"x.": "X（すべて）"}
