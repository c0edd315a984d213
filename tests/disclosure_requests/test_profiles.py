"""Rule profiles (期限ルール), the library calendar, and their admin pages (administrators only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin

from disclosure_requests.models import ClosedDay, PrivacyRequest, RuleProfile
from disclosure_requests.profiles import (
    DAY_FIELDS,
    current_profile,
    library_calendar,
    rule_profile_copy,
    rule_profile_make_current,
)
from privacy_admin.audit.labels import ACTION_GROUP_LABELS, ACTION_LABELS
from privacy_admin.audit.models import AuditEvent
from privacy_admin.core.calendar import Calendar

pytestmark = pytest.mark.django_db

RULES_URL = "/admin/disclosure_requests/ruleprofile/"
CLOSED_URL = "/admin/disclosure_requests/closedday/"


@pytest.fixture
def yamanashi() -> RuleProfile:
    return RuleProfile.objects.get(code="yamanashi-15")


@pytest.fixture
def appi() -> RuleProfile:
    return RuleProfile.objects.get(code="appi")


@pytest.fixture
def admin_client(administrator, login):
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    return login(administrator)


def current_codes() -> list[str]:
    return list(RuleProfile.objects.filter(is_current=True).values_list("code", flat=True))


# --- services ---------------------------------------------------------------------------------------


def test_seeded_yamanashi_profile_is_current() -> None:
    profile = current_profile()
    assert profile.code == "yamanashi-15"
    assert (profile.disclosure_days, profile.disclosure_extension_days) == (15, 15)


def test_current_profile_raises_when_none_is_current(yamanashi) -> None:
    RuleProfile.objects.update(is_current=False)
    with pytest.raises(RuleProfile.DoesNotExist):
        current_profile()


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


# --- admin --------------------------------------------------------------------------------------------


def test_rule_profile_and_closed_day_are_in_the_admin() -> None:
    assert RuleProfile in admin.site._registry
    assert ClosedDay in admin.site._registry
    assert PrivacyRequest not in admin.site._registry


# Operators get a logged 404 for the whole admin (tests/outsourcing/test_scope_pages.py).
@pytest.mark.parametrize("persona", ["counter_staff", "privacy_officer", "no_role_user"], indirect=True)
@pytest.mark.parametrize("url", [RULES_URL, CLOSED_URL, f"{CLOSED_URL}add/"])
def test_profile_admin_refuses_every_role_but_administrator(persona, login, url) -> None:
    persona.is_staff = True  # even a wrongly flagged account does not get in
    persona.save()
    response = login(persona).get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_administrator_sees_profiles_with_their_day_counts(admin_client, yamanashi) -> None:
    response = admin_client.get(RULES_URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert yamanashi.name in body
    assert "選択した期限ルールを複製" in body
    assert "開示決定期限（日）" in body


def test_administrator_sees_closed_days(admin_client) -> None:
    ClosedDay.objects.create(date=dt.date(2026, 4, 16), reason="館内整理日")
    response = admin_client.get(CLOSED_URL)
    assert response.status_code == 200
    assert "館内整理日" in response.content.decode()


def test_administrator_adds_a_closed_day(admin_client) -> None:
    response = admin_client.post(f"{CLOSED_URL}add/", {"date": "2026-04-16", "reason": "館内整理日"})
    assert response.status_code == 302
    assert library_calendar(years=[2026]).library_closed == frozenset({dt.date(2026, 4, 16)})


def test_copy_action_copies_the_selected_profile(admin_client, yamanashi) -> None:
    response = admin_client.post(
        RULES_URL, {"action": "copy_profiles", "_selected_action": [yamanashi.pk]}, follow=True
    )
    assert response.status_code == 200
    copy = RuleProfile.objects.get(code="yamanashi-15-copy")
    assert not copy.is_current
    assert "複製しました" in response.content.decode()
    assert AuditEvent.objects.filter(action="rule_profile.copy", actor__isnull=False).count() == 1


def test_make_current_action_switches_the_profile(admin_client, appi) -> None:
    admin_client.post(RULES_URL, {"action": "make_current", "_selected_action": [appi.pk]})
    assert current_codes() == ["appi"]


def test_make_current_action_with_two_profiles_changes_nothing(admin_client, yamanashi, appi) -> None:
    response = admin_client.post(
        RULES_URL, {"action": "make_current", "_selected_action": [yamanashi.pk, appi.pk]}, follow=True
    )
    assert "1つだけ選んでください" in response.content.decode()
    assert current_codes() == ["yamanashi-15"]


def test_copy_can_be_edited_but_seeded_periods_cannot(admin_client, administrator, yamanashi) -> None:
    model_admin = admin.site._registry[RuleProfile]
    request = admin_client.get(RULES_URL).wsgi_request
    assert "disclosure_days" in model_admin.get_readonly_fields(request, yamanashi)
    assert "is_current" in model_admin.get_readonly_fields(request, yamanashi)

    copy = rule_profile_copy(actor=administrator, profile=yamanashi)
    assert set(model_admin.get_readonly_fields(request, copy)) == {"is_current"}
    form = admin_client.get(f"{RULES_URL}{copy.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields}
    data |= {"name": "厚木市 個人情報保護法施行条例（開示14日）", "disclosure_days": 14}
    response = admin_client.post(f"{RULES_URL}{copy.pk}/change/", data)
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.disclosure_days == 14
    assert not copy.is_current


def test_periods_of_a_profile_in_use_are_locked(admin_client, administrator, yamanashi) -> None:
    copy = rule_profile_copy(actor=administrator, profile=yamanashi)
    PrivacyRequest.objects.create(
        kind="disclosure",
        number="R8-0001",
        profile=copy,
        received_on=dt.date(2026, 4, 1),
        requester_name="山田太郎",
        identity_document_type="運転免許証",
        information_requested="利用者登録情報",
        due_on=dt.date(2026, 4, 16),
    )
    request = admin_client.get(RULES_URL).wsgi_request
    assert "disclosure_days" in admin.site._registry[RuleProfile].get_readonly_fields(request, copy)


def test_current_and_seeded_profiles_cannot_be_deleted(admin_client, administrator, yamanashi, appi) -> None:
    model_admin = admin.site._registry[RuleProfile]
    request = admin_client.get(RULES_URL).wsgi_request
    assert not model_admin.has_delete_permission(request, yamanashi)
    assert not model_admin.has_delete_permission(request, appi)
    copy = rule_profile_copy(actor=administrator, profile=appi)
    assert model_admin.has_delete_permission(request, copy)
