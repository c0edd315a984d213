"""Every access-log action the account code writes has a Japanese label (privacy_admin.accounts.labels)."""

from __future__ import annotations

import pathlib
import re

from privacy_admin.accounts import labels


def test_every_account_action_has_a_japanese_label() -> None:
    root = pathlib.Path(labels.__file__).parent
    used: set[str] = set()
    for path in root.glob("*.py"):
        used |= set(re.findall(r'"(auth\.(?:password|otp)_[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert {"auth.password_changed", "auth.otp_enrolled", "auth.otp_failed", "auth.otp_removed"} <= used
    assert sorted(used - set(labels.ACTION_LABELS)) == []
