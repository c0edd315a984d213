"""Contractors, contracts, operator accounts and their oversight (domain.md §6; 002, 004; 要綱 第11条).

A contract is *in force* only when its council procedure is recorded, all 16 特記事項 are agreed, a
handler in charge is named and every operator has had privacy training (``outsourcing.gate``). Until
then its operators cannot sign in (002: 個人情報の保護措置が取られていない場合には、事務処理を進めていけない).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from privacy_admin.core.dataitems import DataItem, declare_not_personal, declare_personal_fields
from privacy_admin.core.register_entries import CONTRACTOR_OVERSIGHT


class Clause(models.TextChoices):
    """The 16 特記事項 of 004 (新宿区 個人情報の取扱いに関する特記事項), in their order."""

    BASIC = "basic", _("基本的事項")
    SECRECY = "secrecy", _("秘密の保持")
    PROPER_COLLECTION = "proper_collection", _("適正収集")
    DIRECT_COLLECTION = "direct_collection", _("本人収集及び利用目的の明示")
    FORBIDDEN_COLLECTION = "forbidden_collection", _("収集禁止事項")
    NO_OTHER_USE = "no_other_use", _("目的外利用及び第三者への提供等の禁止")
    PROPER_MANAGEMENT = "proper_management", _("適正な管理")
    NO_COPYING = "no_copying", _("複写等の禁止")
    NO_SUBCONTRACTING = "no_subcontracting", _("再委託の禁止")
    RETURN = "return", _("資料等の返還等")
    REPORTING = "reporting", _("業務に関する報告")
    AUDIT = "audit", _("監査")
    TRAINING = "training", _("従業員に対する教育")
    INCIDENT_REPORT = "incident_report", _("事故発生時等における報告")
    PUBLICATION = "publication", _("公表")
    DAMAGES = "damages", _("損害の賠償")


class Contractor(models.Model):
    name = models.CharField(_("委託先の名称"), max_length=200, unique=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    representative = models.CharField(_("代表者"), max_length=100, blank=True)
    privacy_mark = models.BooleanField(_("プライバシーマーク取得"), default=False)
    privacy_mark_number = models.CharField(_("プライバシーマーク登録番号"), max_length=32, blank=True)
    privacy_mark_expires_on = models.DateField(_("プライバシーマーク有効期限"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("委託先の変更履歴"))

    class Meta:
        verbose_name = _("委託先")
        verbose_name_plural = _("委託先")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    class Procedure(models.TextChoices):
        CONSULTATION = "consultation", _("審議会への諮問（承認）")
        REPORT = "report", _("審議会への報告")
        PRE_APPROVAL = "pre_approval", _("事前一括承認基準への該当（個人情報保護担当と確認）")

    class Status(models.TextChoices):
        DRAFT = "draft", _("手続中")
        ENDED = "ended", _("終了")

    number = models.CharField(_("契約番号"), max_length=32, unique=True)
    title = models.CharField(_("業務名"), max_length=200)
    contractor = models.ForeignKey(
        Contractor, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("委託先")
    )
    purpose = models.TextField(_("委託の目的・内容"))
    data_items = models.JSONField(_("取り扱う個人情報の項目"), default=list)  # DataItem values
    branches = models.ManyToManyField(
        "patrons.Branch", verbose_name=_("対象の館・受取窓口・学校"), related_name="contracts"
    )
    starts_on = models.DateField(_("契約開始日"))
    ends_on = models.DateField(_("契約終了日"))
    online_connection = models.BooleanField(_("電算結合（オンライン結合）"), default=False)
    register_entry = models.ForeignKey(
        "register.RegisterEntry",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("登録簿の事務"),
    )
    # Council procedure (002, 要綱 第11条)
    procedure = models.CharField(_("審議会の手続"), max_length=16, choices=Procedure.choices, blank=True)
    consultation_number = models.CharField(_("諮問番号"), max_length=32, blank=True)
    approved_on = models.DateField(_("承認日"), null=True, blank=True)
    reported_on = models.DateField(_("報告日"), null=True, blank=True)
    pre_approval_category = models.CharField(_("事前一括承認基準の類型"), max_length=200, blank=True)
    pre_approval_confirmed_on = models.DateField(_("個人情報保護担当との確認日"), null=True, blank=True)
    pre_approval_confirmed_by = models.CharField(_("確認した担当者"), max_length=100, blank=True)
    # Periodic review (002: 既に承認されていても見直しをする)
    review_due_on = models.DateField(_("次回見直し期限"))
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Contract end (004 特記事項10: 資料等の返還等)
    closed_at = models.DateTimeField(_("アカウント停止日時"), null=True, blank=True)
    data_disposition = models.CharField(
        _("資料の処置"),
        max_length=16,
        choices=[("returned", _("返還")), ("erased", _("消去・廃棄"))],
        blank=True,
    )
    disposition_certified_by = models.CharField(_("証明者"), max_length=100, blank=True)
    disposition_certified_on = models.DateField(_("証明日"), null=True, blank=True)
    disposition_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確認した職員"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("契約の変更履歴"), m2m_fields=[branches])

    class Meta:
        verbose_name = _("委託契約")
        verbose_name_plural = _("委託契約")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="contract_period"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ClauseAgreement(models.Model):
    """One 特記事項 recorded as agreed in the contract (004)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="clauses")
    clause = models.CharField(_("特記事項"), max_length=32, choices=Clause.choices)
    agreed_on = models.DateField(_("合意日"))

    class Meta:
        verbose_name = _("特記事項の合意")
        verbose_name_plural = _("特記事項の合意")
        constraints = [
            models.UniqueConstraint(fields=["contract", "clause"], name="clause_once_per_contract")
        ]

    def __str__(self) -> str:
        return self.get_clause_display()


class Handler(models.Model):
    """A named handler (取扱者) of the contract; one is the handler in charge (取扱責任者, 004)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="handlers")
    name = models.CharField(_("氏名"), max_length=100)
    in_charge = models.BooleanField(_("取扱責任者"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operator_handler",
        verbose_name=_("操作員アカウント"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("取扱者の変更履歴"))

    class Meta:
        verbose_name = _("取扱者")
        verbose_name_plural = _("取扱者")
        ordering = ["-in_charge", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"], condition=Q(in_charge=True), name="one_handler_in_charge"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContractorChange(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="contractor_changes")
    previous = models.ForeignKey(
        Contractor, on_delete=models.PROTECT, related_name="+", verbose_name=_("変更前")
    )
    new = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="+", verbose_name=_("変更後"))
    changed_on = models.DateField(_("変更日"))
    reason = models.TextField(_("理由"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("委託先の変更")
        verbose_name_plural = _("委託先の変更")
        ordering = ["-changed_on"]

    def __str__(self) -> str:
        return f"{self.previous} → {self.new}"


class TrainingSession(models.Model):
    class Provider(models.TextChoices):
        LIBRARY = "library", _("図書館")
        CONTRACTOR = "contractor", _("委託先")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="trainings")
    held_on = models.DateField(_("実施日"))
    provider = models.CharField(_("実施者"), max_length=16, choices=Provider.choices)
    material = models.CharField(_("教材・内容"), max_length=200)
    attendees = models.ManyToManyField(Handler, verbose_name=_("受講者"), related_name="trainings")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("研修")
        verbose_name_plural = _("研修")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.material}"


class BusinessReport(models.Model):
    """Daily and monthly business reports submitted by the contractor and reviewed by the library (002)."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("日報")
        MONTHLY = "monthly", _("月報")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    period_start = models.DateField(_("対象期間の初日"))
    body = models.TextField(_("報告内容"))
    incidents_noted = models.BooleanField(_("事故・苦情の有無"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("確認コメント"), blank=True)

    class Meta:
        verbose_name = _("業務報告")
        verbose_name_plural = _("業務報告")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "period_start"], name="one_report_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}"


class OnSiteAudit(models.Model):
    """An on-site audit with the 16-clause checklist (004 特記事項12)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="audits")
    audited_on = models.DateField(_("監査日"))
    auditor = models.CharField(_("監査者"), max_length=100)
    checklist = models.JSONField(_("チェックリスト"), default=dict)  # Clause value -> "ok" | "ng" | "na"
    findings = models.TextField(_("指摘事項"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("実地監査")
        verbose_name_plural = _("実地監査")
        ordering = ["-audited_on"]

    def __str__(self) -> str:
        return f"{self.audited_on} {self.auditor}"


class CorrectiveAction(models.Model):
    audit = models.ForeignKey(OnSiteAudit, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("是正措置"))
    due_on = models.DateField(_("期限"))
    done_on = models.DateField(_("完了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("是正措置")
        verbose_name_plural = _("是正措置")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.description[:40]


class ContractReview(models.Model):
    """A periodic review of a contract, pre-approved ones too (002)."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("継続")
        CHANGE = "change", _("内容を変更して継続")
        END = "end", _("終了")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("見直し日"))
    outcome = models.CharField(_("結果"), max_length=16, choices=Outcome.choices)
    note = models.TextField(_("所見"), blank=True)
    next_review_on = models.DateField(_("次回見直し期限"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("契約の見直し")
        verbose_name_plural = _("契約の見直し")
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"{self.reviewed_on} {self.get_outcome_display()}"


# --- field inventory (privacy_admin.core.dataitems): contractor oversight (要綱 第11条) -----------------------
# The names of the contractor's staff and of the people who certified or confirmed a step are personal
# data of the 委託の管理 activity. A company representative's name is a person's name too, even though it
# is published in the commercial register, so it is declared rather than excused.
declare_personal_fields(
    "outsourcing.Handler",
    register_entry=CONTRACTOR_OVERSIGHT,
    name=DataItem.NAME,
)
declare_personal_fields(
    "outsourcing.Contractor",
    register_entry=CONTRACTOR_OVERSIGHT,
    representative=DataItem.NAME,
)
declare_personal_fields(
    "outsourcing.Contract",
    register_entry=CONTRACTOR_OVERSIGHT,
    pre_approval_confirmed_by=DataItem.NAME,
    disposition_certified_by=DataItem.NAME,
)
# Oversight records name people too: who attended a training (the handlers), who audited.
declare_personal_fields(
    "outsourcing.TrainingSession",
    register_entry=CONTRACTOR_OVERSIGHT,
    attendees=DataItem.NAME,
)
declare_personal_fields(
    "outsourcing.OnSiteAudit",
    register_entry=CONTRACTOR_OVERSIGHT,
    auditor=DataItem.NAME,
)
declare_not_personal(
    "outsourcing.Contractor",
    reason="委託先（法人）の名称・所在地であり、個人に関する情報ではない",
    fields=("name", "address"),
)
