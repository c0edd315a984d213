"""disclosure_requests.admin — the rule profiles and closed days in the admin: administrators only;
copying a profile, switching the current one (exactly one), the seeded and in-use periods locked, the
current and seeded profiles kept. Requests are not in the admin."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib import admin

from disclosure_requests.models import ClosedDay, PrivacyRequest, RuleProfile
from disclosure_requests.profiles import library_calendar, rule_profile_copy
from privacy_admin.audit.models import AuditEvent

from .profile_helpers import CLOSED_URL, RULES_URL, appi_fixture, current_codes, yamanashi_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(administrator, login):
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    return login(administrator)


def test_rule_profile_and_closed_day_are_in_the_admin() -> None:
    assert RuleProfile in admin.site._registry
    assert ClosedDay in admin.site._registry
    assert PrivacyRequest not in admin.site._registry


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
    # The citations field is a JSON textarea: a browser posts its text.
    data |= {
        "name": "厚木市 個人情報保護法施行条例（開示14日）",
        "disclosure_days": 14,
        "citations": json.dumps(copy.citations, ensure_ascii=False),
    }
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
