"""Writes to the backup-media register (市川市 方針 第5(2)). Every write is audited in its own transaction.

The register holds media, never their contents: a label or a path, dates, a size, a hash and the
fingerprint of the public key a dump was encrypted to.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy_admin.audit.services import audit_record
from privacy_admin.core.actor import Actor, user_of
from privacy_admin.core.dates import today
from privacy_admin.core.errors import FieldErrors

from . import dump
from .models import BackupMedium

logger = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_RETENTION_DAYS = 3650


def default_retain_until(taken_at: dt.datetime) -> dt.date:
    return timezone.localdate(taken_at) + dt.timedelta(days=settings.BACKUP_RETENTION_DAYS)


def backup_medium_record(
    *,
    actor: Actor,
    medium: str,
    kind: str,
    taken_at: dt.datetime | None,
    retain_until: dt.date | None = None,
    size_bytes: int | None = None,
    sha256: str = "",
    recipient_fingerprint: str = "",
) -> BackupMedium:
    """市川市 方針 第5(2): record a medium that holds a copy of the database, with its retention.

    ``actor`` is the administrator who records a medium taken outside ``manage.py backup`` (a tape), or
    None for the command itself. The retention defaults to BACKUP_RETENTION_DAYS after the day it was
    taken, the period for which the erasure ledger is kept so that a restore can be replayed.
    """
    errors = FieldErrors()
    medium = (medium or "").strip()
    sha256 = (sha256 or "").strip().lower()
    recipient_fingerprint = (recipient_fingerprint or "").strip()
    if not medium:
        errors.add("medium", _("媒体（ファイルの場所またはラベル）を入力してください。"))
    elif len(medium) > 255:
        errors.add("medium", _("媒体は255文字以内で入力してください。"))
    if kind not in BackupMedium.Kind.values:
        errors.add("kind", _("媒体の種類を選んでください。"))
    now = timezone.now()
    if taken_at is None:
        errors.add("taken_at", _("取得日時を入力してください。"))
    elif taken_at > now + dt.timedelta(minutes=5):
        errors.add("taken_at", _("取得日時が未来になっています。"))
    if taken_at is not None and retain_until is None:
        retain_until = default_retain_until(taken_at)
    if taken_at is not None and retain_until is not None:
        taken_on = timezone.localdate(taken_at)
        if retain_until < taken_on:
            errors.add("retain_until", _("保管期限が取得日より前になっています。"))
        elif retain_until > taken_on + dt.timedelta(days=MAX_RETENTION_DAYS):
            errors.add("retain_until", _("保管期限は取得日から10年以内にしてください。"))
    if size_bytes is not None and size_bytes < 0:
        errors.add("size_bytes", _("大きさは0以上の整数で入力してください。"))
    if sha256 and not _SHA256.match(sha256):
        errors.add("sha256", _("SHA-256 は16進数64文字で入力してください。"))
    if len(recipient_fingerprint) > 255:
        errors.add("recipient_fingerprint", _("公開鍵の指紋は255文字以内で入力してください。"))
    errors.raise_if_any()
    assert taken_at is not None and retain_until is not None
    with transaction.atomic():
        record = BackupMedium.objects.create(
            medium=medium,
            kind=kind,
            taken_at=taken_at,
            retain_until=retain_until,
            size_bytes=size_bytes,
            sha256=sha256,
            recipient_fingerprint=recipient_fingerprint,
            created_by=user_of(actor) if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="backup.taken" if actor is None else "backup.medium_recorded",
            target_type="backup_medium",
            target_id=record.pk,
            detail={
                "kind": kind,
                "retain_until": retain_until.isoformat(),
                "size_bytes": size_bytes,
                "sha256_prefix": sha256[:16],
            },
        )
    return record


def backup_medium_destroy(
    *, actor: Actor, medium: BackupMedium, destroyed_on: dt.date | None, method: str
) -> BackupMedium:
    """市川市 方針 第5(2): record that a medium was destroyed, how, and that ``actor`` confirmed it.

    Tapes, disks and optical discs must be erased and then burnt or broken; an encrypted file may also be
    overwritten, or made unreadable by destroying its private key. A destruction, once recorded, stays.
    """
    errors = FieldErrors()
    if medium.destroyed_on is not None:
        errors.add("__all__", _("この媒体は既に廃棄済みとして記録されています。"))
        errors.raise_if_any()
    if destroyed_on is None:
        errors.add("destroyed_on", _("廃棄日を入力してください。"))
    elif destroyed_on > today():
        errors.add("destroyed_on", _("廃棄日が未来になっています。"))
    elif destroyed_on < timezone.localdate(medium.taken_at):
        errors.add("destroyed_on", _("廃棄日が取得日より前になっています。"))
    if method not in BackupMedium.DestructionMethod.values:
        errors.add("destruction_method", _("廃棄の方法を選んでください。"))
    elif medium.kind in BackupMedium.PHYSICAL_KINDS and method not in BackupMedium.PHYSICAL_METHODS:
        # 市川市 方針 第5(2): バックアップテープ等の媒体は、データ消去後に焼却または破壊して処分する。
        errors.add(
            "destruction_method",
            _(
                "テープ・ディスク等の媒体は、データを消去したうえで焼却または破壊して処分します（市川市 方針 第5(2)）。"
            ),
        )
    if not getattr(actor, "is_authenticated", False):
        errors.add("__all__", _("廃棄を確認した職員が分かりません。ログインしてから記録してください。"))
    errors.raise_if_any()
    assert destroyed_on is not None
    with transaction.atomic():
        # Lock and re-read: two administrators confirming at once record one destruction.
        locked = BackupMedium.objects.select_for_update().get(pk=medium.pk)
        if locked.destroyed_on is not None:
            raise ValidationError({"__all__": [_("この媒体は既に廃棄済みとして記録されています。")]})
        locked.destroyed_on = destroyed_on
        locked.destruction_method = method
        locked.confirmed_by = user_of(actor)
        locked.save(update_fields=["destroyed_on", "destruction_method", "confirmed_by"])
        audit_record(
            actor=actor,
            action="backup.medium_destroyed",
            target_type="backup_medium",
            target_id=locked.pk,
            detail={"kind": locked.kind, "method": method, "destroyed_on": destroyed_on.isoformat()},
        )
    return locked


def media_past_retention(*, on: dt.date | None = None) -> Any:
    """Media kept past their retention and not yet destroyed, the oldest first."""
    on = on or today()
    return BackupMedium.objects.filter(destroyed_on__isnull=True, retain_until__lt=on).order_by(
        "retain_until", "pk"
    )


def backup_media_check_retention(*, on: dt.date | None = None) -> int:
    """The daily reminder: log how many media are past their retention (counts only)."""
    count = media_past_retention(on=on).count()
    if count:
        logger.warning("backup media past retention: count=%d", count)
    else:
        logger.info("backup media past retention: count=0")
    return count


def backup_take(
    *,
    output_dir: Path | None = None,
    public_keys: list[str],
    retention_days: int | None = None,
    now: dt.datetime | None = None,
) -> BackupMedium:
    """Take an encrypted dump of the main database and record it in the register (市川市 方針 第5(2)).

    The dump is written first and the medium recorded after it, so a dump never contains its own row.
    If the record cannot be written, the file is removed: no medium exists that the register lacks.
    """
    now = now or timezone.now()
    directory = Path(output_dir or settings.BACKUP_DIR)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    result = dump.write_encrypted_dump(
        settings_dict=connections["default"].settings_dict,
        directory=directory,
        file_name=f"{dump.FILE_PREFIX}{stamp}{dump.FILE_SUFFIX}",
        public_keys=public_keys,
        pg_dump=settings.BACKUP_PG_DUMP,
    )
    days = settings.BACKUP_RETENTION_DAYS if retention_days is None else retention_days
    try:
        record = backup_medium_record(
            actor=None,
            medium=str(result.path.resolve()),
            kind=BackupMedium.Kind.ENCRYPTED_FILE,
            taken_at=now,
            retain_until=timezone.localdate(now) + dt.timedelta(days=days),
            size_bytes=result.size_bytes,
            sha256=result.sha256,
            recipient_fingerprint=result.recipient_fingerprint,
        )
    except BaseException:
        result.path.unlink(missing_ok=True)
        raise
    logger.info("backup taken: medium_id=%d size_bytes=%d", record.pk, result.size_bytes)
    return record
