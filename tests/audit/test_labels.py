"""privacy_admin.audit.labels: the access log names actions and roles in the active language, and offers
every prefix group and action in its filter."""

from __future__ import annotations

from django.utils import translation

from privacy_admin.audit import labels


def test_an_action_is_named_by_its_label_and_an_unknown_code_by_nothing() -> None:
    assert labels.action_label("audit.view") == "アクセスログ閲覧"
    assert labels.action_label("no.such_action") == ""


def test_a_role_is_named_by_its_label_or_the_default() -> None:
    assert labels.role_label("privacy_officer") == "個人情報保護責任者"
    assert labels.role_label("no_such_role", default="？") == "？"


def test_the_filter_offers_the_groups_first_then_every_action() -> None:
    choices = labels.action_choices()
    codes = [code for code, _label in choices]
    assert codes.index("audit.") < codes.index("audit.view")
    assert set(labels.ACTION_LABELS) <= set(codes)
    assert dict(choices)["audit.purge"] == "保存期間経過ログの削除"


def test_labels_follow_the_active_language() -> None:
    with translation.override("en"):
        english = labels.action_label("audit.view")
    assert english and english != "アクセスログ閲覧"
