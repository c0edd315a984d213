"""The backup-media register's services: recording, destruction by 市川市 方針 第5(2), the reminder."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from backups import services
from backups.models import BackupMedium
from privacy_admin.audit.models import AuditEvent

from .conftest import make_medium

pytestmark = pytest.mark.django_db

Method = BackupMedium.DestructionMethod


def test_record_defaults_retention_to_setting_and_audits(administrator: Any, settings: Any) -> None:
    settings.BACKUP_RETENTION_DAYS = 35
    taken = timezone.now() - dt.timedelta(hours=1)
    medium = services.backup_medium_record(
        actor=administrator, medium=" TAPE-001 ", kind=BackupMedium.Kind.TAPE, taken_at=taken
    )
    assert medium.medium == "TAPE-001"
    assert medium.retain_until == timezone.localdate(taken) + dt.timedelta(days=35)
    assert medium.created_by == administrator
    event = AuditEvent.objects.get(action="backup.medium_recorded")
    assert event.target_id == str(medium.pk)
    assert event.actor == administrator
    assert event.detail["kind"] == "tape"


def test_record_by_the_command_is_a_system_event() -> None:
    medium = services.backup_medium_record(
        actor=None,
        medium="/srv/backups/a.dump.age",
        kind=BackupMedium.Kind.ENCRYPTED_FILE,
        taken_at=timezone.now(),
        size_bytes=10,
        sha256="a" * 64,
    )
    assert medium.created_by is None
    event = AuditEvent.objects.get(action="backup.taken")
    assert event.role == "system"
    assert event.detail["sha256_prefix"] == "a" * 16


def test_record_refuses_bad_input_in_japanese_and_writes_nothing(administrator: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.backup_medium_record(
            actor=administrator,
            medium="",
            kind="floppy",
            taken_at=timezone.now() + dt.timedelta(days=1),
            size_bytes=-1,
            sha256="not-a-hash",
        )
    errors = exc.value.message_dict
    assert set(errors) == {"medium", "kind", "taken_at", "size_bytes", "sha256"}
    assert "媒体" in errors["medium"][0]
    assert not BackupMedium.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="backup.").exists()


def test_record_refuses_retention_before_the_day_taken(administrator: Any) -> None:
    taken = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.backup_medium_record(
            actor=administrator,
            medium="TAPE-1",
            kind=BackupMedium.Kind.TAPE,
            taken_at=taken,
            retain_until=timezone.localdate(taken) - dt.timedelta(days=1),
        )
    assert "保管期限" in exc.value.message_dict["retain_until"][0]


def test_status_follows_retention_and_destruction(administrator: Any) -> None:
    today = services.today()
    medium = make_medium(days_ago=10, retain_days=35)
    assert medium.status_on(today) == BackupMedium.Status.KEPT
    assert medium.status_on(medium.retain_until) == BackupMedium.Status.KEPT
    assert medium.status_on(medium.retain_until + dt.timedelta(days=1)) == BackupMedium.Status.OVERDUE
    services.backup_medium_destroy(
        actor=administrator, medium=medium, destroyed_on=today, method=Method.OVERWRITE
    )
    medium.refresh_from_db()
    assert medium.status_on(today + dt.timedelta(days=100)) == BackupMedium.Status.DESTROYED


def test_destroy_records_date_method_and_confirming_administrator(
    administrator: Any, overdue_medium: Any
) -> None:
    today = services.today()
    services.backup_medium_destroy(
        actor=administrator, medium=overdue_medium, destroyed_on=today, method=Method.ERASE_AND_DESTROY
    )
    overdue_medium.refresh_from_db()
    assert overdue_medium.destroyed_on == today
    assert overdue_medium.destruction_method == Method.ERASE_AND_DESTROY
    assert overdue_medium.confirmed_by == administrator
    event = AuditEvent.objects.get(action="backup.medium_destroyed")
    assert event.detail == {"kind": "tape", "method": "erase_and_destroy", "destroyed_on": today.isoformat()}


@pytest.mark.parametrize("method", [Method.OVERWRITE, Method.KEY_DESTRUCTION])
def test_a_tape_must_be_erased_then_burnt_or_broken(
    administrator: Any, overdue_medium: Any, method: str
) -> None:
    # 市川市 方針 第5(2): バックアップテープ等の媒体は、データ消去後に焼却または破壊して処分する。
    with pytest.raises(ValidationError) as exc:
        services.backup_medium_destroy(
            actor=administrator, medium=overdue_medium, destroyed_on=services.today(), method=method
        )
    assert "焼却または破壊" in exc.value.message_dict["destruction_method"][0]
    overdue_medium.refresh_from_db()
    assert overdue_medium.destroyed_on is None


@pytest.mark.parametrize("method", list(Method))
def test_an_encrypted_file_may_be_destroyed_any_listed_way(
    administrator: Any, kept_medium: Any, method: str
) -> None:
    services.backup_medium_destroy(
        actor=administrator, medium=kept_medium, destroyed_on=services.today(), method=method
    )
    kept_medium.refresh_from_db()
    assert kept_medium.destruction_method == method


def test_destroy_refuses_bad_dates_unknown_method_and_twice(administrator: Any, kept_medium: Any) -> None:
    today = services.today()
    with pytest.raises(ValidationError) as exc:
        services.backup_medium_destroy(
            actor=administrator, medium=kept_medium, destroyed_on=today + dt.timedelta(days=1), method="shred"
        )
    assert set(exc.value.message_dict) == {"destroyed_on", "destruction_method"}
    with pytest.raises(ValidationError) as exc:
        services.backup_medium_destroy(
            actor=administrator,
            medium=kept_medium,
            destroyed_on=today - dt.timedelta(days=30),
            method=Method.OVERWRITE,
        )
    assert "取得日より前" in exc.value.message_dict["destroyed_on"][0]
    services.backup_medium_destroy(
        actor=administrator, medium=kept_medium, destroyed_on=today, method=Method.OVERWRITE
    )
    with pytest.raises(ValidationError) as exc:
        services.backup_medium_destroy(
            actor=administrator, medium=kept_medium, destroyed_on=today, method=Method.OVERWRITE
        )
    assert "既に廃棄済み" in exc.value.messages[0]
    assert AuditEvent.objects.filter(action="backup.medium_destroyed").count() == 1


def test_destroy_needs_a_signed_in_confirmer(kept_medium: Any) -> None:
    with pytest.raises(ValidationError):
        services.backup_medium_destroy(
            actor=None, medium=kept_medium, destroyed_on=services.today(), method=Method.OVERWRITE
        )
    kept_medium.refresh_from_db()
    assert kept_medium.destroyed_on is None


def test_database_refuses_a_half_recorded_destruction(kept_medium: Any) -> None:
    kept_medium.destroyed_on = services.today()
    with pytest.raises(IntegrityError), transaction.atomic():
        kept_medium.save()


def test_past_retention_lists_only_undestroyed_media_past_their_date(
    administrator: Any, kept_medium: Any, overdue_medium: Any
) -> None:
    destroyed = make_medium(days_ago=50)
    services.backup_medium_destroy(
        actor=administrator, medium=destroyed, destroyed_on=services.today(), method=Method.KEY_DESTRUCTION
    )
    assert list(services.media_past_retention()) == [overdue_medium]


def test_daily_check_logs_the_count_only(overdue_medium: Any, caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger="backups.services"):
        assert services.backup_media_check_retention() == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "backups.services"]
    assert messages == ["backup media past retention: count=1"]
    assert overdue_medium.medium not in caplog.text
