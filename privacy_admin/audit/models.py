"""The access log: append-only events sealed by an HMAC chain.

Each event stores ``prev_hash`` (the seal of the event before it) and ``hash`` (its own seal over
every column plus ``prev_hash``). ``ChainHead`` holds the newest seal so that removing the newest
events is noticed too, and the anchor left by the retention purge so that verification can start
after purged events. On PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002); the
retention purge is the one DELETE it lets through.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy_admin.dataitems import DataItem, declare_personal_fields
from privacy_admin.registry.entries import CONTRACTOR_OVERSIGHT, LIBRARY_USE


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    DENIED = "denied", _("拒否")
    FAILURE = "failure", _("失敗")


class AuditEvent(models.Model):
    # The chain position is the primary key: gapless, assigned under the chain head's row lock.
    seq = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField(_("日時"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("操作者ID"), max_length=150, blank=True)
    role = models.CharField(_("役割"), max_length=32, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(_("対象種別"), max_length=32, blank=True)
    target_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    # Whose personal data the event concerns (internal id, never a name or card number).
    patron_id = models.BigIntegerField(_("利用者内部ID"), null=True, blank=True)
    branch_code = models.CharField(_("館"), max_length=32, blank=True)
    outcome = models.CharField(_("結果"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    ip = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    request_id = models.CharField(_("リクエストID"), max_length=64, blank=True)
    detail = models.JSONField(_("詳細"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("アクセスログ")
        verbose_name_plural = _("アクセスログ")
        ordering = ["-seq"]
        indexes = [
            # Every filter of the log page is "X = ? ORDER BY seq DESC": (X, seq) serves it at 10M rows.
            models.Index(fields=["actor", "seq"], name="audit_actor_seq"),
            models.Index(fields=["patron_id", "seq"], name="audit_patron_seq"),
            models.Index(fields=["action", "seq"], name="audit_action_seq"),
            models.Index(fields=["occurred_at"], name="audit_occurred_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


# Whose record was seen or changed: the access log is part of the patron's processing (000 第3; the
# held-data package shows it to the patron).
declare_personal_fields("audit.AuditEvent", register_entry=LIBRARY_USE, patron_id=DataItem.ACCESS_LOG)
# Who did it: the operators' own records (002: 操作履歴は自動保存され、後日の確認を可能としている).
declare_personal_fields(
    "audit.AuditEvent",
    register_entry=CONTRACTOR_OVERSIGHT,
    actor=DataItem.ACCESS_LOG,
    actor_username=DataItem.ACCESS_LOG,
    ip=DataItem.ACCESS_LOG,
)


class ChainHead(models.Model):
    """One row: the newest seal, and where verification starts after a retention purge."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("ログ連鎖の先頭")

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
