"""The backup-media register (市川市 方針 第5(2)): every medium that holds a copy of the database, when it
was taken, how long it is kept, and when, how and by whom it was destroyed.

A row describes a medium, never its contents: no patron, no item, no title. The medium's label is what
is written on the tape or the path of the encrypted file.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupMedium(models.Model):
    class Kind(models.TextChoices):
        ENCRYPTED_FILE = "encrypted_file", _("暗号化ダンプファイル")
        EXTERNAL_DISK = "external_disk", _("外付けディスク")
        TAPE = "tape", _("バックアップテープ")
        OPTICAL = "optical", _("光ディスク")
        OTHER = "other", _("その他")

    class DestructionMethod(models.TextChoices):
        # 市川市 方針 第5(2): バックアップテープ等の媒体は、データ消去後に焼却または破壊して処分する。
        ERASE_AND_DESTROY = "erase_and_destroy", _("データ消去後に物理破壊")
        ERASE_AND_INCINERATE = "erase_and_incinerate", _("データ消去後に焼却")
        OVERWRITE = "overwrite", _("消去ソフトによる上書き")
        KEY_DESTRUCTION = "key_destruction", _("暗号鍵の廃棄")

    class Status(models.TextChoices):
        KEPT = "kept", _("保管中")
        OVERDUE = "overdue", _("保管期限超過")
        DESTROYED = "destroyed", _("廃棄済み")

    # Media that can be carried away; the policy asks for erasure and then burning or breaking.
    PHYSICAL_KINDS = frozenset({Kind.EXTERNAL_DISK, Kind.TAPE, Kind.OPTICAL})
    PHYSICAL_METHODS = frozenset(
        {DestructionMethod.ERASE_AND_DESTROY, DestructionMethod.ERASE_AND_INCINERATE}
    )

    medium = models.CharField(
        _("媒体"), max_length=255, help_text=_("ファイルの場所、またはテープ・ディスクのラベル")
    )
    kind = models.CharField(_("種類"), max_length=32, choices=Kind.choices)
    taken_at = models.DateTimeField(_("取得日時"))
    size_bytes = models.BigIntegerField(_("大きさ（バイト）"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256（暗号化後）"), max_length=64, blank=True)
    recipient_fingerprint = models.CharField(_("暗号化に使った公開鍵の指紋"), max_length=255, blank=True)
    retain_until = models.DateField(_("保管期限"))
    destroyed_on = models.DateField(_("廃棄日"), null=True, blank=True)
    destruction_method = models.CharField(
        _("廃棄の方法"), max_length=32, choices=DestructionMethod.choices, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("廃棄の確認者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空欄は manage.py backup による記録"),
    )
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("バックアップ媒体")
        verbose_name_plural = _("バックアップ媒体")
        ordering = ("-taken_at", "-pk")
        indexes = [models.Index(fields=["destroyed_on", "retain_until"], name="backups_pending_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    destroyed_on__isnull=True, destruction_method="", confirmed_by__isnull=True
                )
                | (
                    models.Q(destroyed_on__isnull=False, confirmed_by__isnull=False)
                    & ~models.Q(destruction_method="")
                ),
                name="backups_destruction_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.medium}"

    def status_on(self, today: dt.date) -> str:
        if self.destroyed_on is not None:
            return self.Status.DESTROYED
        if self.retain_until < today:
            return self.Status.OVERDUE
        return self.Status.KEPT
