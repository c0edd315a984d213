"""Incidents: a leak, loss or damage of personal information, or the risk of it (山梨県 要綱 第48条; APPI art. 68).

The table was created by the former ``registry`` app and adopted by this app's migration 0001.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from privacy_admin.core.dataitems import declare_not_personal
from register.models import RegisterEntry


class Incident(models.Model):
    """A leak, loss or damage of personal information, or the risk of it (山梨県 要綱 第48条; APPI art. 68)."""

    class Kind(models.TextChoices):
        LEAK = "leak", _("漏えい")
        LOSS = "loss", _("滅失")
        DAMAGE = "damage", _("き損")
        RISK = "risk", _("漏えい等のおそれ")

    class Status(models.TextChoices):
        OPEN = "open", _("対応中")
        CLOSED = "closed", _("完了")

    number = models.CharField(_("事案番号"), max_length=32, unique=True)
    title = models.CharField(_("件名"), max_length=200)
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.OPEN)
    discovered_at = models.DateTimeField(_("発覚日時"))
    discovered_by = models.CharField(_("発見者"), max_length=100)
    occurred_at = models.DateTimeField(_("発生日時"), null=True, blank=True)
    data_items = models.JSONField(_("個人情報の項目"), default=list, blank=True)  # DataItem values
    other_items = models.CharField(_("その他の項目"), max_length=200, blank=True)
    register_entries = models.ManyToManyField(
        RegisterEntry, verbose_name=_("関係する登録簿の事務"), blank=True, related_name="incidents"
    )
    people_count = models.PositiveIntegerField(_("本人の数"))
    place = models.CharField(_("発生場所"), max_length=200)
    circumstances = models.TextField(_("発生状況"))
    first_measures = models.TextField(_("応急措置"), blank=True)
    # 第48条: 直ちに教育委員会に報告
    board_reported_at = models.DateTimeField(_("教育委員会への第一報の日時"), null=True, blank=True)
    board_reported_by = models.CharField(_("第一報の報告者"), max_length=100, blank=True)
    # 第48条: 報告書及び今後の対処方針
    written_report_on = models.DateField(_("報告書の提出日"), null=True, blank=True)
    cause = models.TextField(_("原因"), blank=True)
    prevention_plan = models.TextField(_("再発防止策・今後の対処方針"), blank=True)
    # APPI art. 68 / 施行規則 第43条 triggers
    involves_sensitive = models.BooleanField(_("要配慮個人情報を含む"), default=False)
    financial_harm = models.BooleanField(_("財産的被害が生じるおそれ"), default=False)
    wrongful_purpose = models.BooleanField(_("不正の目的によるおそれ（不正アクセス等）"), default=False)
    # more than 100 people is read from people_count
    # When the checklist above was last recorded (incidents.incident_set_triggers); None: not yet.
    checklist_confirmed_at = models.DateTimeField(_("チェックリストの最終確認日時"), null=True, blank=True)
    commission_first_report_at = models.DateTimeField(
        _("個人情報保護委員会への速報の日時"), null=True, blank=True
    )
    commission_final_report_on = models.DateField(_("個人情報保護委員会への確報の日"), null=True, blank=True)
    persons_notified_on = models.DateField(_("本人への通知の日"), null=True, blank=True)
    persons_notice_method = models.CharField(_("本人への通知の方法"), max_length=200, blank=True)
    closed_on = models.DateField(_("完了日"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(verbose_name=_("事案の変更履歴"), excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("漏えい等事案")
        verbose_name_plural = _("漏えい等事案")
        ordering = ["-discovered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False), name="incident_closed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def more_than_100(self) -> bool:
        return self.people_count > 100

    @property
    def reportable(self) -> bool:
        """APPI art. 68: any trigger met opens the report to the Commission and the notice to each person."""
        return self.involves_sensitive or self.financial_harm or self.wrongful_purpose or self.more_than_100


declare_not_personal(
    "incidents.Incident",
    reason="事案を発見・報告した職員の氏名（職務の遂行に係る記録。本人は事案の記録の対象者ではない）",
    fields=("discovered_by", "board_reported_by"),
)

__all__ = ["Incident"]
