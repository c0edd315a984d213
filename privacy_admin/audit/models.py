"""The access log: append-only events, sealed after commit by an HMAC chain.

Writers only INSERT an ``AuditEvent`` in their own transaction; its ``seq`` comes from a database
sequence, so no writer ever waits for another. The sealer (``sealer.audit_seal_committed``) later
chains the committed events in ``seq`` order into ``AuditSeal`` rows: one per event, naming the
event sealed before it (``prev_seq``) and the seal ``hash`` = HMAC(key, previous hash | prev_seq |
the event's columns). Gaps in ``seq`` (a rolled-back transaction) are part of the chain: the next
seal names the event it follows. ``AuditSealState`` only remembers where the sealer is; nothing in
it is trusted by ``audit_verify``, which checks the chain against the sealed-head file and the
signed checkpoints kept outside the database.

On PostgreSQL, triggers (migration 0004) refuse UPDATE of events and seals, DELETE of any event
younger than the retention period fixed at migration time, DELETE of a seal whose event still exists,
and TRUNCATE.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy_admin.core.dataitems import DataItem, declare_personal_fields
from privacy_admin.core.register_entries import CONTRACTOR_OVERSIGHT, LIBRARY_USE


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    DENIED = "denied", _("拒否")
    FAILURE = "failure", _("失敗")


class AuditEvent(models.Model):
    # From a sequence (PostgreSQL: audit_next_seq(), which takes the transaction id first, so that
    # the sealer's horizon is exact; SQLite: AUTOINCREMENT under its single writer). Gaps are normal.
    seq = models.BigAutoField(primary_key=True)
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


class AuditSeal(models.Model):
    """The seal of one committed event, in the chain over ``seq`` order."""

    seq = models.BigIntegerField(primary_key=True)
    # The event sealed just before this one (0 for the first event ever; after a retention purge the
    # first remaining seal names a purged event, which the audit.purge event in the chain vouches for).
    prev_seq = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ログの封印")

    def __str__(self) -> str:
        return f"seal #{self.seq}"


class AuditSealState(models.Model):
    """One row: where the sealer stands. Bookkeeping only; verification never trusts it."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")
    # The horizon candidate of the previous run: the sequence's value, and the transactions of this
    # database that were running just after it was read. Once none of them is running, every seq up
    # to pending_seq is final (committed or rolled back).
    pending_seq = models.BigIntegerField(default=0)
    pending_xids = models.TextField(default="", blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("封印の進行状況")

    def __str__(self) -> str:
        return f"sealed through #{self.last_seq}"
