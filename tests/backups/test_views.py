"""The backup-media register page: administrators only; bad input changes nothing; the reminder shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backups import services
from backups.models import BackupMedium
from privacy_admin.audit.models import AuditEvent

from .conftest import make_medium

pytestmark = pytest.mark.django_db

REFUSED = ["counter_staff", "privacy_officer", "contractor_operator", "no_role_user"]


def _urls(medium: BackupMedium) -> list[str]:
    return [
        reverse("backups:list"),
        reverse("backups:record"),
        reverse("backups:destroy", kwargs={"pk": medium.pk}),
    ]


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
def test_other_roles_are_refused_and_the_refusal_logged(persona: Any, login: Any, kept_medium: Any) -> None:
    client = login(persona)
    for url in _urls(kept_medium):
        response = client.get(url)
        assert response.status_code == 403, url
    assert AuditEvent.objects.filter(action="access.denied", actor=persona).count() == 3


@pytest.mark.parametrize("persona", REFUSED, indirect=True)
def test_other_roles_cannot_record_or_destroy(persona: Any, login: Any, kept_medium: Any) -> None:
    client = login(persona)
    response = client.post(
        reverse("backups:destroy", kwargs={"pk": kept_medium.pk}),
        {"destroyed_on": services.today().isoformat(), "destruction_method": "overwrite"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("backups:record"),
        {"medium": "TAPE-9", "kind": "tape", "taken_at": "2026-01-05T02:00"},
    )
    assert response.status_code == 403
    kept_medium.refresh_from_db()
    assert kept_medium.destroyed_on is None
    assert BackupMedium.objects.count() == 1


def test_anonymous_is_sent_to_login_and_changes_nothing(client: Client, kept_medium: Any) -> None:
    for url in _urls(kept_medium):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(
        reverse("backups:destroy", kwargs={"pk": kept_medium.pk}),
        {"destroyed_on": services.today().isoformat(), "destruction_method": "overwrite"},
    )
    assert response.status_code == 302
    kept_medium.refresh_from_db()
    assert kept_medium.destroyed_on is None


def test_list_shows_each_status_and_warns_of_media_past_retention(
    administrator: Any, login: Any, kept_medium: Any, overdue_medium: Any, django_assert_max_num_queries: Any
) -> None:
    destroyed = make_medium(days_ago=60, medium="DISK-OLD-1", kind=BackupMedium.Kind.EXTERNAL_DISK)
    services.backup_medium_destroy(
        actor=administrator,
        medium=destroyed,
        destroyed_on=services.today(),
        method=BackupMedium.DestructionMethod.ERASE_AND_INCINERATE,
    )
    for i in range(20):
        make_medium(days_ago=i, medium=f"/srv/backups/extra-{i}.dump.age")
    client = login(administrator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("backups:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "保管期限を過ぎた媒体が1件あります" in html
    for text in ("保管中", "保管期限超過", "廃棄済み", "データ消去後に焼却", "TAPE-2026-007", "DISK-OLD-1"):
        assert text in html
    # The overdue medium comes first.
    assert html.index("TAPE-2026-007") < html.index("/srv/backups/kept.dump.age")


def test_list_filters_by_status(
    administrator: Any, login: Any, kept_medium: Any, overdue_medium: Any
) -> None:
    html = login(administrator).get(reverse("backups:list"), {"status": "overdue"}).content.decode()
    assert "TAPE-2026-007" in html
    assert "/srv/backups/kept.dump.age" not in html


def test_destroy_form_records_the_signed_in_administrator(
    administrator: Any, login: Any, overdue_medium: Any
) -> None:
    client = login(administrator)
    assert client.get(reverse("backups:destroy", kwargs={"pk": overdue_medium.pk})).status_code == 200
    response = client.post(
        reverse("backups:destroy", kwargs={"pk": overdue_medium.pk}),
        {"destroyed_on": services.today().isoformat(), "destruction_method": "erase_and_destroy"},
    )
    assert response.status_code == 302
    overdue_medium.refresh_from_db()
    assert overdue_medium.confirmed_by == administrator
    assert overdue_medium.destroyed_on == services.today()
    html = client.get(reverse("backups:list")).content.decode()
    assert "廃棄を記録しました" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"destroyed_on": "", "destruction_method": "erase_and_destroy"}, "廃棄日を入力してください"),
        ({"destroyed_on": "2026-02-30", "destruction_method": "erase_and_destroy"}, "存在しない日付"),
        ({"destroyed_on": "today", "destruction_method": "overwrite"}, "焼却または破壊"),
        ({"destroyed_on": "today", "destruction_method": ""}, "廃棄の方法を選んでください"),
        ({"destroyed_on": "tomorrow", "destruction_method": "erase_and_destroy"}, "未来"),
    ],
)
def test_destroy_form_refuses_bad_input_in_japanese_and_changes_nothing(
    administrator: Any, login: Any, overdue_medium: Any, data: dict[str, str], message: str
) -> None:
    dates = {"today": services.today(), "tomorrow": services.today() + dt.timedelta(days=1)}
    if data["destroyed_on"] in dates:
        data = {**data, "destroyed_on": dates[data["destroyed_on"]].isoformat()}
    response = login(administrator).post(reverse("backups:destroy", kwargs={"pk": overdue_medium.pk}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "入力内容を確認してください" in html
    overdue_medium.refresh_from_db()
    assert overdue_medium.destroyed_on is None
    assert not AuditEvent.objects.filter(action="backup.medium_destroyed").exists()


def test_destroyed_medium_cannot_be_destroyed_again(administrator: Any, login: Any, kept_medium: Any) -> None:
    services.backup_medium_destroy(
        actor=administrator,
        medium=kept_medium,
        destroyed_on=services.today(),
        method=BackupMedium.DestructionMethod.KEY_DESTRUCTION,
    )
    client = login(administrator)
    response = client.post(
        reverse("backups:destroy", kwargs={"pk": kept_medium.pk}),
        {"destroyed_on": services.today().isoformat(), "destruction_method": "overwrite"},
        follow=True,
    )
    assert "既に廃棄済み" in response.content.decode()
    kept_medium.refresh_from_db()
    assert kept_medium.destruction_method == BackupMedium.DestructionMethod.KEY_DESTRUCTION


def test_record_form_registers_a_tape_with_default_retention(
    administrator: Any, login: Any, settings: Any
) -> None:
    settings.BACKUP_RETENTION_DAYS = 35
    client = login(administrator)
    assert client.get(reverse("backups:record")).status_code == 200
    response = client.post(
        reverse("backups:record"),
        {"medium": "TAPE-2026-010", "kind": "tape", "taken_at": "2026-01-05T02:00", "retention_days": ""},
    )
    assert response.status_code == 302
    medium = BackupMedium.objects.get()
    assert medium.medium == "TAPE-2026-010"
    assert medium.retain_until == dt.date(2026, 2, 9)
    assert medium.created_by == administrator
    assert AuditEvent.objects.filter(action="backup.medium_recorded", actor=administrator).exists()


def test_record_form_uses_the_given_retention(administrator: Any, login: Any) -> None:
    login(administrator).post(
        reverse("backups:record"),
        {"medium": "DISK-3", "kind": "external_disk", "taken_at": "2026-01-05", "retention_days": "90"},
    )
    assert BackupMedium.objects.get().retain_until == dt.date(2026, 4, 5)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"medium": "", "kind": "tape", "taken_at": "2026-01-05T02:00"},
            "媒体（ファイルの場所またはラベル）を入力してください",
        ),
        ({"medium": "T-1", "kind": "", "taken_at": "2026-01-05T02:00"}, "媒体の種類を選んでください"),
        ({"medium": "T-1", "kind": "tape", "taken_at": ""}, "取得日時を入力してください"),
        ({"medium": "T-1", "kind": "tape", "taken_at": "2099-01-01T00:00"}, "取得日時が未来"),
        ({"medium": "T-1", "kind": "tape", "taken_at": "yesterday"}, "存在しない日付"),
        ({"medium": "T-1", "kind": "tape", "taken_at": "2026-01-05", "retention_days": "-3"}, "0以上"),
        ({"medium": "T-1", "kind": "tape", "taken_at": "2026-01-05", "sha256": "xyz"}, "16進数64文字"),
    ],
)
def test_record_form_refuses_bad_input_in_japanese_and_changes_nothing(
    administrator: Any, login: Any, data: dict[str, str], message: str
) -> None:
    response = login(administrator).post(reverse("backups:record"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BackupMedium.objects.exists()


def test_home_reminds_administrators_of_media_past_retention(
    administrator: Any, counter_staff: Any, login: Any, client: Client, overdue_medium: Any
) -> None:
    html = login(administrator).get(reverse("home")).content.decode()
    assert "保管期限超過 1件" in html
    assert reverse("backups:list") in html
    client.logout()
    html = login(counter_staff).get(reverse("home")).content.decode()
    assert "保管期限超過" not in html
    assert reverse("backups:list") not in html


def test_home_shows_no_alarm_when_nothing_is_overdue(
    administrator: Any, login: Any, kept_medium: Any
) -> None:
    html = login(administrator).get(reverse("home")).content.decode()
    assert "保管期限超過" not in html
    assert reverse("backups:list") in html
