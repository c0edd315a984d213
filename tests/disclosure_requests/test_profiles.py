"""disclosure_requests.profiles — rule profiles (期限ルール) and the library calendar (their admin pages:
test_admin)."""

from __future__ import annotations

import datetime as dt

import pytest

from disclosure_requests.models import ClosedDay, RuleProfile
from disclosure_requests.profiles import (
    DAY_FIELDS,
    cite_in_force,
    current_profile,
    library_calendar,
    note_in_force,
    rule_profile_copy,
    rule_profile_make_current,
)
from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.calendar import Calendar

from .profile_helpers import appi_fixture, current_codes, yamanashi_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


# --- services ---------------------------------------------------------------------------------------


def test_seeded_yamanashi_profile_is_current() -> None:
    profile = current_profile()
    assert profile.code == "yamanashi-15"
    assert (profile.disclosure_days, profile.disclosure_extension_days) == (15, 15)


def test_current_profile_raises_when_none_is_current(yamanashi) -> None:
    RuleProfile.objects.update(is_current=False)
    with pytest.raises(RuleProfile.DoesNotExist):
        current_profile()


def test_cite_in_force_writes_the_profile_in_force_or_nothing(yamanashi, appi) -> None:
    assert cite_in_force("register_timing") == "山梨県 要綱第16条第2項"
    assert note_in_force("register_timing") == "（山梨県 要綱第16条第2項）"
    assert (
        cite_in_force("incident_board_report", short=False)
        == "山梨県立図書館の個人情報の保護に関する要綱第48条第1項"
    )
    RuleProfile.objects.update(is_current=False)
    RuleProfile.objects.filter(pk=appi.pk).update(is_current=True)
    assert cite_in_force("register_inspection") == "法第75条第1項"
    assert cite_in_force("register_timing") == "" and note_in_force("register_timing") == ""
    RuleProfile.objects.update(is_current=False)
    assert cite_in_force("register") == "" and note_in_force("register") == ""  # no profile chosen


def test_only_the_yamanashi_profile_limits_appointed_agents(yamanashi, appi) -> None:
    """山梨県 要綱 第17条第2項: an appointed agent only for 保有特定個人情報; 法第76条第2項: for any."""
    assert yamanashi.appointed_agent_specific_only and not appi.appointed_agent_specific_only
    template = RuleProfile.objects.get(code="ordinance-template")
    assert not template.appointed_agent_specific_only


def test_copy_gets_new_code_and_name_same_periods_and_is_not_current(administrator, yamanashi) -> None:
    copy = rule_profile_copy(actor=administrator, profile=yamanashi)
    assert copy.pk != yamanashi.pk
    assert copy.code == "yamanashi-15-copy"
    assert copy.name == f"{yamanashi.name}（複製）"
    assert copy.source == yamanashi.source
    assert not copy.is_current
    assert {f: getattr(copy, f) for f in DAY_FIELDS} == {f: getattr(yamanashi, f) for f in DAY_FIELDS}
    assert current_codes() == ["yamanashi-15"]
    event = AuditEvent.objects.get(action="rule_profile.copy")
    assert event.target_id == str(copy.pk)
    assert event.detail == {"code": "yamanashi-15-copy", "copied_from": "yamanashi-15"}


def test_copying_twice_gives_distinct_codes_and_names(administrator, appi) -> None:
    first = rule_profile_copy(actor=administrator, profile=appi)
    second = rule_profile_copy(actor=administrator, profile=appi)
    assert (first.code, second.code) == ("appi-copy", "appi-copy2")
    assert (first.name, second.name) == (f"{appi.name}（複製）", f"{appi.name}（複製2）")


def test_copy_of_a_long_code_stays_within_the_field(administrator, appi) -> None:
    appi.code = "a" * 32
    appi.save()
    copy = rule_profile_copy(actor=administrator, profile=appi)
    assert len(copy.code) <= 32
    assert copy.code.endswith("-copy")


def test_make_current_keeps_exactly_one_current(administrator, yamanashi, appi) -> None:
    rule_profile_make_current(actor=administrator, profile=appi)
    assert current_codes() == ["appi"]
    assert current_profile() == appi
    event = AuditEvent.objects.get(action="rule_profile.make_current")
    assert event.detail == {"code": "appi", "previous": "yamanashi-15"}

    copy = rule_profile_copy(actor=administrator, profile=yamanashi)
    rule_profile_make_current(actor=administrator, profile=copy)
    assert current_codes() == ["yamanashi-15-copy"]


def test_make_current_of_the_current_profile_changes_nothing(administrator, yamanashi) -> None:
    rule_profile_make_current(actor=administrator, profile=yamanashi)
    assert current_codes() == ["yamanashi-15"]
    assert not AuditEvent.objects.filter(action="rule_profile.make_current").exists()


def test_library_calendar_reads_closed_days() -> None:
    ClosedDay.objects.create(date=dt.date(2026, 4, 16), reason="館内整理日")
    ClosedDay.objects.create(date=dt.date(2027, 2, 10), reason="特別整理期間")
    calendar = library_calendar()
    assert isinstance(calendar, Calendar)
    assert calendar.library_closed == frozenset({dt.date(2026, 4, 16), dt.date(2027, 2, 10)})
    assert calendar.closed_reason(dt.date(2026, 4, 16)) == "休館日"
    assert calendar.next_open_day(dt.date(2026, 4, 16)) == dt.date(2026, 4, 17)


def test_library_calendar_for_given_years_reads_only_those() -> None:
    ClosedDay.objects.create(date=dt.date(2026, 4, 16), reason="館内整理日")
    ClosedDay.objects.create(date=dt.date(2027, 2, 10), reason="特別整理期間")
    assert library_calendar(years=[2027]).library_closed == frozenset({dt.date(2027, 2, 10)})
    assert library_calendar(years=range(2026, 2028)).library_closed == frozenset(
        {dt.date(2026, 4, 16), dt.date(2027, 2, 10)}
    )
    assert library_calendar(years=[]).library_closed == frozenset()


def test_audit_labels_name_the_profile_actions() -> None:
    assert ACTION_LABELS["rule_profile.copy"] == "期限ルールの複製"
    assert ACTION_LABELS["rule_profile.make_current"] == "適用する期限ルールの変更"
    assert "rule_profile." in ACTION_GROUP_LABELS


# Operators get a logged 404 for the whole admin (tests/outsourcing/test_scope_pages.py).
