"""privacy_admin.core.targets: the registry that names access-log targets and detail keys."""

from __future__ import annotations

from collections.abc import Collection

import pytest

from privacy_admin.core import targets


@pytest.fixture
def empty(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    monkeypatch.setattr(targets, "TARGETS", {})
    monkeypatch.setattr(targets, "DETAIL_LABELS", {})
    monkeypatch.setattr(targets, "DETAIL_VALUES", {})
    calls: list[set[str]] = []

    def shown(ids: Collection[str]) -> dict[str, str]:
        calls.append(set(ids))
        return {i: f"No.{i}" for i in ids if i != "9"}

    targets.register_target("thing", "もの", shown)
    targets.register_target("page", "画面")
    return calls


def test_one_resolver_call_per_kind_and_missing_ids_are_deleted(empty: list[set[str]]) -> None:
    found = targets.resolve_targets([("thing", "1"), ("thing", "2"), ("thing", "9"), ("thing", "1")])
    assert empty == [{"1", "2", "9"}]
    assert found[("thing", "1")] == targets.TargetText(kind="もの", record="No.1")
    assert found[("thing", "9")] == targets.TargetText(kind="もの", record="", deleted=True)


def test_a_kind_without_records_or_unregistered_never_shows_the_id(empty: list[set[str]]) -> None:
    found = targets.resolve_targets([("page", "42"), ("unknown", "7"), ("thing", "")])
    assert found[("page", "42")] == targets.TargetText(kind="画面", record="")
    assert found[("unknown", "7")] == targets.TargetText(kind="unknown", record="")
    assert found[("thing", "")].record == "" and empty == []


def test_detail_labels_and_value_codes_accumulate(empty: list[set[str]]) -> None:
    targets.register_detail({"a": "甲"}, values={"k": {"x": "エックス"}})
    targets.register_detail({"b": "乙"}, values={"k": {"y": "ワイ"}})
    assert targets.DETAIL_LABELS == {"a": "甲", "b": "乙"}
    assert targets.DETAIL_VALUES == {"k": {"x": "エックス", "y": "ワイ"}}
    assert targets.kind_choices() == [("thing", "もの"), ("page", "画面")]  # by label
    assert targets.kind_label("nope") == "nope"


def test_int_ids_keeps_only_integers() -> None:
    assert sorted(targets.int_ids(["3", "x", "", "-1", "9" * 30])) == [3]
